import ArgumentParser
import AudioIO
import Foundation
import L1Physical
import L2DataLink
import L3Network
import SoundStack

extension SoundStackCommand {
    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "decode",
            abstract: "Find the frames in a recording and recover their bytes.",
            discussion: """
                Good data goes to stdout (or --output); a line per frame and a summary go to stderr. A frame that \
                fails a check is reported and never written as good data. --keep-bad writes a message that did not \
                complete anyway, for error-rate measurements: exactly the message's bytes, each fragment at its \
                offset, damaged where its frame failed a check, zero bytes where a fragment was never heard (a \
                missing last fragment adds none), never a fragment header or padding; the damaged and missing \
                ranges are reported on stderr. A bare (--raw) frame that failed is written as heard; damaged IPv4 \
                frames are not written. Without --mode every known mode is listened for at once, for the whole \
                recording, and frames of every mode come out in time order.

                Ethernet frames of type IPv4 go up the stack (IPv4, TCP, session, presentation, HTTP): the HTTP \
                message is written exactly as sent, or the layer that refused it is named; several recordings of \
                one conversation (a noisy one and a resend) decode together. UDP datagrams (IP protocol 17) have \
                their checksum checked with the pseudo-header and their payload written out; ICMP messages (Time \
                Exceeded, Unreachable, echo) are described. --reply-audio writes what this receiver answers, as \
                tones: the SYN-ACK and an ACK whose SACK blocks name what arrived beyond each gap (`http resend \
                --ack` reads it).

                Exit status: 0 all frames good, 2 no frame found, 3 some frames failed (or a message did not make \
                it up the stack), 1 bad input.

                Examples:
                  soundstack decode hello.wav
                  soundstack decode --mode bell103 --json tape.flac
                  soundstack decode --ip 10.0.0.2 --trace req.wav
                  soundstack decode --ip 10.0.0.2 noisy.wav resend.wav
                  soundstack decode --ip 10.0.0.2 noisy.wav --reply-audio ack.wav
                  soundstack decode --ip 10.0.0.2 --trace u.wav        (a UDP datagram)
                  soundstack decode --protocol ax25 aprs.wav
                  arecord -f S16_LE -r 48000 -t raw | soundstack decode --raw-rate 48000 -
                """)

        @OptionGroup var modeOptions: ModeOptions

        @OptionGroup var protocolOptions: ProtocolOptions

        @Argument(
            help:
                "Audio file(s) to decode ('-' for stdin); several recordings of one conversation are decoded together (e.g. noisy.wav resend.wav)."
        )
        var inputs: [String]

        @Option(help: "Demodulate this many input files at once, 1…1024 (results and order as one at a time).")
        var jobs: Int = 1

        @Flag(
            help: "Print each layer's work, bottom to top, for HTTP carried in IPv4/TCP (with --json: as JSON lines).")
        var trace = false

        @Option(help: "Passphrase for an encrypted (L6) message.")
        var passphrase: String?

        @Option(name: .shortAndLong, help: "Write the recovered bytes here instead of stdout.")
        var output: String?

        @Flag(help: "One JSON object per frame on stdout instead of the bytes.")
        var json = false

        @Flag(
            help:
                "Also write messages that did not complete: damaged bytes in place, zero bytes for missing fragments, no framing."
        )
        var keepBad = false

        @Option(help: "Channel: auto (the one carrying the signal), mix, or a 0-based number.")
        var channel: ChannelSelection = .auto

        @Option(help: "Read headerless signed 16-bit little-endian audio at this rate (8000…384000 Hz).")
        var rawRate: Int?

        @Option(help: "Channels of headerless input (1…64).")
        var rawChannels: Int = 1

        @Option(
            help:
                "Samples decoded at a time, 64…1048576 (default 65536, 16384 with --protocol); smaller reports frames sooner."
        )
        var blockFrames: Int?

        @Flag(name: .shortAndLong, help: "No per-frame lines on stderr.")
        var quiet = false

        @Option(help: "This station's MAC address (default: this machine's stable locally administered one).")
        var mac: String?

        @Option(
            help:
                "This station's IPv4 address: its MAC is the stack's default for that address (e.g. 10.0.0.2 → 02:00:0a:00:00:02)."
        )
        var ip: String?

        @Flag(help: "Take Ethernet frames for every address, not only this station's, broadcast and joined groups.")
        var promiscuous = false

        @Option(help: "Join a multicast group (repeatable).")
        var join: [String] = []

        @Option(
            help: "Write every Ethernet frame found (good and bad, bad ones flagged and commented) to this pcapng file."
        )
        var pcap: String?

        @Option(
            help:
                "Write this receiver's TCP replies (SYN-ACK, ACK with SACK blocks naming what is missing) as audio to this file."
        )
        var replyAudio: String?

        @Option(help: "Mode of the reply audio (default: the mode heard).")
        var replyMode: Mode?

        func validate() throws {
            try require(jobs, in: OptionRange.jobs, "--jobs")
            try modeOptions.requireTonesUnlessProtocol(protocolOptions.protocolName)
            try require(rawRate, in: OptionRange.sampleRate, "--raw-rate")
            try require(rawChannels, in: 1...64, "--raw-channels")
            try require(blockFrames, in: 64...1_048_576, "--block-frames")
            try OutputPaths.refuseOverlap(outputs: [output, pcap, replyAudio], inputs: inputs)
        }

        func run() throws {
            let selection = channel
            let raw = rawRate.map { RawFormat(sampleRate: $0, channels: rawChannels) }
            if let proto = protocolOptions.protocolName {
                guard inputs.count == 1 else { throw ValidationError("--protocol decodes one file at a time") }
                try ProtocolCLI.decode(
                    ProtocolDecodeRequest(
                        input: inputs[0], protocolName: proto, options: protocolOptions, baud: modeOptions.baud,
                        tones: try modeOptions.toneList(), channel: selection, raw: raw, output: output,
                        json: json, quiet: quiet, blockFrames: blockFrames ?? 16384))
                return
            }
            if inputs.filter({ $0 == "-" }).count > 0 && inputs.count > 1 {
                throw ValidationError("'-' (stdin) must be the only input")
            }
            var sink = try OutputSink(path: output)
            var capture = try pcap.map { try CaptureSink(path: $0) }
            var table = FrameTable()
            let decoder = RecordingDecoder(
                DecodeConfiguration(
                    modes: try modeOptions.resolvedMode().map { [$0] } ?? [],
                    lineCode: try modeOptions.resolvedLineCode(),
                    station: try thisStation(), passphrase: passphrase, channel: selection, raw: raw, jobs: jobs,
                    keepDamaged: keepBad, blockFrames: blockFrames ?? RecordingDecoder.blockSize))
            let outcome = try decoder.decode(inputs) { event in
                switch event {
                case .frame(let f, let index):
                    try capture?.add(f)
                    if json {
                        try sink.write(FrameJSON(f, index: index).line())
                    } else if keepBad, !f.delivered, f.ethernet == nil, f.phy.frame.status != .headerError {
                        // A bare physical frame carries message bytes only; Ethernet frames' data comes
                        // back through `.damaged`, put in place without their fragment headers.
                        try sink.write(f.phy.frame.payload)
                    }
                    if !quiet { note(table.row(f, index: index)) }
                case .delivered(let bytes):
                    if !json { try sink.write(bytes) }
                case .info(let text):
                    if !quiet { note(text) }
                case .warning(let text):
                    note(text)
                case .damaged(let partial):
                    if !json { try sink.write(partial.bytes) }
                    note("kept damaged: \(partial)")
                }
            }
            try capture?.close()
            var stackFailed = false
            for r in outcome.connections {
                if trace {
                    if json { try sink.write(Array(try r.trace.json())) } else { note(r.trace.rendered()) }
                }
                if r.isAcknowledgmentOnly {
                    let start = r.acknowledgments.first { $0.header.flags.contains(.syn) }?.header.acknowledgmentNumber
                    if !quiet {
                        note(
                            "TCP acknowledgments \(r.key): "
                                + r.acknowledgments.map { StackReply.describe($0, peerDataStart: start) }.joined(
                                    separator: "; "))
                    }
                    continue
                }
                if let m = r.message {
                    if !json { try sink.write(m) }
                    if !quiet { note("HTTP over TCP \(r.key): \(m.count) bytes, every layer's checks passed") }
                } else {
                    stackFailed = true
                    note("\(r.key): not delivered: \(r.error?.description ?? "unknown")")
                }
            }
            for d in outcome.datagrams {
                if trace {
                    if json { try sink.write(Array(try d.trace.json())) } else { note(d.trace.rendered()) }
                }
                if let payload = d.udpPayload, !json { try sink.write(payload) }
                if d.content == nil { stackFailed = true }
                if !quiet || d.content == nil { note(d.summary) }
            }
            if let path = replyAudio { try writeReplies(outcome.connections, to: path, mode: outcome.lockedMode) }
            for line in outcome.refused { note(line) }
            for d in outcome.notForMeIPv4 {
                let octets = d.bytes
                let ipText =
                    octets.count == 6 && octets[0] == 2 && octets[1] == 0
                    ? " (the stack's address for "
                        + octets[2...].map(String.init).joined(separator: ".") + ")" : ""
                note(
                    "IPv4 frames for \(d)\(ipText) were not for this station: decode with --ip, --mac or --promiscuous")
            }
            try sink.close()
            if outcome.frames.total == 0 { throw ExitCode(2) }
            if !quiet {
                let mode = outcome.lockedMode.map { " (\($0.name))" } ?? ""
                note(outcome.frames.summary + mode)
            }
            if outcome.frames.failed > 0 || outcome.incomplete || stackFailed { throw ExitCode(3) }
        }

        /// This station: --mac, else the address --ip implies, else this machine's; groups joined.
        func thisStation() throws -> EthernetReceiver {
            let ipMAC = try ip.map { StackEndpoints.defaultMAC(for: try IPv4Address($0)) }
            var station = EthernetReceiver(
                address: try mac.map { try MACAddress($0) } ?? ipMAC ?? Station.defaultAddress,
                promiscuous: promiscuous)
            for group in join { station.join(try MACAddress(group)) }
            return station
        }
    }
}

/// The per-frame table on stderr: time, layer 1, layer 2, verdict.
struct FrameTable {
    var headerShown = false

    mutating func row(_ f: LinkFrameReport, index: Int) -> String {
        let fr = f.phy.frame
        var line = ""
        if !headerShown {
            headerShown = true
            line +=
                "  #  time (s)         mode     Eb/N0  source             destination        type     bytes  status\n"
        }
        let snr = fr.ebn0dB.isFinite ? String(format: "%4.1f dB", fr.ebn0dB) : "    - "
        let time = String(format: "%7.3f–%-8.3f", fr.startTime, fr.endTime)
        let src = f.ethernet?.source.map { "\($0)" } ?? "-"
        let dst = f.ethernet?.destination.map { "\($0)" } ?? "-"
        let type =
            f.ethernet?.etherType.map { String(format: "0x%04x", $0.rawValue) } ?? (f.ethernet == nil ? "raw" : "-")
        let bytes = f.ethernet?.length ?? fr.payload.count
        line +=
            String(format: "%3d  ", index) + time + " " + f.phy.mode.name.padded(8) + " " + snr + "  "
            + src.padded(18) + " " + dst.padded(18) + " " + type.padded(8) + " " + String(bytes).padded(6) + " "
            + f.detail
        if let frag = f.fragment { line += "  [message \(frag.messageID) part \(frag.index + 1)/\(frag.count)]" }
        if fr.fec != .none {
            line += "  [\(fr.fec.name): \(fr.correctedBits) bits corrected]"
        } else if fr.correctedBits > 0 {
            line += "  [CRC repair: \(fr.correctedBits) bit\(fr.correctedBits == 1 ? "" : "s") flipped]"
        }
        return line
    }
}

/// One frame as JSON.
struct FrameJSON: Encodable {
    struct Ethernet: Encodable {
        var source: String?
        var destination: String?
        var etherType: String?
        var length: Int
        var fcsExpected: String?
        var fcsReceived: String?
        var fragment: String?
    }
    var index: Int
    var start: Double
    var end: Double
    var mode: String
    var lineCode: String
    var status: String
    var detail: String
    var phyStatus: String
    var delivered: Bool
    var bytes: Int
    var ebn0Db: Double?
    var syncScore: Double
    var clockErrorPpm: Double
    /// The frame's FEC scheme and the coded bits it put right (coded frames only).
    var fec: String?
    var correctedBits: Int?
    var ethernet: Ethernet?
    var text: String?
    var hex: String

    init(_ f: LinkFrameReport, index: Int) {
        let fr = f.phy.frame
        self.index = index
        start = (fr.startTime * 1e6).rounded() / 1e6
        end = (fr.endTime * 1e6).rounded() / 1e6
        mode = f.phy.mode.name
        lineCode = f.phy.lineCode.rawValue
        status = f.status.tag
        detail = f.detail
        phyStatus = fr.status.name
        delivered = f.delivered
        ebn0Db = fr.ebn0dB.isFinite ? (fr.ebn0dB * 10).rounded() / 10 : nil
        syncScore = (Double(fr.syncScore) * 1000).rounded() / 1000
        clockErrorPpm = fr.clockErrorPPM.rounded()
        if fr.fec != .none {
            fec = fr.fec.name
        }
        if fr.fec != .none || fr.correctedBits > 0 { correctedBits = fr.correctedBits }
        var payload = fr.payload
        if let e = f.ethernet {
            var eth = Ethernet(
                source: e.source?.description, destination: e.destination?.description,
                etherType: e.etherType.map { String(format: "0x%04x", $0.rawValue) }, length: e.length)
            if case let .fcsMismatch(expected, received) = e.status {
                eth.fcsExpected = String(format: "0x%08x", expected)
                eth.fcsReceived = String(format: "0x%08x", received)
            }
            if let frag = f.fragment { eth.fragment = "message \(frag.messageID) part \(frag.index + 1)/\(frag.count)" }
            ethernet = eth
            payload = e.view.payload.map(Array.init) ?? []
        }
        bytes = payload.count
        text = String(bytes: payload, encoding: .utf8)
        hex = payload.map { String(format: "%02x", $0) }.joined()
    }

    func line() throws -> [UInt8] {
        let enc = JSONEncoder()
        enc.keyEncodingStrategy = .convertToSnakeCase
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try enc.encode(self)) + [10]
    }
}

/// Every Ethernet frame found, into a pcapng file that Wireshark reads (FCS included); the
/// file replaces the old one only when ``close()`` commits it.
struct CaptureSink {
    var writer = PcapNGWriter()
    let file: AtomicFile

    init(path: String) throws {
        file = try AtomicFile(path: path)
    }

    mutating func add(_ f: LinkFrameReport) throws {
        guard let report = f.ethernet else { return }
        writer.append(report, timestamp: UInt64((f.phy.frame.startTime * 1e6).rounded()))
        try file.write(writer.takeBytes())
    }

    mutating func close() throws {
        try file.write(writer.takeBytes())
        try file.commit()
    }
}

/// stdout, or a file that replaces the old one only when ``close()`` commits it.
struct OutputSink {
    let file: AtomicFile?
    let path: String?

    init(path: String?) throws {
        self.path = path
        if let p = path, p != "-" {
            file = try AtomicFile(path: p)
        } else {
            file = nil
        }
    }

    mutating func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        if let file {
            try file.write(bytes)
        } else {
            try FileHandle.standardOutput.write(contentsOf: Data(bytes))
        }
    }

    func close() throws {
        try file?.commit()
    }
}
