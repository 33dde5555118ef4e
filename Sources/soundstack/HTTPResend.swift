import ArgumentParser
import AudioIO
import Foundation
import L4Transport
import SoundStack

extension SoundStackCommand.HTTP {
    struct Resend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send again only the TCP segments a noisy recording lost.",
            discussion: """
            The sender knows what it sent (--from, its own clean recording); the receiver's recording
            (--missing-from) tells which TCP byte ranges never arrived, as its ACK/SACK would. The
            segments covering those ranges (with their original sequence numbers), plus the SYN or FIN
            if they were lost, go out again; decode both recordings together:
              soundstack decode noisy.wav resend.wav
            """)

        @Option(help: "The sender's recording of what it sent.")
        var from: String

        @Option(name: .customLong("missing-from"), help: "The receiver's (noisy) recording(s).")
        var missingFrom: [String]

        @Option(help: "Passphrase, when the message is encrypted (only to check it decodes).")
        var passphrase: String?

        @OptionGroup var out: StackOutputOptions

        func run() throws {
            let sent = try StackCLI.receive([from], mode: out.mode, passphrase: passphrase)
            let heard = try StackCLI.receive(missingFrom, mode: out.mode, passphrase: passphrase)
            var frames: [[UInt8]] = []
            var trace = StackTrace()
            var resent = 0
            for original in sent {
                guard let isn = original.peerInitialSequenceNumber, original.missing.isEmpty,
                      original.error.map({ $0.layer > 4 }) ?? true else {
                    note("\(original.key): the sender's own recording is incomplete; skipped")
                    continue
                }
                let stream = original.stream
                let noisy = heard.first { $0.key == original.key }
                var ranges: [Range<Int>]
                var withSYN = false, withFIN = false
                if let noisy, noisy.peerInitialSequenceNumber != nil {
                    ranges = noisy.missing.map(\.offsets)
                    if noisy.error == nil || noisy.error?.layer ?? 0 > 4 {
                        note("\(original.key): nothing missing at L4")
                        continue
                    }
                    if case .incomplete(_, let fin)? = noisy.error, !fin {
                        withFIN = true
                        let from = max(noisy.stream.count, ranges.last?.upperBound ?? 0)
                        if from < stream.count { ranges.append(from..<stream.count) }
                    }
                } else {
                    // The SYN (or everything) was lost: the receiver cannot place any byte.
                    withSYN = true; withFIN = true
                    ranges = [0..<stream.count]
                }
                let segmenter = try TCPSegmenter(sourcePort: original.key.sourcePort,
                                                 destinationPort: original.key.destinationPort,
                                                 initialSequenceNumber: isn,
                                                 acknowledgmentNumber: original.acknowledgmentNumber,
                                                 mss: original.mss ?? 1460)
                var segments = segmenter.segments(stream, covering: ranges)
                if withSYN { segments.insert(segmenter.syn(), at: 0) }
                if withFIN { segments.append(segmenter.fin(afterSending: stream.count)) }
                note("\(original.key): receiver misses " + (ranges.isEmpty ? "only the FIN" : ranges.map {
                    "bytes \($0.lowerBound)..<\($0.upperBound) (seq \(isn + 1 + $0.lowerBound)..<\(isn + 1 + $0.upperBound))"
                }.joined(separator: ", ")) + "; resending \(segments.count) segment\(segments.count == 1 ? "" : "s")")
                var options = StackOptions(initialSequenceNumber: isn, acknowledgmentNumber: original.acknowledgmentNumber,
                                           mss: original.mss ?? 1460, identification: 0x8000 &+ UInt16(truncatingIfNeeded: resent))
                options.ttl = 64
                let tx = StackTransmitter(endpoints: original.endpoints, options: options)
                frames += try tx.lowerLayers(segments, streamLength: segments.reduce(0) { $0 + $1.payload.count }, trace: &trace)
                resent += segments.count
            }
            guard !frames.isEmpty else {
                note("nothing to resend")
                return
            }
            let tx = StackTransmitter(endpoints: sent[0].endpoints)
            var writer = try AudioFileWriter(path: out.output, sampleRate: 48000, channels: 1, encoding: nil)
            let (summary, l1) = try tx.transmit(frames, physical: try out.physical()) { try writer.write($0) }
            try writer.close()
            trace.append(l1)
            if let p = out.pcap { try StackCLI.writePcap(frames, to: p, seconds: 0) }
            if out.trace { note(trace.rendered()) }
            if out.traceJSON { FileHandle.standardOutput.write(Data(try trace.json())) }
            if !out.quiet {
                note("resend: \(resent) segments → \(summary.frames) frames, " + String(format: "%.2f s", summary.seconds)
                     + " -> \(out.output)")
            }
        }
    }
}
