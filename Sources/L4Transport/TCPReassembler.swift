/// The receiving side of one direction of a connection: puts segments back in order.
///
///     var rx = TCPReassembler()
///     for s in segments.shuffled() { rx.accept(s) }
///     rx.missing        // e.g. [offsets 1072..<1608, seq 1073..<1609]
///     rx.read()         // the in-order bytes so far
///     rx.acknowledgment() // ACK with SACK blocks for what arrived out of order
///
/// Sequence numbers are compared modulo 2^32, so an ISN near the top of the space works. Bytes
/// outside the receive window are counted and dropped, never stored.
public struct TCPReassembler: Sendable {
    /// A gap in what has arrived: as byte offsets in the stream (0 = first data byte; Wireshark's
    /// relative sequence number is this + 1) and as absolute sequence numbers.
    public struct MissingRange: Hashable, Sendable, CustomStringConvertible {
        /// The gap as byte offsets in the stream (0 = first data byte).
        public var offsets: Range<Int>
        /// The first missing sequence number.
        public var start: SequenceNumber
        /// One past the last missing sequence number.
        public var end: SequenceNumber
        public var description: String { "bytes \(offsets.lowerBound)..<\(offsets.upperBound) (seq \(start)..<\(end))" }
    }

    /// What one `accept` did.
    public enum Outcome: Hashable, Sendable {
        /// New bytes were stored (`beyondWindow` of the segment's bytes were dropped as out of window).
        case accepted(newBytes: Int, beyondWindow: Int)
        /// Nothing new: every byte (and any SYN/FIN) had arrived already.
        case duplicate
        /// Held until the SYN tells where the stream starts.
        case heldForSYN
        /// Dropped: entirely outside the window, or no room left to hold it before the SYN.
        case dropped(beyondWindow: Int)
        /// RST seen; the stream is no longer accepted.
        case reset
    }

    /// Buffer size: out-of-order bytes are held only within this many bytes of the next expected one.
    public let window: Int
    /// Our own ISN, used as the sequence number of the replies.
    public let localInitialSequenceNumber: SequenceNumber
    /// The peer's initial sequence number, once its SYN has arrived (nil before).
    public private(set) var peerInitialSequenceNumber: SequenceNumber?
    /// Whether the peer's SYN has arrived.
    public private(set) var synSeen = false
    /// Whether the peer's FIN has arrived.
    public private(set) var finSeen = false
    /// Whether the peer reset the stream; every later `accept` returns `.reset`.
    public private(set) var resetSeen = false
    /// Stream offset at which the FIN sits (the total data length), once seen.
    public private(set) var finOffset: Int?
    /// Segments whose bytes had all arrived already.
    public private(set) var duplicateSegments = 0
    /// Bytes dropped because they lay beyond the receive window.
    public private(set) var bytesBeyondWindow = 0
    /// In-order bytes delivered so far (read or not).
    public private(set) var deliveredCount = 0
    /// Ports as seen from this side, learned from the peer's segments.
    public private(set) var localPort: UInt16?
    /// The peer's port, learned from the first segment (nil before).
    public private(set) var remotePort: UInt16?

    private var readable: [UInt8] = []
    private var outOfOrder: [(start: Int, bytes: [UInt8])] = []
    private var held: [TCPSegment] = []
    /// Most segments held while waiting for the SYN (bytes are bounded by the window as well).
    public static let maxHeldSegments = 256
    private var heldBytes = 0
    var lastArrivalRange: Range<Int>?

    /// - Parameters:
    ///   - window: receive buffer in bytes (1...1 073 725 440).
    ///   - localInitialSequenceNumber: our own ISN, used as the sequence number of the replies.
    ///   - peerInitialSequenceNumber: pass it when joining a stream whose SYN will not be seen.
    public init(
        window: Int = 65_535, localInitialSequenceNumber: SequenceNumber = 0,
        peerInitialSequenceNumber: SequenceNumber? = nil
    ) throws(TransportError) {
        guard (1...(65_535 << 14)).contains(window) else { throw .badWindow(window) }
        self.window = window
        self.localInitialSequenceNumber = localInitialSequenceNumber
        self.peerInitialSequenceNumber = peerInitialSequenceNumber
    }

    /// The receive window (RCV.WND): buffer space not taken by delivered-but-unread bytes. Bytes are
    /// accepted from the next expected one up to this many further on; the ACKs advertise it.
    public var receiveWindow: Int { max(0, window - readable.count) }

    /// The next sequence number expected (RCV.NXT), counting the SYN and, once reached, the FIN.
    public var nextExpected: SequenceNumber? {
        guard let isn = peerInitialSequenceNumber else { return nil }
        return isn + 1 + deliveredCount + (isComplete ? 1 : 0)
    }

    /// FIN seen and every byte before it delivered.
    public var isComplete: Bool { finOffset == deliveredCount }

    /// Takes the in-order bytes delivered since the last read.
    public mutating func read() -> [UInt8] {
        defer { readable.removeAll(keepingCapacity: true) }
        return readable
    }

    /// Gaps between the next expected byte and the furthest byte known (the FIN, if seen; otherwise
    /// the furthest byte received, since later gaps cannot be known yet).
    public var missing: [MissingRange] {
        guard let isn = peerInitialSequenceNumber else { return [] }
        let reach = finOffset ?? max(deliveredCount, outOfOrder.last.map { $0.start + $0.bytes.count } ?? 0)
        var gaps: [Range<Int>] = []
        var cursor = deliveredCount
        for chunk in outOfOrder {
            if chunk.start > cursor { gaps.append(cursor..<chunk.start) }
            cursor = max(cursor, chunk.start + chunk.bytes.count)
        }
        if cursor < reach { gaps.append(cursor..<reach) }
        return gaps.map { MissingRange(offsets: $0, start: isn + 1 + $0.lowerBound, end: isn + 1 + $0.upperBound) }
    }

    /// Byte ranges (stream offsets) held beyond a gap, merged: what SACK blocks describe.
    public var receivedOutOfOrder: [Range<Int>] {
        var out: [Range<Int>] = []
        for c in outOfOrder {
            let r = c.start..<(c.start + c.bytes.count)
            if let last = out.last, last.upperBound == r.lowerBound {
                out[out.count - 1] = last.lowerBound..<r.upperBound
            } else {
                out.append(r)
            }
        }
        return out
    }

    /// Takes one segment from the peer, in any order, and files its bytes.
    /// Segments before the SYN are held; bytes in order become readable, later ones wait for the gap
    /// to close, repeats are counted as duplicates and bytes beyond the window are dropped.
    /// - Parameter segment: A segment from the peer, checksum already verified.
    /// - Returns: What the segment did; see ``Outcome``.
    @discardableResult
    public mutating func accept(_ segment: TCPSegment) -> Outcome {
        if resetSeen { return .reset }
        let h = segment.header
        localPort = localPort ?? h.destinationPort
        remotePort = remotePort ?? h.sourcePort
        if h.flags.contains(.rst) { resetSeen = true; return .reset }
        if h.flags.contains(.syn) {
            if synSeen || peerInitialSequenceNumber.map({ $0 != h.sequenceNumber }) == true {
                if segment.payload.isEmpty { duplicateSegments += 1; return .duplicate }
            } else {
                synSeen = true
                peerInitialSequenceNumber = h.sequenceNumber
            }
        }
        guard let isn = peerInitialSequenceNumber else {
            guard heldBytes + segment.payload.count <= window, held.count < Self.maxHeldSegments else {
                bytesBeyondWindow += segment.payload.count
                return .dropped(beyondWindow: segment.payload.count)
            }
            held.append(segment)
            heldBytes += segment.payload.count
            return .heldForSYN
        }
        let outcome = place(segment, isn: isn)
        if !held.isEmpty {
            let replay = held
            held = []; heldBytes = 0
            for s in replay { _ = place(s, isn: isn) }
        }
        return outcome
    }

    private mutating func place(_ segment: TCPSegment, isn: SequenceNumber) -> Outcome {
        let h = segment.header
        let dataSeq = h.sequenceNumber + (h.flags.contains(.syn) ? 1 : 0)
        let start = deliveredCount + (dataSeq - (isn + 1 + deliveredCount))
        let end = start + segment.payload.count
        var newFin = false
        let furthest = outOfOrder.last.map { $0.start + $0.bytes.count } ?? deliveredCount
        // A FIN before bytes already received would contradict them: ignore it.
        if h.flags.contains(.fin), finOffset == nil, end >= furthest {
            finOffset = end; finSeen = true; newFin = true
        }
        let limit = min(deliveredCount + receiveWindow, finOffset ?? Int.max)
        let keepFrom = max(start, deliveredCount), keepTo = min(end, limit)
        let beyond = max(0, end - max(limit, start))
        bytesBeyondWindow += beyond
        var fresh = 0
        if keepFrom < keepTo {
            for gap in uncovered(keepFrom..<keepTo) {
                let bytes = Array(segment.payload[(gap.lowerBound - start)..<(gap.upperBound - start)])
                let at = outOfOrder.firstIndex { $0.start > gap.lowerBound } ?? outOfOrder.count
                outOfOrder.insert((gap.lowerBound, bytes), at: at)
                fresh += gap.count
            }
            if fresh > 0 { lastArrivalRange = keepFrom..<keepTo }
        }
        while let first = outOfOrder.first, first.start == deliveredCount {
            readable += first.bytes
            deliveredCount += first.bytes.count
            outOfOrder.removeFirst()
        }
        let synNew = h.flags.contains(.syn) && segment.payload.isEmpty && h.sequenceNumber == isn && fresh == 0
        if fresh == 0, !newFin, !synNew {
            if beyond > 0 { return .dropped(beyondWindow: beyond) }
            duplicateSegments += 1
            return .duplicate
        }
        return .accepted(newBytes: fresh, beyondWindow: beyond)
    }

    /// Parts of `r` not yet delivered or held.
    private func uncovered(_ r: Range<Int>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var cursor = r.lowerBound
        for c in outOfOrder {
            let cr = c.start..<(c.start + c.bytes.count)
            if cr.upperBound <= cursor { continue }
            if cr.lowerBound >= r.upperBound { break }
            if cr.lowerBound > cursor { out.append(cursor..<cr.lowerBound) }
            cursor = cr.upperBound
            if cursor >= r.upperBound { break }
        }
        if cursor < r.upperBound { out.append(cursor..<r.upperBound) }
        return out
    }
}
