/// A message that never completed, put together as far as it goes: the good fragments, the
/// data of fragments whose frame failed its check, and zero bytes for fragments never heard.
///
/// Made by ``L2Reassembler/finishKeepingDamage()`` for a receiver that asked to keep damaged
/// fragments (``L2Reassembler/receiveDamaged(_:from:)``). Only message data is in ``bytes``:
/// never a fragment header, never Ethernet padding.
///
/// **Offsets.** Fragment *i* starts at *i* × the fragment size, the data length of the
/// message's fragments other than the last (all the same when made by ``L2Segmenter``),
/// taken from a good fragment where there is one, else from a damaged one; when only the last
/// fragment was heard it is ``L2FragmentHeader/maximumData``.
///
/// **Gaps.** A fragment never heard is the fragment size in zero bytes, listed in ``missing``.
/// A missing last fragment's length is unknown: it adds no bytes (it is still in
/// ``missingFragments``).
/// A damaged fragment's data is written as it was heard, cut or zero-padded to its slot,
/// and its range listed in ``damaged``.
public struct L2PartialMessage: Sendable, Hashable, CustomStringConvertible {
    /// The message the fragments belong to.
    public let key: L2MessageKey
    /// How many fragments the message has.
    public let count: Int
    /// The message data as far as it could be put together.
    public let bytes: [UInt8]
    /// Byte ranges (in ``bytes``) of fragments that failed their check.
    public let damaged: [Range<Int>]
    /// Byte ranges (in ``bytes``) of fragments never heard, zero-filled.
    public let missing: [Range<Int>]
    /// Indices of fragments never heard, neither good nor damaged, ascending.
    public let missingFragments: [Int]
    /// Indices of fragments heard only damaged, ascending.
    public let damagedFragments: [Int]

    /// A partial message from its parts (see the type's discussion for what they mean).
    public init(
        key: L2MessageKey, count: Int, bytes: [UInt8], damaged: [Range<Int>], missing: [Range<Int>],
        missingFragments: [Int], damagedFragments: [Int]
    ) {
        self.key = key
        self.count = count
        self.bytes = bytes
        self.damaged = damaged
        self.missing = missing
        self.missingFragments = missingFragments
        self.damagedFragments = damagedFragments
    }

    /// `message 7 from 02:…: 2000 bytes kept of 4 fragments; damaged [1] (bytes 500..<1000), missing []`.
    public var description: String {
        func ranges(_ r: [Range<Int>]) -> String {
            r.map { "\($0.lowerBound)..<\($0.upperBound)" }.joined(separator: ", ")
        }
        return "\(key): \(bytes.count) bytes kept of \(count) fragments; damaged \(damagedFragments)"
            + (damaged.isEmpty ? "" : " (bytes \(ranges(damaged)))") + ", missing \(missingFragments)"
            + (missing.isEmpty ? "" : " (zero bytes \(ranges(missing)))")
    }
}

extension L2Reassembler {
    /// Keeps the fragment in `payload` although its frame failed its check, so that
    /// ``finishKeepingDamage()`` can put it in place if its message never completes. A good copy
    /// of the same fragment, arriving before or after, is preferred.
    ///
    /// The fragment header is read from the damaged bytes: a header that does not parse, or
    /// whose count differs from the message's good fragments, leaves the fragment out (it is
    /// then missing). Limits apply as for good fragments.
    /// - Parameters:
    ///   - payload: The damaged frame's payload, fragment header first.
    ///   - source: The sender as the damaged frame names it.
    /// - Returns: Whether the fragment was kept.
    @discardableResult
    public mutating func receiveDamaged(_ payload: ArraySlice<UInt8>, from source: MACAddress = .zero) -> Bool {
        guard let (header, data) = try? L2FragmentHeader.parse(payload) else { return false }
        let key = L2MessageKey(source: source, messageID: header.messageID)
        let index = Int(header.index), count = Int(header.count)
        guard count <= limits.fragmentsPerMessage, !recentlyCompleted.contains(key) else { return false }
        var partial: Partial
        if let existing = inFlight[key] {
            partial = existing
            guard partial.count == count, partial.fragments[index] == nil, partial.damaged[index] == nil else {
                return false
            }
        } else {
            guard inFlight.count < limits.messagesInFlight else { return false }
            partial = Partial(count: count)
        }
        guard bytesInFlight + data.count <= limits.bytesInFlight else { return false }
        partial.damaged[index] = Array(data)
        partial.bytes += data.count
        bytesInFlight += data.count
        inFlight[key] = partial
        return true
    }

    /// At end of input: reports what is missing, puts every incomplete message together as far
    /// as it goes (see ``L2PartialMessage``), and frees them all.
    /// - Returns: The missing fragments, as ``finish()`` reports them, and the partial messages,
    ///   both ordered by source and id.
    public mutating func finishKeepingDamage() -> (missing: [L2MissingFragments], partial: [L2PartialMessage]) {
        let partial = inFlight.keys.sorted().compactMap { key in inFlight[key].map { Self.assemble(key, $0) } }
        return (finish(), partial)
    }

    static func assemble(_ key: L2MessageKey, _ p: Partial) -> L2PartialMessage {
        let last = p.count - 1
        let stride =
            p.fragments.first { $0.key != last }?.value.count
            ?? p.damaged.first { $0.key != last }?.value.count
            ?? L2FragmentHeader.maximumData
        var bytes: [UInt8] = []
        var damaged: [Range<Int>] = [], missing: [Range<Int>] = []
        var missingFragments: [Int] = [], damagedFragments: [Int] = []
        func add(_ r: Range<Int>, to list: inout [Range<Int>]) {
            if let l = list.last, l.upperBound == r.lowerBound {
                list[list.count - 1] = l.lowerBound..<r.upperBound
            } else {
                list.append(r)
            }
        }
        for i in 0..<p.count {
            let start = bytes.count
            if let good = p.fragments[i] {
                bytes += good
            } else if let bad = p.damaged[i] {
                // The last fragment keeps the length it was heard with; the others fill their slot.
                let length = i == last ? bad.count : stride
                bytes += bad.prefix(length)
                bytes += repeatElement(0, count: max(0, length - bad.count))
                damagedFragments.append(i)
                if bytes.count > start { add(start..<bytes.count, to: &damaged) }
            } else if i < last {
                missingFragments.append(i)
                bytes += repeatElement(0, count: stride)
                add(start..<bytes.count, to: &missing)
            } else {
                missingFragments.append(i)
            }
        }
        return L2PartialMessage(
            key: key, count: p.count, bytes: bytes, damaged: damaged, missing: missing,
            missingFragments: missingFragments, damagedFragments: damagedFragments)
    }
}
