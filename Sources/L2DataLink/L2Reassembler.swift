/// Which message a fragment belongs to: the sender's address and its message id.
public struct L2MessageKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The station that sent the fragments.
    public var source: MACAddress
    /// The sender's message id.
    public var messageID: UInt16

    /// A key from the sender and its message id.
    public init(source: MACAddress = .zero, messageID: UInt16) {
        self.source = source
        self.messageID = messageID
    }

    public static func < (l: L2MessageKey, r: L2MessageKey) -> Bool {
        (l.source, l.messageID) < (r.source, r.messageID)
    }

    public var description: String { "message \(messageID) from \(source)" }
}

/// What the reassembler did with one fragment.
public enum L2ReassemblyEvent: Sendable, Hashable {
    /// Kept; `received` of `count` fragments of the message are now in.
    case stored(L2MessageKey, index: Int, received: Int, count: Int)
    /// Already had it (or the message is already complete): ignored.
    case duplicate(L2MessageKey, index: Int)
    /// The last missing piece: here is the whole message.
    case completed(L2MessageKey, message: [UInt8])
}

/// A message still in flight and the fragments it lacks.
public struct L2MissingFragments: Sendable, Hashable, CustomStringConvertible {
    /// The message the fragments belong to.
    public let key: L2MessageKey
    /// How many fragments the message has.
    public let count: Int
    /// Indices not received, ascending.
    public let missing: [Int]

    /// A report on `key`'s message of `count` fragments lacking the indices in `missing`.
    public init(key: L2MessageKey, count: Int, missing: [Int]) {
        self.key = key
        self.count = count
        self.missing = missing
    }

    /// `message 7 from 02:…: missing 2 of 7 fragments: [3, 5]`.
    public var description: String {
        "\(key): missing \(missing.count) of \(count) fragments: \(missing)"
    }
}

/// Puts messages back together from fragments (see ``L2FragmentHeader``) arriving in
/// any order, ignoring duplicates, and says which fragments of which message are missing.
///
/// Memory is bounded: at most ``Limits/messagesInFlight`` incomplete messages, at most
/// ``Limits/bytesInFlight`` bytes of fragment data held, and at most
/// ``Limits/fragmentsPerMessage`` fragments per message. Nothing is allocated from a
/// count or length read off the wire: fragments are kept as they come. A fragment that
/// would break a limit is refused with an error and changes nothing; ``finish()`` or
/// ``discard(_:)`` free messages that will not complete.
///
///     var reassembler = L2Reassembler()
///     for frame in frames {
///         if case .completed(_, let message) = try reassembler.receive(frame.payload, from: frame.source) { … }
///     }
///     for gap in reassembler.finish() { print(gap) }   // "message 3 from …: missing 1 of 7 fragments: [4]"
public struct L2Reassembler: Sendable {
    /// How much the reassembler may hold at once; a fragment that would exceed a limit is refused.
    public struct Limits: Sendable, Hashable {
        /// Most incomplete messages held at once.
        public var messagesInFlight: Int
        /// Most bytes of fragment data held at once, over all incomplete messages.
        public var bytesInFlight: Int
        /// Most fragments one message may declare.
        public var fragmentsPerMessage: Int

        /// Limits with defaults: 16 messages, 1 MiB, 1024 fragments per message.
        public init(messagesInFlight: Int = 16, bytesInFlight: Int = 1 << 20, fragmentsPerMessage: Int = 1024) {
            self.messagesInFlight = messagesInFlight
            self.bytesInFlight = bytesInFlight
            self.fragmentsPerMessage = fragmentsPerMessage
        }
    }

    struct Partial: Sendable {
        var count: Int
        var fragments: [Int: [UInt8]] = [:]
        /// Fragments whose frame failed its check, kept by ``L2Reassembler/receiveDamaged(_:from:)``.
        var damaged: [Int: [UInt8]] = [:]
        var bytes = 0
    }

    /// The limits this reassembler enforces.
    public let limits: Limits
    var inFlight: [L2MessageKey: Partial] = [:]
    /// Messages completed recently, so that late duplicates do not start them again.
    var recentlyCompleted: [L2MessageKey] = []
    static let recentlyCompletedCapacity = 64
    /// Bytes of fragment data currently held.
    public internal(set) var bytesInFlight = 0

    /// An empty reassembler with the given limits.
    public init(limits: Limits = Limits()) { self.limits = limits }

    /// The number of incomplete messages held.
    public var messagesInFlight: Int { inFlight.count }

    /// Takes one Ethernet payload that starts with an ``L2FragmentHeader``.
    /// - Parameters:
    ///   - payload: the frame payload (padding after the fragment data is ignored).
    ///   - source: the sender, so that two stations' message ids do not mix.
    /// - Throws: the header errors of ``L2FragmentHeader/parse(_:)``, and
    ///   ``DataLinkError/fragmentCountInvalid(count:limit:)``,
    ///   ``DataLinkError/fragmentCountChanged(messageID:was:now:)``,
    ///   ``DataLinkError/tooManyMessagesInFlight(limit:)``,
    ///   ``DataLinkError/reassemblyBufferFull(needed:limit:)``.
    public mutating func receive(_ payload: [UInt8], from source: MACAddress = .zero) throws -> L2ReassemblyEvent {
        try receive(payload[...], from: source)
    }

    /// Takes one Ethernet payload that starts with an ``L2FragmentHeader``, as a slice.
    /// - Parameters:
    ///   - payload: The frame payload (padding after the fragment data is ignored).
    ///   - source: The sender, so that two stations' message ids do not mix.
    /// - Returns: Whether the fragment was new, a duplicate, or completed its message.
    /// - Throws: The header errors of ``L2FragmentHeader/parse(_:)``, and `DataLinkError`'s
    ///   `fragmentCountInvalid`, `fragmentCountChanged`, `tooManyMessagesInFlight` or `reassemblyBufferFull`.
    public mutating func receive(_ payload: ArraySlice<UInt8>, from source: MACAddress = .zero) throws
        -> L2ReassemblyEvent
    {
        let (header, data) = try L2FragmentHeader.parse(payload)
        let key = L2MessageKey(source: source, messageID: header.messageID)
        let index = Int(header.index), count = Int(header.count)
        guard count <= limits.fragmentsPerMessage else {
            throw DataLinkError.fragmentCountInvalid(count: count, limit: limits.fragmentsPerMessage)
        }
        if recentlyCompleted.contains(key) { return .duplicate(key, index: index) }

        var partial: Partial
        if let existing = inFlight[key] {
            partial = existing
            guard partial.count == count else {
                throw DataLinkError.fragmentCountChanged(messageID: header.messageID, was: partial.count, now: count)
            }
            if partial.fragments[index] != nil { return .duplicate(key, index: index) }
            if let old = partial.damaged.removeValue(forKey: index) {
                // A good copy replaces a damaged one.
                partial.bytes -= old.count
                bytesInFlight -= old.count
            }
        } else {
            guard inFlight.count < limits.messagesInFlight else {
                throw DataLinkError.tooManyMessagesInFlight(limit: limits.messagesInFlight)
            }
            partial = Partial(count: count)
        }
        guard bytesInFlight + data.count <= limits.bytesInFlight else {
            throw DataLinkError.reassemblyBufferFull(needed: bytesInFlight + data.count, limit: limits.bytesInFlight)
        }

        partial.fragments[index] = Array(data)
        partial.bytes += data.count
        bytesInFlight += data.count
        guard partial.fragments.count == partial.count else {
            inFlight[key] = partial
            return .stored(key, index: index, received: partial.fragments.count, count: count)
        }

        inFlight[key] = nil
        bytesInFlight -= partial.bytes
        rememberCompleted(key)
        var message: [UInt8] = []
        message.reserveCapacity(partial.bytes)
        for i in 0..<partial.count {
            if let piece = partial.fragments[i] { message.append(contentsOf: piece) }
        }
        return .completed(key, message: message)
    }

    /// The messages in flight and their missing fragments, ordered by source and id.
    public func missingFragments() -> [L2MissingFragments] {
        inFlight.keys.sorted().compactMap { key in
            guard let p = inFlight[key] else { return nil }
            let missing = (0..<p.count).filter { p.fragments[$0] == nil }
            return L2MissingFragments(key: key, count: p.count, missing: missing)
        }
    }

    /// At end of input: reports what is missing and frees every incomplete message.
    public mutating func finish() -> [L2MissingFragments] {
        let report = missingFragments()
        inFlight.removeAll()
        bytesInFlight = 0
        return report
    }

    /// Gives up on one incomplete message and frees its bytes.
    public mutating func discard(_ key: L2MessageKey) {
        if let p = inFlight.removeValue(forKey: key) { bytesInFlight -= p.bytes }
    }

    private mutating func rememberCompleted(_ key: L2MessageKey) {
        recentlyCompleted.removeAll { $0 == key }
        recentlyCompleted.append(key)
        if recentlyCompleted.count > Self.recentlyCompletedCapacity { recentlyCompleted.removeFirst() }
    }
}
