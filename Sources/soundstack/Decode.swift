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
            abstract: "Find the frames in a recording and recover their bytes.",
            discussion: """
            Good data goes to stdout (or --output); a line per frame and a summary go to stderr. A frame that \
            fails a check is reported and never written as good data (--keep-bad writes it anyway, for \
            error-rate measurements). Without --mode every known mode is tried and the first that yields a good \
            frame is kept.

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

        @Argument(help: "Audio file(s) to decode ('-' for stdin); several recordings of one conversation are decoded together (e.g. noisy.wav resend.wav).")
        var inputs: [String]

        @Option(help: "Demodulate this many input files at once (results and order as one at a time).")
        var jobs: Int = 1

        @Flag(help: "Print each layer's work, bottom to top, for HTTP carried in IPv4/TCP (with --json: as JSON lines).")
        var trace = false

        @Option(help: "Passphrase for an encrypted (L6) message.")
        var passphrase: String?

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

        @Option(help: "This station's MAC address (default: this machine's stable locally administered one).")
        var mac: String?

        @Option(help: "This station's IPv4 address: its MAC is the stack's default for that address (e.g. 10.0.0.2 → 02:00:0a:00:00:02).")
        var ip: String?

        @Flag(help: "Take Ethernet frames for every address, not only this station's, broadcast and joined groups.")
        var promiscuous = false

        @Option(help: "Join a multicast group (repeatable).")
        var join: [String] = []

        @Option(help: "Write every Ethernet frame found (good and bad, bad ones flagged and commented) to this pcapng file.")
        var pcap: String?

        @Option(help: "Write this receiver's TCP replies (SYN-ACK, ACK with SACK blocks naming what is missing) as audio to this file.")
        var replyAudio: String?

        @Option(help: "Mode of the reply audio (default: the mode heard).")
        var replyMode: String?

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
                guard inputs.count == 1 else { throw ValidationError("--protocol decodes one file at a time") }
                try ProtocolCLI.decode(ProtocolDecodeRequest(
                    input: inputs[0], protocolName: proto, options: protocolOptions, baud: modeOptions.baud,
                    tones: try modeOptions.toneList(), channel: selection, raw: raw, output: output,
                    json: json, quiet: quiet))
                return
            }
            if inputs.filter({ $0 == "-" }).count > 0 && inputs.count > 1 { throw ValidationError("'-' (stdin) must be the only input") }
            var sink = try OutputSink(path: output)
            var capture = try pcap.map { try CaptureSink(path: $0) }
            var report = DecodeReport()
            var table = FrameTable()
            var stack = StackReceiver(passphrase: passphrase)
            var incomplete = false
            var lastMode: Mode?
            var notForMeIPv4 = Set<String>()
            if inputs.count == 1 {
                try decodeOne(inputs[0], selection: selection, raw: raw, sink: &sink, capture: &capture, report: &report,
                              table: &table, stack: &stack, incomplete: &incomplete, lastMode: &lastMode,
                              notForMeIPv4: &notForMeIPv4)
            } else {
                // Several files: layer 1 for each (in parallel with --jobs), then the layers above
                // in input order, so the output is the same however many jobs ran.
                let found = PhysicalPass.run(inputs, jobs: max(1, jobs)) { input in
                    try demodulate(input, selection: selection, raw: raw)
                }
                for result in found {
                    try consume(try result.get(), sink: &sink, capture: &capture, report: &report, table: &table,
                                stack: &stack, incomplete: &incomplete, lastMode: &lastMode, notForMeIPv4: &notForMeIPv4)
                }
            }
            try capture?.close()
            var stackFailed = false
            let results = stack.finish()
            for r in results {
                if trace {
                    if json { try sink.write(Array(try r.trace.json())) } else { note(r.trace.rendered()) }
                }
                if r.isAcknowledgmentOnly {
                    let start = r.acknowledgments.first { $0.header.flags.contains(.syn) }?.header.acknowledgmentNumber
                    if !quiet {
                        note("TCP acknowledgments \(r.key): "
                             + r.acknowledgments.map { StackReply.describe($0, peerDataStart: start) }.joined(separator: "; "))
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
            for d in stack.datagrams {
                if trace {
                    if json { try sink.write(Array(try d.trace.json())) } else { note(d.trace.rendered()) }
                }
                if let payload = d.udpPayload, !json { try sink.write(payload) }
                if d.content == nil { stackFailed = true }
                if !quiet || d.content == nil { note(d.summary) }
            }
            if let path = replyAudio { try writeReplies(results, to: path, mode: lastMode) }
            for line in stack.refused { note(line) }
            for d in notForMeIPv4.sorted() {
                let octets = d.split(separator: ":").compactMap { UInt8($0, radix: 16) }
                let ipText = octets.count == 6 && octets[0] == 2 && octets[1] == 0 ? " (the stack's address for "
                    + octets[2...].map(String.init).joined(separator: ".") + ")" : ""
                note("IPv4 frames for \(d)\(ipText) were not for this station: decode with --ip, --mac or --promiscuous")
            }
            try sink.close()
            if report.total == 0 { throw ExitCode(2) }
            if !quiet {
                let mode = lastMode.map { " (\($0.name))" } ?? ""
                note(report.summary + mode)
            }
            if report.failed > 0 || incomplete || stackFailed { throw ExitCode(3) }
        }

        /// The modes to listen for (the one asked for, or every mode the rate allows) and the line code.
        func listenedModes(sampleRate rate: Double) throws -> ([Mode], LineCode?) {
            let lineCode = try modeOptions.resolvedLineCode()
            if let m = try modeOptions.resolvedMode() { return ([m], lineCode) }
            return (Mode.all.filter { (try? $0.validate(sampleRate: rate, lineCode: lineCode ?? $0.defaultLineCode)) != nil },
                    lineCode)
        }

        /// This station: --mac, else the address --ip implies, else this machine's; groups joined.
        func thisStation() throws -> EthernetReceiver {
            let ipMAC = try ip.map { StackEndpoints.defaultMAC(for: try IPv4Address($0)) }
            var station = EthernetReceiver(address: try mac.map { try MACAddress($0) } ?? ipMAC ?? Station.defaultAddress,
                                           promiscuous: promiscuous)
            for group in join { station.join(try MACAddress(group)) }
            return station
        }

        /// Layer 1 over one whole file: the frames it holds and what the reader noticed.
        func demodulate(_ input: String, selection: ChannelSelection, raw: RawFormat?) throws -> PhysicalPass.File {
            var reader = try AudioFileReader(path: input, channel: selection, raw: raw)
            let rate = Double(reader.sampleRate)
            let (modes, lineCode) = try listenedModes(sampleRate: rate)
            let phy = try PhysicalReceiver(modes: modes, lineCode: lineCode, sampleRate: rate)
            var frames = [ReceivedFrame]()
            var buffer = [Float](repeating: 0, count: 1 << 16)
            while true {
                let n = try buffer.withUnsafeMutableBufferPointer { try reader.read(into: $0) }
                if n == 0 { break }
                frames += buffer.withUnsafeBufferPointer { phy.process(UnsafeBufferPointer(rebasing: $0[0..<n])) }
            }
            frames += phy.finish()
            return PhysicalPass.File(input: input, frames: frames,
                                     channelNote: reader.channelCount > 1 ? "\(input): \(reader.channelChoice)" : nil,
                                     cutShort: reader.cutShort, nonFinite: reader.nonFiniteSampleCount,
                                     seconds: Double(reader.framesDelivered) / rate, rate: rate,
                                     modes: modes.map(\.name), lockedMode: phy.lockedMode)
        }

        /// The layers above 1 for one file's frames, exactly as the streaming path does them.
        func consume(_ file: PhysicalPass.File, sink: inout OutputSink, capture: inout CaptureSink?,
                     report: inout DecodeReport, table: inout FrameTable, stack: inout StackReceiver,
                     incomplete: inout Bool, lastMode: inout Mode?, notForMeIPv4: inout Set<String>) throws {
            let station = try thisStation()
            let receiver = LinkReceiver(physical: try PhysicalReceiver(modes: [], lineCode: nil, sampleRate: file.rate),
                                        station: station)
            if !quiet, let n = file.channelNote { note(n) }
            let before = report.total
            try pass(receiver.receive(file.frames), sink: &sink, capture: &capture, report: &report, table: &table,
                     stack: &stack, notForMeIPv4: &notForMeIPv4)
            let missing = receiver.finishReassembly()
            lastMode = file.lockedMode ?? lastMode
            if let cut = file.cutShort { note("\(file.input): truncated: \(cut); decoded what is there") }
            if file.nonFinite > 0 { note("\(file.input): \(file.nonFinite) NaN/Inf samples replaced by 0") }
            for m in missing { note("incomplete: \(m)") }
            if !missing.isEmpty || file.cutShort != nil { incomplete = true }
            if report.total == before {
                let tried = file.modes.count == 1 ? "mode \(file.modes[0])" : "\(file.modes.count) modes"
                note("\(file.input): no frames found (listened for \(tried) at \(Int(file.rate)) Hz, "
                     + String(format: "%.2f s", file.seconds) + ")")
            }
        }

        /// Reports each frame layer 2 classified (table, JSON, capture, --keep-bad), hands IPv4
        /// frames to the stack and writes what was delivered: one place for both decode paths.
        func pass(_ result: ([LinkFrameReport], [LinkDelivery]), sink: inout OutputSink, capture: inout CaptureSink?,
                  report: inout DecodeReport, table: inout FrameTable, stack: inout StackReceiver,
                  notForMeIPv4: inout Set<String>) throws {
            for f in result.0 {
                report.count(f)
                if f.status == "not-for-me", f.ethernet?.etherType == .ipv4, let d = f.ethernet?.destination {
                    notForMeIPv4.insert(d.description)
                }
                try capture?.add(f)
                if json {
                    try sink.write(FrameJSON(f, index: report.total).line())
                } else if keepBad && !f.delivered, f.phy.frame.status != .headerError {
                    try sink.write(f.ethernet.flatMap { $0.view.payload.map(Array.init) } ?? f.phy.frame.payload)
                }
                if !quiet { note(table.row(f, index: report.total)) }
            }
            StackLink.pass(result.0, result.1, into: &stack)
            guard !json else { return }
            for d in result.1 {
                switch d {
                case .raw(let bytes), .message(_, let bytes): try sink.write(bytes)
                case .frame(let frame): if frame.etherType != .ipv4 { try sink.write(frame.payload) }
                }
            }
        }

        func decodeOne(_ input: String, selection: ChannelSelection, raw: RawFormat?, sink: inout OutputSink,
                       capture: inout CaptureSink?, report: inout DecodeReport, table: inout FrameTable,
                       stack: inout StackReceiver, incomplete: inout Bool, lastMode: inout Mode?,
                       notForMeIPv4: inout Set<String>) throws {
            var reader = try AudioFileReader(path: input, channel: selection, raw: raw)
            let rate = Double(reader.sampleRate)
            let (modes, lineCode) = try listenedModes(sampleRate: rate)
            let phy = try PhysicalReceiver(modes: modes, lineCode: lineCode, sampleRate: rate)
            let station = try thisStation()
            let receiver = LinkReceiver(physical: phy, station: station)
            if !quiet && reader.channelCount > 1 { note("\(input): \(reader.channelChoice)") }

            let before = report.total
            var buffer = [Float](repeating: 0, count: 1 << 16)
            func handle(_ result: ([LinkFrameReport], [LinkDelivery])) throws {
                try pass(result, sink: &sink, capture: &capture, report: &report, table: &table,
                         stack: &stack, notForMeIPv4: &notForMeIPv4)
            }
            while true {
                let n = try buffer.withUnsafeMutableBufferPointer { try reader.read(into: $0) }
                if n == 0 { break }
                try handle(buffer.withUnsafeBufferPointer { receiver.process(UnsafeBufferPointer(rebasing: $0[0..<n])) })
            }
            let (last, deliveries, missing) = receiver.finish()
            try handle((last, deliveries))
            lastMode = phy.lockedMode ?? lastMode

            if let cut = reader.cutShort { note("\(input): truncated: \(cut); decoded what is there") }
            if reader.nonFiniteSampleCount > 0 {
                note("\(input): \(reader.nonFiniteSampleCount) NaN/Inf samples replaced by 0")
            }
            for m in missing { note("incomplete: \(m)") }
            if !missing.isEmpty || reader.cutShort != nil { incomplete = true }
            if report.total == before {
                let tried = modes.count == 1 ? "mode \(modes[0].name)" : "\(modes.count) modes"
                note("\(input): no frames found (listened for \(tried) at \(Int(rate)) Hz, "
                     + String(format: "%.2f s", Double(reader.framesDelivered) / rate) + ")")
            }
        }
    }
}

/// Counts frames by status.
struct DecodeReport {
    var total = 0
    var ok = 0
    var byStatus: [String: Int] = [:]
    var order: [String] = []
    var notForMe = 0
    var failed: Int { total - ok - notForMe }

    mutating func count(_ f: LinkFrameReport) {
        total += 1
        if f.isOK { ok += 1 }
        if f.status == "not-for-me" { notForMe += 1 }
        let name = f.status
        if byStatus[name] == nil { order.append(name) }
        byStatus[name, default: 0] += 1
    }

    var summary: String {
        "\(total) frame\(total == 1 ? "" : "s"): " + order.map { "\(byStatus[$0] ?? 0) \($0)" }.joined(separator: ", ")
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
            line += "  #  time (s)         mode     Eb/N0  source             destination        type     bytes  status\n"
        }
        let snr = fr.ebn0dB.isFinite ? String(format: "%4.1f dB", fr.ebn0dB) : "    - "
        let time = String(format: "%7.3f–%-8.3f", fr.startTime, fr.endTime)
        let src = f.ethernet?.source.map { "\($0)" } ?? "-"
        let dst = f.ethernet?.destination.map { "\($0)" } ?? "-"
        let type = f.ethernet?.etherType.map { String(format: "0x%04x", $0.rawValue) } ?? (f.ethernet == nil ? "raw" : "-")
        let bytes = f.ethernet?.length ?? fr.payload.count
        line += String(format: "%3d  ", index) + time + " " + f.phy.mode.name.padded(8) + " " + snr + "  "
            + src.padded(18) + " " + dst.padded(18) + " " + type.padded(8) + " " + String(bytes).padded(6) + " " + f.detail
        if let frag = f.fragment { line += "  [message \(frag.messageID) part \(frag.index + 1)/\(frag.count)]" }
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
        status = f.status
        detail = f.detail
        phyStatus = fr.status.name
        delivered = f.delivered
        ebn0Db = fr.ebn0dB.isFinite ? (fr.ebn0dB * 10).rounded() / 10 : nil
        syncScore = (Double(fr.syncScore) * 1000).rounded() / 1000
        clockErrorPpm = fr.clockErrorPPM.rounded()
        var payload = fr.payload
        if let e = f.ethernet {
            var eth = Ethernet(source: e.source?.description, destination: e.destination?.description,
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

/// Every Ethernet frame found, into a pcapng file that Wireshark reads (FCS included).
struct CaptureSink {
    var writer = PcapNGWriter()
    let handle: FileHandle

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw CLIError("cannot create capture file '\(path)'")
        }
        handle = h
    }

    mutating func add(_ f: LinkFrameReport) throws {
        guard let report = f.ethernet else { return }
        writer.append(report, timestamp: UInt64((f.phy.frame.startTime * 1e6).rounded()))
        try handle.write(contentsOf: Data(writer.takeBytes()))
    }

    mutating func close() throws {
        try handle.write(contentsOf: Data(writer.takeBytes()))
        try handle.close()
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
