import ArgumentParser
import AudioIO
import L1Physical
import SoundStack

extension SoundStackCommand.Decode {
    /// The receiver's SYN-ACK and ACKs for every connection heard, as tones (receiver → sender).
    func writeReplies(_ results: [StackResult], to path: String, mode heard: Mode?) throws {
        let mode: Mode
        if let m = replyMode {
            mode = m
        } else {
            mode = heard ?? Mode.named("fsk1200") ?? Mode.all[0]
        }
        let (frames, replyTrace, lines) = try StackReply.frames(for: results)
        for l in lines { note(l) }
        guard !frames.isEmpty, let first = results.first else {
            note("no TCP connection to acknowledge: \(path) not written")
            return
        }
        let tx = StackTransmitter(endpoints: first.endpoints.reversed)
        var writer = try AudioFileWriter(path: path, sampleRate: 48000, channels: 1, encoding: nil)
        let sent = try tx.transmit(frames, physical: PhysicalConfig(mode: mode)) { try writer.write($0) }
        let summary = sent.summary, l1 = sent.record
        try writer.close()
        if trace && !json {
            var t = replyTrace
            t.append(l1)
            note(t.rendered())
        }
        if !quiet {
            note(
                "replies: \(frames.count) frame\(frames.count == 1 ? "" : "s"), "
                    + String(format: "%.2f s", summary.seconds)
                    + " of \(mode.name) -> \(path)")
        }
    }
}
