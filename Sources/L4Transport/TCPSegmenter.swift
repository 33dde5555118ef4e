/// The sending side of one connection, as segments: SYN, the message cut by MSS, FIN.
///
///     let tx = try TCPSegmenter(sourcePort: 49152, destinationPort: 80, initialSequenceNumber: 1000, mss: 536)
///     let segments = tx.connection(sending: Array(request.utf8))
///     // SYN seq 1000 <mss 536>, ACK|PSH seq 1001 len 536, …, FIN|ACK seq 1001+n
///
/// The SYN and the FIN each consume one sequence number, so data starts at ISN + 1.
public struct TCPSegmenter: Hashable, Sendable {
    /// Our port, written into every segment.
    public var sourcePort: UInt16
    /// The peer's port.
    public var destinationPort: UInt16
    /// Our initial sequence number: the SYN carries it, data starts at ISN + 1.
    public var initialSequenceNumber: SequenceNumber
    /// What the data and FIN segments acknowledge: the peer's ISN + 1 once its SYN-ACK is known.
    public var acknowledgmentNumber: SequenceNumber
    /// Maximum segment size in bytes: the most payload per data segment.
    public var mss: Int
    /// The receive window advertised in every segment, in bytes.
    public var window: UInt16

    /// - Throws: `badMSS` unless `mss` is in 1...65 495 (65 535 less the IPv4 and TCP headers).
    public init(
        sourcePort: UInt16, destinationPort: UInt16, initialSequenceNumber: SequenceNumber,
        acknowledgmentNumber: SequenceNumber = 0, mss: Int = 536, window: UInt16 = 65535
    ) throws(TransportError) {
        guard (1...65_495).contains(mss) else { throw .badMSS(mss) }
        self.sourcePort = sourcePort; self.destinationPort = destinationPort
        self.initialSequenceNumber = initialSequenceNumber; self.acknowledgmentNumber = acknowledgmentNumber
        self.mss = mss; self.window = window
    }

    /// Sequence number of the first data byte.
    public var firstDataSequence: SequenceNumber { initialSequenceNumber + 1 }

    /// The opening SYN, announcing the MSS and that SACK is understood.
    public func syn() -> TCPSegment {
        TCPSegment(
            header: TCPHeader(
                sourcePort: sourcePort, destinationPort: destinationPort,
                sequenceNumber: initialSequenceNumber, flags: .syn, window: window,
                options: [.maximumSegmentSize(UInt16(mss)), .noOperation, .noOperation, .sackPermitted]))
    }

    /// The message cut into segments of at most `mss` bytes, flagged ACK|PSH.
    public func dataSegments(_ message: [UInt8]) -> [TCPSegment] {
        segments(message, covering: [0..<message.count])
    }

    /// The data segments (with their original boundaries) that overlap any of `ranges`, given as
    /// byte offsets into the message: what to resend when the receiver reports those ranges missing.
    public func segments(_ message: [UInt8], covering ranges: [Range<Int>]) -> [TCPSegment] {
        var out: [TCPSegment] = []
        var start = 0
        while start < message.count {
            let end = min(message.count, start + mss)
            if ranges.contains(where: { $0.overlaps(start..<end) }) {
                out.append(
                    TCPSegment(
                        header: dataHeader(at: start, flags: [.ack, .psh]),
                        payload: Array(message[start..<end])))
            }
            start = end
        }
        return out
    }

    /// The FIN after `count` data bytes.
    public func fin(afterSending count: Int) -> TCPSegment {
        TCPSegment(header: dataHeader(at: count, flags: [.fin, .ack]))
    }

    /// The whole sending side: SYN, data segments, FIN.
    public func connection(sending message: [UInt8]) -> [TCPSegment] {
        [syn()] + dataSegments(message) + [fin(afterSending: message.count)]
    }

    private func dataHeader(at offset: Int, flags: TCPFlags) -> TCPHeader {
        TCPHeader(
            sourcePort: sourcePort, destinationPort: destinationPort, sequenceNumber: firstDataSequence + offset,
            acknowledgmentNumber: acknowledgmentNumber, flags: flags, window: window)
    }
}
