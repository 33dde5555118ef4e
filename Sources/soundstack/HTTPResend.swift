import ArgumentParser
import AudioIO
import Foundation
import L4Transport
import SoundStack

extension SoundStackCommand.HTTP {
    struct Resend: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resend",
            abstract: "Send again only the TCP segments a noisy recording lost.",
            usage: "soundstack http resend [<options>] --from <from> --output <output>",
            discussion: """
                The sender knows what it sent (--from/--sent, its own clean recording). What never arrived comes \
                from the receiver's replies (--ack: its cumulative ACK and SACK blocks, as a real TCP sender \
                learns it; see `decode --reply-audio`) or from the receiver's recording itself \
                (--missing-from/--heard). The segments covering those ranges (with their original sequence \
                numbers), plus the SYN or FIN if they were lost, go out again; decode both recordings together.

                Examples:
                  soundstack decode --ip 10.0.0.2 noisy.wav --reply-audio ack.wav
                  soundstack http resend --sent req.wav --ack ack.wav -o resend.wav
                  soundstack http resend --from req.wav --missing-from noisy.wav -o resend.wav
                  soundstack decode noisy.wav resend.wav
                """)

        @Option(name: [.customLong("from"), .customLong("sent")], help: "The sender's recording of what it sent.")
        var from: String

        @Option(name: [.customLong("missing-from"), .customLong("heard")], help: "The receiver's (noisy) recording(s).")
        var missingFrom: [String] = []

        @Option(help: "The receiver's replies (`decode --reply-audio`): its ACK and SACK blocks say what is missing.")
        var ack: [String] = []

        func validate() throws {
            if missingFrom.isEmpty == ack.isEmpty {
                throw ValidationError("give either --missing-from (the receiver's recording) or --ack (its replies)")
            }
            try OutputPaths.refuseOverlap(outputs: out.files, inputs: [from] + missingFrom + ack)
        }

        @Option(help: "Passphrase, when the message is encrypted (only to check it decodes).")
        var passphrase: String?

        @OptionGroup var out: StackOutputOptions

        func run() throws {
            let sent = try StackCLI.receive([from], mode: out.mode, passphrase: passphrase)
            let heard =
                missingFrom.isEmpty ? [] : try StackCLI.receive(missingFrom, mode: out.mode, passphrase: passphrase)
            let replies = ack.isEmpty ? [] : try StackCLI.receive(ack, mode: out.mode, passphrase: nil)
            let batch = try StackResend.batch(
                sent: sent, evidence: ack.isEmpty ? .heard(heard) : .acknowledgments(replies))
            if batch.nothingAcknowledged {
                note("no TCP acknowledgment found in \(ack.joined(separator: ", ")): resending everything")
            }
            for line in batch.notes { note(line) }
            let frames = batch.frames, resent = batch.segments
            var trace = batch.trace
            guard !frames.isEmpty else {
                note("nothing to resend")
                return
            }
            let tx = StackTransmitter(endpoints: sent[0].endpoints)
            var writer = try AudioFileWriter(path: out.output, sampleRate: 48000, channels: 1, encoding: nil)
            let transmission = try tx.transmit(frames, physical: try out.physical()) { try writer.write($0) }
            let summary = transmission.summary, l1 = transmission.record
            try writer.close()
            trace.append(l1)
            if let p = out.pcap { try StackCLI.writePcap(frames, to: p, seconds: 0) }
            if out.trace { note(trace.rendered()) }
            if out.traceJSON { FileHandle.standardOutput.write(Data(try trace.json())) }
            if !out.quiet {
                note(
                    "resend: \(resent) segments → \(summary.frames) frames, "
                        + String(format: "%.2f s", summary.seconds)
                        + " -> \(out.output)")
            }
        }
    }
}
