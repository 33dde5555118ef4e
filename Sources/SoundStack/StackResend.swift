import L4Transport

/// The sender's side of a retransmission: from what it sent and what the receiver heard, the
/// TCP segments to send again — with their original sequence numbers and boundaries.
///
///     let sent = senderRx.finish()[0]          // the sender's own (clean) recording, decoded
///     let heard = receiverRx.finish().first    // the noisy recording, decoded
///     let plan = try StackResend.plan(sent: sent, heard: heard)
///     plan.segments     // only the ones that cover the missing ranges (+ SYN/FIN if lost)
public enum StackResend {
    /// What to send again so the receiver completes its stream.
    public struct Plan: Sendable {
        /// Stream offsets the receiver lacks.
        public var missing: [Range<Int>]
        /// The TCP segments that cover the missing ranges (with SYN and FIN when they were lost).
        public var segments: [TCPSegment]
        /// The options the message was sent with.
        public var options: StackOptions
        /// The endpoints the message was sent with.
        public var endpoints: StackEndpoints
    }

    /// - Returns: nil when the receiver has the whole stream (nothing to resend).
    /// - Throws: `incomplete` when the sender's own recording does not hold the whole stream.
    public static func plan(sent: StackResult, heard: StackResult?) throws(StackError) -> Plan? {
        guard let isn = sent.peerInitialSequenceNumber, sent.missing.isEmpty,
            sent.error.map({ $0.layer > 4 }) ?? true
        else {
            throw sent.error ?? .incomplete(missing: sent.missing, finSeen: false)
        }
        let stream = sent.stream
        var ranges: [Range<Int>]
        var withSYN = false, withFIN = false
        if let heard, heard.peerInitialSequenceNumber != nil {
            guard case .incomplete(let gaps, let fin)? = heard.error else { return nil }
            ranges = gaps.map(\.offsets)
            if !fin {
                withFIN = true
                let from = max(heard.stream.count, ranges.last?.upperBound ?? 0)
                if from < stream.count { ranges.append(from..<stream.count) }
            }
        } else {
            // The SYN (or everything) was lost: the receiver cannot place any byte.
            withSYN = true; withFIN = true
            ranges = [0..<stream.count]
        }
        let segmenter = try sent.resendSegmenter(initialSequenceNumber: isn)
        var segments = segmenter.segments(stream, covering: ranges)
        if withSYN { segments.insert(segmenter.syn(), at: 0) }
        if withFIN { segments.append(segmenter.fin(afterSending: stream.count)) }
        let options = StackOptions(
            initialSequenceNumber: isn, acknowledgmentNumber: sent.acknowledgmentNumber,
            mss: segmenter.mss, identification: 0x8000)
        return Plan(missing: ranges, segments: segments, options: options, endpoints: sent.endpoints)
    }
}

extension StackResult {
    /// A segmenter that cuts this sender's stream again with its original numbering and MSS.
    func resendSegmenter(initialSequenceNumber isn: SequenceNumber) throws(StackError) -> TCPSegmenter {
        do {
            return try TCPSegmenter(
                sourcePort: key.sourcePort, destinationPort: key.destinationPort,
                initialSequenceNumber: isn, acknowledgmentNumber: acknowledgmentNumber,
                mss: mss ?? 1460)
        } catch { throw .transport(error) }
    }
}
