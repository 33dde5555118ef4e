import ArgumentParser
import AudioDevices
import AudioIO
import Foundation
import L1Physical
import L2DataLink
import SoundStack

extension SoundStackCommand {
    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "encode",
            abstract: "Turn bytes into an audio file of FSK frames.",
            discussion: """
                By default the input travels in Ethernet II frames (--src, --dst, --ethertype); --raw sends bare \
                physical frames with their own CRC-32 instead. Each frame goes out as a physical frame (preamble, \
                sync word, header, payload), modulated in --mode. --protocol sends a real-world framing instead \
                (AX.25, UART, RTTY, SAME, caller ID, KCS).

                Examples:
                  soundstack encode --text "hello" --output hello.wav
                  soundstack encode --mode bell202 --input file.bin --output file.wav
                  echo hi | soundstack encode - --output - | aplay
                  soundstack encode --text "on the air" --play default
                  soundstack encode --mode baseband --line-code nrz --text "wire" -o wire.wav
                  soundstack encode --fec cc1/2 --input file.bin --output coded.wav
                """)

        @OptionGroup var modeOptions: ModeOptions

        @OptionGroup var protocolOptions: ProtocolOptions

        @Option(help: "Text to send.")
        var text: String?

        @Option(name: .shortAndLong, help: "File to send ('-' for stdin).")
        var input: String?

        @Argument(help: "'-' to read the data from stdin.")
        var stdinDash: String?

        @Option(name: .shortAndLong, help: "Audio file to write ('-' for stdout); .wav, .flac, .ogg, .aiff, .au.")
        var output: String?

        @Option(
            help:
                "Play on this output device once encoded ('default': the audio server's; see `soundstack devices`), with or without --output."
        )
        var play: String?

        @Option(help: "Sample rate in Hz (8000…384000).")
        var rate: Int = 48000

        @Option(help: "Sample encoding (default: the container's usual one, pcm16 for WAV).")
        var encoding: AudioEncoding?

        @Flag(help: "Send bare physical frames (each with its own CRC-32) instead of Ethernet II frames.")
        var raw = false

        @Option(help: "Source MAC address (default: this machine's stable locally administered one).")
        var src: String?

        @Option(help: "Destination MAC address.")
        var dst: String = "ff:ff:ff:ff:ff:ff"

        @Option(help: "EtherType, e.g. 0x88b5 (the IEEE local experimental type, the default).")
        var ethertype: String = "0x88b5"

        @Option(
            help:
                "Bytes per frame: Ethernet payload (≤ 1500, default 1500), or with --raw bytes per physical frame (≤ 65535, default 2048)."
        )
        var frameSize: Int?

        @Option(help: "Silence between frames, in ms, 0…60000 (0 = back to back).")
        var gapMs: Double = 50

        @Option(help: "Peak amplitude, 0.001…1 of full scale.")
        var amplitude: Float = 0.7

        @Option(help: "Whiten payloads (auto: unless the line code clocks itself).")
        var scramble: ScrambleChoice = .auto

        @Flag(help: "Leave out the physical frame's CRC-32.")
        var noCrc = false

        @Option(
            help:
                "Forward error correction of every frame (see `soundstack modes`; default: the mode's, rs for voice, else none); decode needs no flag."
        )
        var fec: FECScheme?

        @Flag(name: .shortAndLong, help: "Say nothing on stderr.")
        var quiet = false

        func validate() throws {
            let sources = [text != nil, input != nil, stdinDash != nil].filter { $0 }.count
            if sources != 1 { throw ValidationError("give exactly one of --text, --input FILE or '-'") }
            if output == nil && play == nil { throw ValidationError("give --output FILE, --play DEVICE, or both") }
            if output == "-" && play != nil { throw ValidationError("--play needs a file for --output, not stdout") }
            if let d = stdinDash, d != "-" { throw ValidationError("unexpected argument '\(d)'; use --input FILE") }
            if let f = frameSize, !(raw ? 1...65535 : 9...1500).contains(f) {
                throw ValidationError(
                    raw ? "--frame-size must be 1…65535 with --raw" : "--frame-size must be 9…1500 for Ethernet frames")
            }
            try require(rate, in: OptionRange.sampleRate, "--rate")
            try modeOptions.requireTonesUnlessProtocol(protocolOptions.protocolName)
            if let fec, fec != .none, raw, noCrc {
                throw ValidationError(
                    "--fec with --raw needs the CRC-32, so a frame the decoder got wrong is refused: drop --no-crc")
            }
            if let fec, fec != .none, protocolOptions.protocolName != nil {
                throw ValidationError(
                    "--fec codes SoundStack frames; for AX.25 with FEC use --protocol ax25 --fx25 16|32|64")
            }
            try require(gapMs, in: OptionRange.gapMs, "--gap-ms")
            try require(amplitude, in: 0.001...1, "--amplitude")
            try OutputPaths.refuseOverlap(outputs: [output], inputs: [input])
        }

        func run() throws {
            guard let play else { return try encode(to: output!) }
            // Played from a file, as written: the same framing a file gets.
            let target = output ?? TemporaryAudio.path()
            defer { if output == nil { try? FileManager.default.removeItem(atPath: target) } }
            try encode(to: target)
            let device = play == "default" ? nil : play
            let seconds = try DevicePlayer.play(file: target, device: device)
            if !quiet { note(String(format: "played %.2f s on %@", seconds, device ?? "(default output)")) }
        }

        func encode(to output: String) throws {
            let data: [UInt8]
            if let t = text {
                data = Array(t.utf8)
            } else if let path = input, path != "-" {
                guard let d = FileManager.default.contents(atPath: path) else {
                    throw CLIError("cannot read input file '\(path)'")
                }
                data = [UInt8](d)
            } else {
                data = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
            }
            let enc = encoding
            if let proto = protocolOptions.protocolName {
                try ProtocolCLI.encode(
                    ProtocolEncodeRequest(
                        protocolName: proto, data: data, options: protocolOptions, baud: modeOptions.baud,
                        tones: try modeOptions.toneList(), output: output, sampleRate: rate, encoding: enc, quiet: quiet
                    ))
                return
            }
            let mode = try modeOptions.resolvedMode() ?? Mode.named("fsk1200")!
            let config = PhysicalConfig(
                mode: mode, lineCode: try modeOptions.resolvedLineCode(),
                scramble: scramble.setting,
                sampleRate: rate, amplitude: amplitude, gapSeconds: gapMs / 1000, payloadCRC: !noCrc,
                fec: fec)
            let framing: MessageFraming =
                raw
                ? .raw(frameSize: frameSize ?? 2048)
                : .ethernet(
                    LinkEndpoint(
                        source: try src.map { try MACAddress($0) } ?? Station.defaultAddress,
                        destination: try MACAddress(dst), etherType: try Station.etherType(ethertype)),
                    payloadBytes: frameSize ?? 1500)
            let summary = try MessageEncoder.encode(data, physical: config, framing: framing, to: output, encoding: enc)
            if !quiet { note(summary.description + (output == "-" || self.output == nil ? "" : " -> \(output)")) }
        }
    }
}

/// A runtime error with a one-line message.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ text: String) { description = text }
}
