/// Puts fragmented IPv4 packets back together (RFC 791 §3.2, RFC 815 style hole tracking).
///
///     var r = IPv4Reassembler()
///     for f in fragments.shuffled() {
///         if let whole = try r.accept(f) { deliver(whole) }
///     }
///
/// Fragments may come in any order; duplicates are counted and dropped; where fragments overlap the
/// bytes that arrived first are kept. Memory is bounded: when a new packet would exceed the number
/// of packets in flight or the byte budget, the oldest unfinished packets are evicted.
public struct IPv4Reassembler: Sendable {
    /// Which packet a fragment belongs to (RFC 791: source, destination, identification, protocol).
    public struct Key: Hashable, Sendable, CustomStringConvertible {
        /// The sender's address.
        public var source: IPv4Address
        /// The recipient's address.
        public var destination: IPv4Address
        /// The identification shared by all fragments of the packet.
        public var identification: UInt16
        /// The protocol of the reassembled payload.
        public var ipProtocol: IPProtocol

        /// A key from its four fields.
        public init(source: IPv4Address, destination: IPv4Address, identification: UInt16, ipProtocol: IPProtocol) {
            self.source = source; self.destination = destination
            self.identification = identification; self.ipProtocol = ipProtocol
        }

        /// The key of the packet that `header`'s fragment belongs to.
        public init(_ header: IPv4Header) {
            self.init(
                source: header.source, destination: header.destination,
                identification: header.identification, ipProtocol: header.ipProtocol)
        }

        public var description: String { "\(source)→\(destination) id \(identification) \(ipProtocol)" }
    }

    /// How much the reassembler may hold at once.
    public struct Limits: Sendable, Equatable {
        /// Most unfinished packets held at once; the oldest is evicted beyond it.
        public var maxPacketsInFlight: Int
        /// Most fragment bytes held at once across all unfinished packets.
        public var maxBytesInFlight: Int
        /// Limits with defaults: 16 packets, 256 KiB.
        public init(maxPacketsInFlight: Int = 16, maxBytesInFlight: Int = 256 * 1024) {
            self.maxPacketsInFlight = maxPacketsInFlight
            self.maxBytesInFlight = maxBytesInFlight
        }
    }

    /// What is known about one packet still being reassembled.
    public struct Status: Sendable, Equatable {
        /// Payload byte ranges received, merged and sorted.
        public var received: [Range<Int>]
        /// Payload byte ranges known to be missing. When `totalLength` is nil the last fragment has
        /// not arrived, so everything from the end of `received` onward is missing too.
        public var missing: [Range<Int>]
        /// Payload length, once the fragment without More Fragments has arrived.
        public var payloadLength: Int?
    }

    private struct Pending: Sendable {
        var firstHeader: IPv4Header?
        var data: [UInt8] = []
        var have = RangeList()
        var end: Int?
        var order: Int
    }

    /// The limits this reassembler enforces.
    public let limits: Limits
    private var pending: [Key: Pending] = [:]
    private var arrivals = 0
    /// Fragments that brought no new bytes.
    public private(set) var duplicates = 0
    /// Unfinished packets dropped to stay within the limits.
    public private(set) var evicted = 0

    /// An empty reassembler with the given limits.
    public init(limits: Limits = Limits()) { self.limits = limits }

    /// Packets currently being reassembled.
    public var inFlight: [Key] { pending.sorted { $0.value.order < $1.value.order }.map(\.key) }

    /// Bytes currently held.
    public var bytesInFlight: Int { pending.values.reduce(0) { $0 + $1.data.count } }

    /// Takes one packet. Non-fragments are returned at once; a fragment returns the whole packet
    /// when it was the last piece missing, otherwise `nil`.
    /// - Throws: `impossibleFragment`, `fragmentLengthNotMultipleOf8`, `inconsistentFragmentEnd`,
    ///   `reassemblyTooLarge`. A bad fragment leaves the other fragments of its packet untouched.
    public mutating func accept(_ packet: IPv4Packet) throws(NetworkError) -> IPv4Packet? {
        let h = packet.header
        guard h.isFragment else { return packet }
        let start = h.fragmentByteOffset
        let end = start + packet.payload.count
        let more = h.flags.contains(.moreFragments)
        guard end + h.headerLength <= IPv4Packet.maximumLength else {
            throw .impossibleFragment(offset: start, length: packet.payload.count)
        }
        if more, packet.payload.isEmpty || packet.payload.count % 8 != 0 {
            throw .fragmentLengthNotMultipleOf8(packet.payload.count)
        }
        guard end <= limits.maxBytesInFlight else {
            throw .reassemblyTooLarge(bytes: end, limit: limits.maxBytesInFlight)
        }

        let key = Key(h)
        var p = pending[key] ?? Pending(order: arrivals)
        // Consistency of the end: the last fragment fixes it; nothing may lie beyond it.
        if !more {
            if let known = p.end, known != end { throw .inconsistentFragmentEnd(previous: known, now: end) }
            if let reach = p.have.ranges.last?.upperBound, reach > end {
                throw .inconsistentFragmentEnd(previous: reach, now: end)
            }
        } else if let known = p.end, end > known {
            throw .inconsistentFragmentEnd(previous: known, now: end)
        }
        arrivals += 1

        let span = start..<end
        if pending[key] != nil, p.have.contains(span), more || p.end == end {
            duplicates += 1
            return nil
        }
        let grow = max(0, end - p.data.count)
        makeRoom(for: grow, keeping: key)
        if p.data.count < end { p.data += [UInt8](repeating: 0, count: end - p.data.count) }
        for gap in p.have.uncovered(in: span) {
            for i in gap { p.data[i] = packet.payload[i - start] }
        }
        p.have.insert(span)
        if !more { p.end = end }
        if start == 0 { p.firstHeader = h }

        if let total = p.end, let first = p.firstHeader, p.have.ranges == [0..<total] {
            pending[key] = nil
            var whole = first
            whole.flags.remove(.moreFragments)
            whole.fragmentOffset = 0
            whole.totalLength = UInt16(clamping: whole.headerLength + total)
            return IPv4Packet(header: whole, payload: Array(p.data[0..<total]))
        }
        pending[key] = p
        return nil
    }

    /// What has arrived and what is missing for one packet, or `nil` if none of it is pending.
    public func status(of key: Key) -> Status? {
        guard let p = pending[key] else { return nil }
        let reach = p.end ?? (p.have.ranges.last?.upperBound ?? 0)
        return Status(received: p.have.ranges, missing: p.have.uncovered(in: 0..<reach), payloadLength: p.end)
    }

    /// Drops what is held for one packet (e.g. when its timer expires).
    public mutating func discard(_ key: Key) { pending[key] = nil }

    private mutating func makeRoom(for bytes: Int, keeping key: Key) {
        while true {
            let count = pending.count + (pending[key] == nil ? 1 : 0)
            guard count > limits.maxPacketsInFlight || bytesInFlight + bytes > limits.maxBytesInFlight else { return }
            guard let oldest = pending.filter({ $0.key != key }).min(by: { $0.value.order < $1.value.order })?.key
            else { return }
            pending[oldest] = nil
            evicted += 1
        }
    }
}
