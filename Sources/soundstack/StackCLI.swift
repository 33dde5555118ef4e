import ArgumentParser
import AudioIO
import Foundation
import L1Physical
import L2DataLink
import L3Network
import L4Transport
import L6Presentation
import SoundStack

/// Options every `http` subcommand shares: modulation, trace, capture, presentation.
struct StackOutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Audio file to write (.wav, .flac, …).")
    var output: String

    @Option(name: .shortAndLong, help: "Modulation mode (see `soundstack modes`; default fsk1200).")
    var mode: Mode = .fsk1200

    @Option(help: "Silence between frames, in ms (0…60000).")
    var gapMs: Double = 50

    @Option(help: "Forward error correction of every frame (see `soundstack modes`; default: the mode's).")
    var fec: FECScheme?

    @Flag(help: "Print each layer's work, top to bottom, on stderr.")
    var trace = false

    @Flag(name: .customLong("trace-json"), help: "Print the trace as JSON on stdout.")
    var traceJSON = false

    @Option(help: "Also write the Ethernet frames sent to this pcapng file (Wireshark, tshark).")
    var pcap: String?

    @Flag(name: .shortAndLong, help: "Say nothing on stderr but errors.")
    var quiet = false

    func physical() throws -> PhysicalConfig {
        PhysicalConfig(mode: mode, gapSeconds: gapMs / 1000, fec: fec)
    }

    /// The files this writes, for ``OutputPaths/refuseOverlap(outputs:inputs:)``.
    var files: [String?] { [output, pcap] }

    func validate() throws {
        try require(gapMs, in: OptionRange.gapMs, "--gap-ms")
        try OutputPaths.refuseOverlap(outputs: files, inputs: [])
    }
}

/// L5/L6 choices.
struct StackLayerOptions: ParsableArguments {
    @Option(help: "Deflate the message at L6 (level 0…9).")
    var compress: Int?

    @Flag(help: "Encrypt at L6 (ChaCha20-Poly1305, key from --passphrase by scrypt).")
    var encrypt = false

    @Option(help: "Passphrase for --encrypt.")
    var passphrase: String?

    @Flag(help: "Send plain HTTP in TCP as on the Internet: no L5/L6 headers (Wireshark dissects the HTTP).")
    var plain = false

    @Option(help: "TCP maximum segment size (≤ 1460 fits one Ethernet frame; more makes IPv4 fragment).")
    var mss: Int = 1460

    func validate() throws {
        if encrypt && passphrase == nil { throw ValidationError("--encrypt needs --passphrase") }
        if plain && (encrypt || compress != nil) {
            throw ValidationError("--plain sends no L6 header: no --compress or --encrypt")
        }
        try require(compress, in: OptionRange.compression, "--compress")
        try require(mss, in: 1...65_495, "--mss")
    }

    func apply(to o: inout StackOptions) {
        o.framing = plain ? .plain : .osi
        o.compressionLevel = compress
        o.passphrase = encrypt ? passphrase : nil
        o.mss = mss
    }
}

enum StackCLI {
    /// Sends frames as audio (and pcap), prints the trace; returns nothing, writes files.
    static func send(
        _ plan: StackPlan, frames: [[UInt8]], trace: StackTrace, transmitter: StackTransmitter,
        output: StackOutputOptions, what: String
    ) throws {
        var writer = try AudioFileWriter(path: output.output, sampleRate: 48000, channels: 1, encoding: nil)
        let sent = try transmitter.transmit(frames, physical: try output.physical()) { try writer.write($0) }
        let summary = sent.summary, l1 = sent.record
        try writer.close()
        var full = trace
        full.append(l1)
        if let p = output.pcap { try writePcap(frames, to: p, seconds: l1.details.count) }
        if output.trace { note(full.rendered()) }
        if output.traceJSON { FileHandle.standardOutput.write(Data(try full.json())) }
        if !output.quiet {
            note(
                "\(what): \(plan.message.count) B HTTP → \(summary.frames) frames, "
                    + String(format: "%.2f s", summary.seconds) + " of \(output.mode.name) -> \(output.output)")
        }
    }

    static func writePcap(_ frames: [[UInt8]], to path: String, seconds: Int) throws {
        var w = PcapNGWriter()
        for (i, f) in frames.enumerated() { w.append(frame: f, timestamp: UInt64(i) * 100_000) }
        try AtomicFile.write(w.bytes, to: path)
    }

    /// Decodes recordings together (one conversation) and takes their IPv4 frames up the stack.
    static func receive(_ paths: [String], mode: Mode?, passphrase: String?) throws -> [StackResult] {
        let modes = mode.map { [$0] } ?? []
        let decoder = RecordingDecoder(
            DecodeConfiguration(
                modes: modes, station: EthernetReceiver(address: Station.defaultAddress, promiscuous: true),
                passphrase: passphrase))
        return try decoder.decode(paths) { _ in }.connections
    }

    /// Parses `10.0.0.2=02:00:0a:00:00:02` entries into a static neighbour table.
    static func neighbours(_ entries: [String]) throws -> [IPv4Address: MACAddress] {
        var table: [IPv4Address: MACAddress] = [:]
        for e in entries {
            let parts = e.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw ValidationError("--neighbour is IP=MAC, e.g. 10.0.0.2=02:00:0a:00:00:02")
            }
            table[try IPv4Address(parts[0])] = try MACAddress(parts[1])
        }
        return table
    }
}
