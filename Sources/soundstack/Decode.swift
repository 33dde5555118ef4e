import ArgumentParser
import AudioIO
import Foundation
import L1Physical
import SoundStack

extension SoundStackCommand {
    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find the frames in a recording and recover their bytes.",
            discussion: """
            Good data goes to stdout (or --output); a line per frame and a summary go to
            stderr. A frame that fails a check is reported and never written as good data
            (--keep-bad writes it anyway, for error-rate measurements). Without --mode every
            known mode is tried and the first that yields a good frame is kept.
            Exit status: 0 all frames good, 2 no frame found, 3 some frames failed, 1 bad input.
            Examples:
              soundstack decode hello.wav
              soundstack decode --mode bell103 --json tape.flac
              arecord -f S16_LE -r 48000 -t raw | soundstack decode --raw-rate 48000 -
            """)

        @OptionGroup var modeOptions: ModeOptions

        @OptionGroup var protocolOptions: ProtocolOptions

        @Argument(help: "Audio file to decode ('-' for stdin).")
        var input: String

        @Option(name: .shortAndLong, help: "Write the recovered bytes here instead of stdout.")
        var output: String?

        @Flag(help: "One JSON object per frame on stdout instead of the bytes.")
        var json = false

        @Flag(help: "Also write the payload of frames that failed their check (marked in --json).")
        var keepBad = false

        @Option(help: "Channel: auto (the one carrying the signal), mix, or a 0-based number.")
        var channel: String = "auto"

        @Option(help: "Read headerless signed 16-bit little-endian audio at this rate.")
        var rawRate: Int?

        @Option(help: "Channels of headerless input.")
        var rawChannels: Int = 1

        @Flag(name: .shortAndLong, help: "No per-frame lines on stderr.")
        var quiet = false

        func run() throws {
            let selection: ChannelSelection
            switch channel {
            case "auto": selection = .auto
            case "mix": selection = .mix
            default:
                guard let n = Int(channel), n >= 0 else { throw ValidationError("--channel is auto, mix or a number ≥ 0") }
                selection = .index(n)
            }
            let raw = rawRate.map { RawFormat(sampleRate: $0, channels: rawChannels) }
            if let proto = protocolOptions.protocolName {
                try ProtocolCLI.decode(ProtocolDecodeRequest(
                    input: input, protocolName: proto, options: protocolOptions, baud: modeOptions.baud,
                    tones: try modeOptions.toneList(), channel: selection, raw: raw, output: output,
                    json: json, quiet: quiet))
                return
            }
            var reader = try AudioFileReader(path: input, channel: selection, raw: raw)
            let rate = Double(reader.sampleRate)
            let lineCode = try modeOptions.resolvedLineCode()
            let modes: [Mode]
            if let m = try modeOptions.resolvedMode() {
                modes = [m]
            } else {
                modes = Mode.all.filter { (try? $0.validate(sampleRate: rate, lineCode: lineCode ?? $0.defaultLineCode)) != nil }
            }
            let receiver = try PhysicalReceiver(modes: modes, lineCode: lineCode, sampleRate: rate)
            if !quiet && reader.channelCount > 1 { note("\(input): \(reader.channelChoice)") }

            var sink = try OutputSink(path: output)
            var report = DecodeReport()
            var buffer = [Float](repeating: 0, count: 16384)
            func handle(_ frames: [ReceivedFrame]) throws {
                for f in frames {
                    report.count(f.frame)
                    if json {
                        try sink.write(FrameJSON(f, index: report.total).line())
                    } else if f.frame.isOK || keepBad {
                        try sink.write(f.frame.payload)
                    }
                    if !quiet { note(FrameLine.text(f, index: report.total)) }
                }
            }
            while true {
                let n = try buffer.withUnsafeMutableBufferPointer { try reader.read(into: $0) }
                if n == 0 { break }
                try handle(buffer.withUnsafeBufferPointer { receiver.process(UnsafeBufferPointer(rebasing: $0[0..<n])) })
            }
            try handle(receiver.finish())
            try sink.close()

            if reader.nonFiniteSampleCount > 0 {
                note("\(input): \(reader.nonFiniteSampleCount) NaN/Inf samples replaced by 0")
            }
            if report.total == 0 {
                let tried = modes.count == 1 ? "mode \(modes[0].name)" : "\(modes.count) modes"
                note("\(input): no frames found (listened for \(tried) at \(Int(rate)) Hz, "
                     + String(format: "%.2f s", Double(reader.framesDelivered) / rate) + ")")
                throw ExitCode(2)
            }
            if !quiet {
                let mode = receiver.lockedMode.map { " (\($0.name))" } ?? ""
                note(report.summary + mode)
            }
            if report.failed > 0 { throw ExitCode(3) }
        }
    }
}

/// Counts frames by status.
struct DecodeReport {
    var total = 0
    var ok = 0
    var byStatus: [String: Int] = [:]
    var order: [String] = []
    var failed: Int { total - ok }

    mutating func count(_ f: DecodedFrame) {
        total += 1
        if f.isOK { ok += 1 }
        let name = f.status.name
        if byStatus[name] == nil { order.append(name) }
        byStatus[name, default: 0] += 1
    }

    var summary: String {
        "\(total) frame\(total == 1 ? "" : "s"): " + order.map { "\(byStatus[$0] ?? 0) \($0)" }.joined(separator: ", ")
    }
}

enum FrameLine {
    static func text(_ f: ReceivedFrame, index: Int) -> String {
        let fr = f.frame
        let snr = fr.ebn0dB.isFinite ? String(format: "  Eb/N0 %4.1f dB", fr.ebn0dB) : ""
        return String(format: "frame %d  %.3f–%.3f s  %@ %@  %d B", index, fr.startTime, fr.endTime,
                      f.mode.name, f.lineCode.rawValue, fr.payload.count) + snr + "  \(fr.status)"
    }
}

/// One frame as JSON.
struct FrameJSON: Encodable {
    var index: Int
    var start: Double
    var end: Double
    var mode: String
    var lineCode: String
    var status: String
    var detail: String
    var bytes: Int
    var ebn0Db: Double?
    var syncScore: Double
    var clockErrorPpm: Double
    var text: String?
    var hex: String

    init(_ f: ReceivedFrame, index: Int) {
        let fr = f.frame
        self.index = index
        start = (fr.startTime * 1e6).rounded() / 1e6
        end = (fr.endTime * 1e6).rounded() / 1e6
        mode = f.mode.name
        lineCode = f.lineCode.rawValue
        status = fr.status.name
        detail = fr.status.description
        bytes = fr.payload.count
        ebn0Db = fr.ebn0dB.isFinite ? (fr.ebn0dB * 10).rounded() / 10 : nil
        syncScore = (Double(fr.syncScore) * 1000).rounded() / 1000
        clockErrorPpm = fr.clockErrorPPM.rounded()
        text = String(bytes: fr.payload, encoding: .utf8)
        hex = fr.payload.map { String(format: "%02x", $0) }.joined()
    }

    func line() throws -> [UInt8] {
        let enc = JSONEncoder()
        enc.keyEncodingStrategy = .convertToSnakeCase
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try enc.encode(self)) + [10]
    }
}

/// stdout or a file.
struct OutputSink {
    let handle: FileHandle
    let path: String?

    init(path: String?) throws {
        self.path = path
        if let p = path, p != "-" {
            guard FileManager.default.createFile(atPath: p, contents: nil), let h = FileHandle(forWritingAtPath: p) else {
                throw CLIError("cannot create output file '\(p)'")
            }
            handle = h
        } else {
            handle = .standardOutput
        }
    }

    mutating func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        try handle.write(contentsOf: Data(bytes))
    }

    func close() throws {
        if path != nil && path != "-" { try handle.close() }
    }
}
