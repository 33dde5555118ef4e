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
                let plan: StackResend.Plan
                do {
                    guard let p = try StackResend.plan(sent: original, heard: heard.first { $0.key == original.key }) else {
                        note("\(original.key): the receiver has the whole stream; nothing to resend")
                        continue
                    }
                    plan = p
                } catch {
                    note("\(original.key): the sender's own recording is incomplete (\(error)); skipped")
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
                note("\(original.key): receiver misses \(what); resending \(count) segment" + (count == 1 ? "" : "s"))
                var options = plan.options
                options.identification &+= UInt16(truncatingIfNeeded: resent)
                let tx = StackTransmitter(endpoints: plan.endpoints, options: options)
                frames += try tx.lowerLayers(plan.segments, streamLength: plan.segments.reduce(0) { $0 + $1.payload.count },
                                             trace: &trace)
                resent += plan.segments.count
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
