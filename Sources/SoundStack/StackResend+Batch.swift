import L4Transport

extension StackResend {
    /// Where a resend learns what the receiver lacks.
    public enum Evidence: Sendable {
        /// The receiver's own decode of what it heard (nil entries: it heard nothing of a connection).
        case heard([StackResult])
        /// The receiver's TCP acknowledgments (SYN-ACK, ACKs with SACK blocks), decoded from its
        /// reply audio. Empty: nothing was acknowledged, so everything is sent again.
        case acknowledgments([StackResult])
    }

    /// What a resend sends, and what it says about each connection.
    public struct Batch: Sendable {
        /// Ethernet frames to send, every connection's in turn.
        public var frames: [[UInt8]] = []
        /// Layers 2–4 of the resent segments, for `--trace`.
        public var trace = StackTrace()
        /// Segments resent, all connections together.
        public var segments = 0
        /// One line per connection (and per acknowledgment heard), for people.
        public var notes: [String] = []
        /// The evidence was acknowledgments, and none was found: everything is sent again.
        public var nothingAcknowledged = false
    }

    /// The sender's policy for a second try: for every connection in its own recording (`sent`),
    /// the segments the receiver lacks by the `evidence`, numbered as first sent (IPv4
    /// identifications moved on so the receiver never mixes fragments of the two tries).
    /// A connection whose sender recording is incomplete is skipped with a note.
    ///
    ///     let batch = try StackResend.batch(sent: mine, evidence: .heard(theirs))
    ///     try StackTransmitter(endpoints: mine[0].endpoints).transmit(batch.frames, physical: phy) { … }
    ///
    /// - Throws: ``StackError`` when the resent segments cannot be framed.
    public static func batch(sent: [StackResult], evidence: Evidence) throws(StackError) -> Batch {
        var batch = Batch()
        if case .acknowledgments(let replies) = evidence, !replies.contains(where: { !$0.acknowledgments.isEmpty }) {
            batch.nothingAcknowledged = true
        }
        for original in sent {
            let plan: Plan
            do {
                let planned: Plan?
                switch evidence {
                case .heard(let heard):
                    planned = try StackResend.plan(sent: original, heard: heard.first { $0.key == original.key })
                case .acknowledgments(let replies):
                    let mine = replies.filter {
                        $0.key.sourceIP == original.key.destinationIP && $0.key.destinationIP == original.key.sourceIP
                    }.flatMap(\.acknowledgments)
                    for a in mine {
                        batch.notes.append(
                            "\(original.key): heard "
                                + StackReply.describe(
                                    a, peerDataStart: original.peerInitialSequenceNumber.map { $0 + 1 }))
                    }
                    planned = try StackResend.plan(sent: original, acknowledgments: mine)
                }
                guard let p = planned else {
                    batch.notes.append("\(original.key): the receiver has the whole stream; nothing to resend")
                    continue
                }
                plan = p
            } catch {
                batch.notes.append("\(original.key): the sender's own recording is incomplete (\(error)); skipped")
                continue
            }
            let isn = plan.options.initialSequenceNumber
            let gaps: [String] = plan.missing.map { (r: Range<Int>) -> String in
                let lo: SequenceNumber = isn + (1 + r.lowerBound)
                let hi: SequenceNumber = isn + (1 + r.upperBound)
                return "bytes \(r.lowerBound)..<\(r.upperBound) (seq \(lo)..<\(hi))"
            }
            let what = gaps.isEmpty ? "only the FIN" : gaps.joined(separator: ", ")
            let count = plan.segments.count
            batch.notes.append(
                "\(original.key): receiver misses \(what); resending \(count) segment" + (count == 1 ? "" : "s"))
            var options = plan.options
            options.identification &+= UInt16(truncatingIfNeeded: batch.segments)
            let tx = StackTransmitter(endpoints: plan.endpoints, options: options)
            batch.frames += try tx.lowerLayers(
                plan.segments, streamLength: plan.segments.reduce(0) { $0 + $1.payload.count },
                trace: &batch.trace)
            batch.segments += plan.segments.count
        }
        return batch
    }
}
