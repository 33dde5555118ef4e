import ArgumentParser
import AudioDevices
import AudioIO
import Dispatch
import Foundation
import L1Physical
import TNC

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension SoundStackCommand {
    struct Devices: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "devices",
            abstract: "List the audio server's outputs and inputs, as --device takes them.",
            discussion: """
                Outputs are sinks (what `play`, `encode --play` and `--play` send to); inputs are sources \
                (what `listen` and `--record` hear). A sink's monitor, NAME.monitor, hears what the sink plays: \
                a loopback with no cable. The server's defaults are marked with *.

                Examples:
                  soundstack devices
                  pactl load-module module-null-sink sink_name=loop && soundstack devices
                """)

        func run() throws {
            let devices = try AudioServer.devices()
            for (title, inputs) in [("outputs", false), ("inputs", true)] {
                print("\(title):")
                let chosen = devices.filter { $0.isInput == inputs }
                if chosen.isEmpty { print("  (none)") }
                for d in chosen {
                    let mark = d.isDefault ? "*" : " "
                    let format = "\(d.sampleRate) Hz, \(d.channels) ch"
                    let monitor = d.monitorOf.map { ", hears \($0)" } ?? ""
                    print("  \(mark) \(d.name)  (\(d.description); \(format)\(monitor))")
                }
            }
        }
    }

    struct Play: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "play",
            abstract: "Play audio files on a sound card, returning once they are heard.",
            usage: "soundstack play <inputs> ... [<options>]",
            discussion: """
                Each file is played at its own sample rate (the audio server converts to the device's), its \
                first channel or the one --channel names, one after the other.

                Examples:
                  soundstack encode --text hello -o hello.wav && soundstack play hello.wav
                  soundstack encode --text hi -o - | soundstack play - --device loop
                """)

        @Argument(help: "Audio files to play ('-' for stdin).")
        var inputs: [String]

        @Option(help: "Output device (a sink name from `soundstack devices`; default: the server's).")
        var device: String?

        @Option(help: "Channel: auto (the one carrying the signal), mix, or a 0-based number.")
        var channel: ChannelSelection = .auto

        @Flag(name: .shortAndLong, help: "Say nothing on stderr.")
        var quiet = false

        func validate() throws {
            guard !inputs.isEmpty else { throw ValidationError("name at least one audio file") }
            if inputs.contains("-") && inputs.count > 1 { throw ValidationError("'-' (stdin) must be the only input") }
        }

        func run() throws {
            for input in inputs {
                let seconds = try DevicePlayer.play(file: input, device: device, channel: channel)
                if !quiet {
                    note(String(format: "played %@: %.2f s on %@", input, seconds, device ?? "(default output)"))
                }
            }
        }
    }

    struct Listen: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "listen",
            abstract: "Decode a sound card's input as it arrives, until Ctrl-C.",
            usage: "soundstack listen [<options>] [<decode-options> ...]",
            discussion: """
                Records mono from --device (a source such as a microphone, or NAME.monitor to hear what a \
                sink plays) at --rate and decodes it as `decode` does, block by block: every frame is \
                reported as it completes and each delivered message's bytes are written at once. Every \
                option after the listen options goes to the decoder: --mode, --protocol, --json, -o, --quiet and the rest.

                Ctrl-C (or --seconds) stops recording; what was heard is decoded to the end, the summary \
                printed, and the output file committed. Exit status 0 unless the audio server failed.

                --meter shows the level while you set the gain: aim for a peak between -20 and -3 dBFS \
                with no clipped samples; the tones heard, and the modes whose tones they are, say \
                whether the carrier is there at all. Each frame's line gives its Eb/N0.

                Examples:
                  soundstack listen
                  soundstack listen --device loop.monitor --mode bell202
                  soundstack listen --protocol ax25 --json
                  soundstack listen --seconds 30 -o received.bin
                  soundstack listen --meter --mode bell202
                """)

        @Option(help: "Input device (a source name from `soundstack devices`; default: the server's).")
        var device: String?

        @Option(help: "Sample rate to record at, 8000…192000 Hz.")
        var rate: Int = 48000

        @Option(help: "Stop after this many seconds (0.1…86400; default: at Ctrl-C).")
        var seconds: Double?

        @Option(help: "Samples recorded and decoded at a time, 64…65536 (1024 = 21 ms at 48 kHz).")
        var blockFrames: Int = 1024

        @Flag(
            help:
                "Every half second on stderr: peak and RMS level (dBFS), clipped samples, the strongest tones and the modes they fit."
        )
        var meter = false

        @Argument(parsing: .allUnrecognized, help: "Options for the decoder (see `soundstack decode --help`).")
        var decodeOptions: [String] = []

        func validate() throws {
            try require(rate, in: 8000...192_000, "--rate")
            try require(seconds, in: 0.1...86_400, "--seconds")
            try require(blockFrames, in: 64...65_536, "--block-frames")
            for option in ["--raw-rate", "--raw-channels", "--channel", "--block-frames"]
            where decodeOptions.contains(where: { $0 == option || $0.hasPrefix(option + "=") }) {
                throw ValidationError("\(option) is set by listen itself")
            }
        }

        func run() throws {
            signal(SIGPIPE, SIG_IGN)
            let live = try CapturePipe(device: device, sampleRate: rate, blockFrames: blockFrames)
            var decode: Decode
            do {
                decode = try Decode.parse(
                    [live.path, "--raw-rate", "\(rate)", "--block-frames", "\(blockFrames)"] + decodeOptions)
            } catch {
                throw ValidationError(Decode.message(for: error))
            }
            guard decode.inputs.count == 1 else {
                throw ValidationError(
                    "listen takes no input files (\(decode.inputs.dropFirst().joined(separator: " ")))")
            }
            // Ctrl-C and SIGTERM end the recording, not the process: the decoder then finishes.
            signal(SIGINT, SIG_IGN)
            signal(SIGTERM, SIG_IGN)
            let stops = [SIGINT, SIGTERM].map { number in
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { live.stop() }
                source.resume()
                return source
            }
            defer { stops.forEach { $0.cancel() } }
            if let seconds {
                DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { live.stop() }
            }
            let quiet = decodeOptions.contains("-q") || decodeOptions.contains("--quiet")
            if !quiet {
                note("soundstack listen: \(live.device) at \(rate) Hz; Ctrl-C stops")
            }
            if meter {
                let meter = LiveMeter(sampleRate: rate, interval: 0.5) { note($0) }
                live.observe { meter.add($0) }
            }
            live.start()
            var decoded: Error?
            do { try decode.run() } catch { decoded = error }
            live.stop()
            live.wait()
            if let failure = live.failure { throw CLIError("\(failure)") }
            if !quiet {
                let lost = live.secondsLost
                note(
                    String(format: "soundstack listen: %.1f s heard, ", Double(live.framesCaptured) / Double(rate))
                        + (lost > 0
                            ? String(format: "%.2f s lost to overruns (not read in time)", lost)
                            : "no audio lost (0 overruns)"))
            }
            // Hearing nothing (exit 2) or a frame that failed its check (3) is not a failure of listening.
            if let code = decoded as? ExitCode, code == ExitCode(2) || code == ExitCode(3) { return }
            if let decoded { throw decoded }
        }
    }
}

/// Where `encode --play` without --output puts the audio it plays.
enum TemporaryAudio {
    /// A fresh path in the temporary directory.
    static func path() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("soundstack-play-\(UUID().uuidString).wav").path
    }
}

/// The line `listen --meter` prints for a reading.
enum LevelDisplay {
    static func line(_ r: LevelReading, carriers: [String]) -> String {
        func dB(_ x: Double) -> String { x.isFinite ? String(format: "%6.1f", x) : "  -inf" }
        var text = "level: peak \(dB(r.peakDBFS)) dBFS, rms \(dB(r.rmsDBFS)) dBFS"
        text += r.clipped > 0 ? ", CLIPPED \(r.clipped)" : ", no clipping"
        if r.tones.isEmpty {
            text += ", no tones"
        } else {
            text += ", tones " + r.tones.map { String(Int($0.rounded())) }.joined(separator: " ") + " Hz"
        }
        text += carriers.isEmpty ? ", no carrier" : ", carrier: " + carriers.joined(separator: ", ")
        return text
    }

}

/// What `listen --meter` watches on the recording thread: the level, and which modes' carriers
/// the decoder's tone gate hears between two readings.
final class LiveMeter: @unchecked Sendable {
    private let lock = NSLock()
    private var level: LevelMeter
    private var watch: ToneWatch
    private var floats: [Float] = []
    private let report: @Sendable (String) -> Void

    init(sampleRate: Int, interval: Double, report: @escaping @Sendable (String) -> Void) {
        level = LevelMeter(sampleRate: sampleRate, interval: interval)
        let rate = Double(sampleRate)
        watch = ToneWatch(
            modes: Mode.all.filter { (try? $0.validate(sampleRate: rate, lineCode: $0.defaultLineCode)) != nil },
            sampleRate: rate)
        self.report = report
    }

    func add(_ block: UnsafeBufferPointer<Int16>) {
        lock.lock()
        defer { lock.unlock() }
        floats.removeAll(keepingCapacity: true)
        floats.append(contentsOf: block.lazy.map { Float($0) / 32768 })
        _ = floats.withUnsafeBufferPointer { watch.add($0) }
        if let reading = level.add(block) { report(LevelDisplay.line(reading, carriers: carriers())) }
    }

    /// The carriers heard since the last reading, strongest first, leaving out those at less than
    /// half the strongest one's statistic (a mode whose tones are among another's).
    private func carriers() -> [String] {
        let heard = watch.take()
        let top = heard.first?.strength ?? 0
        return heard.filter { $0.strength >= top / 2 }.map(\.mode.name)
    }
}

/// `pulse:NAME` on the command line: a sound card device (`pulse:` alone: the server's default).
struct SoundCardName {
    /// The device, or nil for the default.
    var name: String?

    init?(_ argument: String?) {
        guard let argument, argument.hasPrefix("pulse:") else { return nil }
        let rest = String(argument.dropFirst("pulse:".count))
        name = rest.isEmpty || rest == "default" ? nil : rest
    }
}

/// A sound card as the TNC's output: each transmission is played out before the next is taken
/// (half duplex, as a radio keyed for it).
final class DeviceOutput: TNCAudioOutput, @unchecked Sendable {
    private let playback: AudioPlayback

    init(device: String?, sampleRate: Int) throws {
        playback = try AudioPlayback(device: device, sampleRate: sampleRate, streamName: "soundstack tnc")
    }

    func write(_ samples: [Float]) throws {
        try playback.write(samples)
        try playback.drain()
    }

    func finish() throws { try playback.drain() }
}
