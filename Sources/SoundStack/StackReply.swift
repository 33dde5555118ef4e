import L2DataLink
import L3Network
import L4Transport

/// The receiver's side of a TCP connection it heard: the SYN-ACK and the ACKs (with SACK blocks
/// naming what arrived beyond a gap) it sends back, so they can travel as their own recording.
///
///     let heard = rx.finish()                                   // what the receiver decoded
///     let (frames, trace, notes) = try StackReply.frames(for: heard)
///     // … transmit(frames) into ack.wav; the sender decodes it and resends only the gaps:
///     let plan = try StackResend.plan(sent: sent, acknowledgments: ackResult.acknowledgments)
public enum StackReply {
    /// SACK blocks one ACK carries (4 × 8 B + kind/length + two NOPs fit the 40 B of options).
    public static let blocksPerAck = 4

    /// SYN-ACK, then one ACK per four out-of-order ranges (one ACK when there are none); empty
    /// while the sender's ISN is unknown (its SYN was lost: nothing can be acknowledged).
    public static func segments(
        for r: StackResult, initialSequenceNumber isn: SequenceNumber = 7000,
        mss: UInt16 = 1460, window: UInt16 = 65535
    ) -> [TCPSegment] {
        guard let peer = r.peerInitialSequenceNumber else { return [] }
        let ports = (source: r.key.destinationPort, destination: r.key.sourcePort)
        var out = [
            TCPSegment(
                header: TCPHeader(
                    sourcePort: ports.source, destinationPort: ports.destination, sequenceNumber: isn,
                    acknowledgmentNumber: peer + 1, flags: [.syn, .ack], window: window,
                    options: [.maximumSegmentSize(mss), .noOperation, .noOperation, .sackPermitted]))
        ]
        let ack = r.acknowledgment?.header.acknowledgmentNumber ?? (peer + 1)
        let blocks = r.receivedOutOfOrder.map {
            SACKBlock(left: peer + 1 + $0.lowerBound, right: peer + 1 + $0.upperBound)
        }
        var chunks: [[SACKBlock]] = stride(from: 0, to: blocks.count, by: blocksPerAck).map {
            Array(blocks[$0..<min(blocks.count, $0 + blocksPerAck)])
        }
        if chunks.isEmpty { chunks = [[]] }
        for chunk in chunks {
            out.append(
                TCPSegment(
                    header: TCPHeader(
                        sourcePort: ports.source, destinationPort: ports.destination, sequenceNumber: isn + 1,
                        acknowledgmentNumber: ack, flags: .ack, window: window,
                        options: chunk.isEmpty ? [] : [.noOperation, .noOperation, .sack(chunk)])))
        }
        return out
    }

    /// The replies for every connection heard, down layers 4–2 (receiver → sender: addresses reversed).
    /// - Returns: the Ethernet frames, their trace, and a line per connection.
    public static func frames(for results: [StackResult]) throws(StackError) -> (
        frames: [[UInt8]], trace: StackTrace, notes: [String]
    ) {
        var frames: [[UInt8]] = []
        var trace = StackTrace()
        var notes: [String] = []
        for (i, r) in results.enumerated() where !r.isAcknowledgmentOnly {
            let segments = segments(for: r)
            guard !segments.isEmpty else {
                notes.append("\(r.key): the SYN never arrived, so nothing can be acknowledged; no reply")
                continue
            }
            var options = StackOptions(identification: 0x6000 &+ UInt16(truncatingIfNeeded: i * 16))
            options.initialSequenceNumber = segments[0].header.sequenceNumber
            let tx = StackTransmitter(endpoints: r.endpoints.reversed, options: options)
            var t = StackTrace()
            frames += try tx.lowerLayers(segments, streamLength: 0, trace: &t)
            for j in t.records.indices where t.records[j].layer == 4 {
                t.records[j].summary =
                    "ports \(r.key.destinationPort) → \(r.key.sourcePort); the receiver's SYN-ACK and ACK"
                    + (r.receivedOutOfOrder.isEmpty ? "" : " with SACK blocks")
            }
            trace.records += t.records
            let peer = r.peerInitialSequenceNumber.map { $0 + 1 }
            let acked = segments.last.map { describe($0, peerDataStart: peer) } ?? ""
            notes.append("\(r.key): reply SYN-ACK + \(segments.count - 1) ACK: " + acked)
        }
        return (frames, trace, notes)
    }

    /// One control segment in words, with stream offsets when the data's first sequence number is known.
    public static func describe(_ s: TCPSegment, peerDataStart: SequenceNumber?) -> String {
        let h = s.header
        let kind =
            h.flags.contains(.syn)
            ? (h.flags.contains(.ack) ? "SYN-ACK" : "SYN") : h.flags.contains(.ack) ? "ACK" : "segment"
        var text =
            kind.padding(toLength: 8, withPad: " ", startingAt: 0)
            + "seq \(h.sequenceNumber) ack \(h.acknowledgmentNumber)"
        if let start = peerDataStart, !h.flags.contains(.syn) { text += " (byte \(h.acknowledgmentNumber - start))" }
        text += " win \(h.window)"
        if let mss = h.maximumSegmentSize { text += " mss \(mss)" }
        if h.options.contains(.sackPermitted) { text += " sackOK" }
        let blocks = h.sackBlocks
        if !blocks.isEmpty {
            text +=
                "  SACK "
                + blocks.map { b -> String in
                    let rel = peerDataStart.map { " (bytes \(b.left - $0)..<\(b.right - $0))" } ?? ""
                    return "\(b.left)-\(b.right)\(rel)"
                }.joined(separator: ", ")
        }
        return text
    }
}

extension StackResend {
    /// The resend a sender plans from the receiver's ACKs (cumulative ACK and SACK blocks), as a
    /// real TCP sender learns what is missing. No ACK for the connection: everything again, SYN first.
    /// - Returns: nil when the ACK covers the whole stream and the FIN.
    /// - Throws: `incomplete` when the sender's own recording does not hold the whole stream.
    public static func plan(sent: StackResult, acknowledgments: [TCPSegment]) throws(StackError) -> Plan? {
        guard let isn = sent.peerInitialSequenceNumber, sent.missing.isEmpty,
            sent.error.map({ $0.layer > 4 }) ?? true
        else {
            throw sent.error ?? .incomplete(missing: sent.missing, finSeen: false)
        }
        let length = sent.stream.count
        let start = isn + 1
        let acks = acknowledgments.filter {
            $0.header.flags.contains(.ack) && $0.header.sourcePort == sent.key.destinationPort
                && $0.header.destinationPort == sent.key.sourcePort
        }
        var ranges: [Range<Int>]
        var withSYN = false
        if acks.isEmpty {
            withSYN = true
            ranges = length > 0 ? [0..<length] : []
        } else {
            let cumulative = acks.map { max(0, $0.header.acknowledgmentNumber - start) }.max() ?? 0
            if cumulative > length { return nil }
            let sacked = acks.flatMap { TCPReassembler.offsets(of: $0.header.sackBlocks, initialSequenceNumber: isn) }
            ranges = subtract(sacked, from: cumulative..<length)
        }
        let segmenter = try sent.resendSegmenter(initialSequenceNumber: isn)
        var segments = segmenter.segments(sent.stream, covering: ranges)
        if withSYN { segments.insert(segmenter.syn(), at: 0) }
        segments.append(segmenter.fin(afterSending: length))
        let options = StackOptions(
            initialSequenceNumber: isn, acknowledgmentNumber: sent.acknowledgmentNumber,
            mss: segmenter.mss, identification: 0x8000)
        return Plan(missing: ranges, segments: segments, options: options, endpoints: sent.endpoints)
    }

    /// `whole` less every range in `holes`, in order.
    static func subtract(_ holes: [Range<Int>], from whole: Range<Int>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var cursor = whole.lowerBound
        for h in holes.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            let lo = max(h.lowerBound, whole.lowerBound), hi = min(h.upperBound, whole.upperBound)
            guard lo < hi else { continue }
            if lo > cursor { out.append(cursor..<lo) }
            cursor = max(cursor, hi)
        }
        if cursor < whole.upperBound { out.append(cursor..<whole.upperBound) }
        return out
    }
}
