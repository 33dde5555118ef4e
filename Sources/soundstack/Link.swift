import ARQLink
import ArgumentParser
import AudioIO
import ChannelSimulator
import Foundation
import L1Physical
import L7Application
import SoundStack

extension SoundStackCommand {
    struct Link: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "link",
            abstract: "Carry an HTTP message over the acoustic link, with ACKs and resends.",
            discussion: """
                Two stations, client 10.0.0.1:49152 and origin 10.0.0.2:80, share one audio medium (half duplex). \
                The sender takes the message down the stack; after a three-way handshake it sends up to --window \
                TCP segments back to back as one transmission. The channel simulator impairs it (each \
                transmission with its own seed, derived from the spec's); the receiving station demodulates the \
                audio, checks FCS, IPv4 and TCP, and answers with an ACK (cumulative + SACK, sent --ack-copies \
                times) that crosses the channel the other way. Lost segments go again first, then new data, then \
                the FIN. When no answer comes (nothing heard, or the ACK lost) the sender waits --rto seconds of \
                audio, doubling while nothing comes back (up to 4 s), and resends its oldest segment. When a \
                transmission loses two fifths of its frames, new data goes in segments half as long (down to \
                --min-segment); two clean transmissions double it again. The far side delivers the message only \
                when every layer accepts it.

                Goodput is the HTTP message's bytes per second of audio: every transmission both ways, the \
                turnarounds and the waits. quiet-lwip (TCP over audio) publishes 388 B/s. Eb/N0 in --channel is \
                per data bit of the mode (12 000 bit/s for mfsk4-6000).

                Exit status: 0 delivered, 3 the link gave up (with --sweep: at some level), 1 bad input.

                Examples:
                  soundstack link --size 50000 --channel "ebn0=10.5,seed=7"
                  soundstack link --size 50000 --sweep 14,10.5,10
                  soundstack link --size 4000 --channel "ebn0=10,seed=2" --save-audio out/
                  soundstack decode --ip 10.0.0.2 out/*-request-data.wav
                  soundstack link -i request.http -m fsk1200 --mss 256 --window 4 --json
                """)

        @Option(help: "Body bytes of the built-in POST (a JSON document), 11…10000000.")
        var size: Int = 50_000

        @Option(name: .shortAndLong, help: "Carry this HTTP message (a file) instead of the built-in POST.")
        var input: String?

        @Option(
            help:
                "Which way: request (client → origin) or response (origin → client; the built-in message is then a 200 OK)."
        )
        var direction: LinkDirection = .request

        @Option(name: .shortAndLong, help: "Modulation mode (see `soundstack modes`).")
        var mode: Mode = .mfsk4_6000

        @Option(
            help:
                "Channel impairments, as `soundstack channel --spec` takes them, e.g. \"ebn0=10,seed=7\" (default: clean)."
        )
        var channel: String?

        @Option(
            help:
                "Eb/N0 levels in dB (-50…100), comma-separated: one run each (with the rest of --channel), in one table."
        )
        var sweep: String?

        @Option(help: "TCP maximum segment size: bytes of payload per frame (64…1460).")
        var mss: Int = AcousticLinkConfiguration().mss

        @Option(
            help:
                "Smallest segment the sender goes down to when the channel loses frames 16…MSS (0: keep every segment MSS long)."
        )
        var minSegment: Int = AcousticLinkConfiguration().minimumSegmentSize ?? 0

        @Option(help: "Copies of the ACK in each answer (1…4).")
        var ackCopies: Int = AcousticLinkConfiguration().acknowledgmentCopies

        @Option(help: "Segments sent back to back in one transmission before waiting for the ACK (1…64).")
        var window: Int = AcousticLinkConfiguration().window

        @Option(help: "Retransmission timeout, seconds of audio after a transmission ends (0.001…3600).")
        var rto: Double = AcousticLinkConfiguration().retransmissionTimeout

        @Option(help: "Silence when the medium changes hands, in seconds (0…10).")
        var turnaround: Double = AcousticLinkConfiguration().turnaroundSeconds

        @Option(help: "Silence before and after each transmission, in ms (0…5000).")
        var leadMs: Double = AcousticLinkConfiguration.defaultPhysical.leadSeconds * 1000

        @Option(help: "Silence between the frames of a transmission, in ms (0…5000).")
        var gapMs: Double = AcousticLinkConfiguration.defaultPhysical.gapSeconds * 1000

        @Option(help: "Give up after this many seconds of audio (0.001…86400).")
        var maxAudio: Double = AcousticLinkConfiguration().maxAudioSeconds

        @Option(
            help:
                "Forward error correction: auto (each station picks per transmission from the Eb/N0 of the other's frames) or one scheme (see `soundstack modes`)."
        )
        var fec: LinkFECChoice = .auto

        @Flag(help: "Plain HTTP in TCP (no L5/L6 headers), as on the Internet.")
        var plain = false

        @Option(help: "L6 deflate level 0…9 (goodput still counts the uncompressed message).")
        var compress: Int?

        @Option(
            help:
                "Keep every transmission (as heard after the channel) as a numbered WAV with a JSON sidecar in this folder."
        )
        var saveAudio: String?

        @Flag(help: "Print the report(s) as JSON on stdout.")
        var json = false

        @Option(
            help: ArgumentHelp(
                "local: both stations here; client (sends) or origin (receives): one station on --play/--record.",
                discussion: """
                    Two processes, one real audio server: `--role origin --play B --record A.monitor -o got.http`
                    waits for one message and writes it; `--role client --play A --record B.monitor` sends it
                    and prints the report (seconds and goodput are wall-clock). --channel impairs each
                    transmission before it is played; --max-audio is the wall-clock budget.
                    """))
        var role: LiveRole = .local

        @Option(help: "With --role client|origin: the device to transmit on (a sink name, or default).")
        var play: String?

        @Option(help: "With --role client|origin: the device to hear on (a source, e.g. NAME.monitor, or default).")
        var record: String?

        @Option(name: .shortAndLong, help: "With --role origin: write the message received here (default: stdout).")
        var output: String?

        func validate() throws {
            let m = mode
            do { try m.validate(sampleRate: 48000, lineCode: m.defaultLineCode) } catch {
                throw ValidationError("mode \(m.name) cannot run at 48 kHz: \(error)")
            }
            // Below 11 bytes there is no JSON body; above 10 MB is not sensible over audio.
            try require(size, in: 11...10_000_000, "--size")
            try require(mss, in: 64...1460, "--mss")
            if minSegment != 0 { try require(minSegment, in: 16...max(16, mss), "--min-segment") }
            try require(ackCopies, in: 1...4, "--ack-copies")
            try require(window, in: 1...64, "--window")
            try require(rto, in: 0.001...3600, "--rto")
            try require(turnaround, in: 0...10, "--turnaround")
            try require(leadMs, in: 0...5000, "--lead-ms")
            try require(gapMs, in: 0...5000, "--gap-ms")
            try require(maxAudio, in: 0.001...86_400, "--max-audio")
            try require(compress, in: OptionRange.compression, "--compress")
            if let c = channel {
                do { _ = try ChannelSpec.parse(c) } catch { throw ValidationError("--channel: \(error)") }
            }
            if let s = sweep {
                for level in try Self.levels(s) { try require(level, in: OptionRange.decibels, "--sweep") }
            }
            try OutputPaths.refuseOverlap(outputs: [saveAudio, output], inputs: [input])
            if role == .local {
                if play != nil || record != nil || output != nil {
                    throw ValidationError("--play, --record and --output are for --role client or origin")
                }
            } else {
                guard play != nil, record != nil else {
                    throw ValidationError("--role \(role.rawValue) needs --play DEVICE and --record DEVICE")
                }
                if sweep != nil || saveAudio != nil {
                    throw ValidationError("--sweep and --save-audio are for --role local")
                }
                if role == .client, output != nil { throw ValidationError("--output is for --role origin") }
            }
        }

        static func levels(_ text: String) throws -> [Double] {
            let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let values = parts.map { Double($0) }
            guard !values.isEmpty, values.allSatisfy({ $0?.isFinite == true }) else {
                throw ValidationError("--sweep: not a comma-separated list of Eb/N0 values in dB: \(text)")
            }
            return values.compactMap { $0 }
        }

        /// One run's result, for the table and the JSON.
        struct Row: Encodable {
            var ebn0: Double?
            var channel: String?
            var report: LinkTransferReport
            var exact: Bool
            var gaveUp: String?
        }

        func run() throws {
            let message = try self.message()
            let physical = AcousticLinkConfiguration.physical(
                mode: mode, leadSeconds: leadMs / 1000,
                gapSeconds: gapMs / 1000)
            let base = try channel.map { try ChannelSpec.parse($0) }
            var runs: [(Double?, ChannelSpec?, URL?)] = []
            if let s = sweep {
                for level in try Self.levels(s) {
                    var spec = base ?? ChannelSpec(impairments: [])
                    spec.impairments = Impairment.defaultOrder(
                        spec.impairments.filter {
                            if case .awgn = $0 { return false }
                            return true
                        } + [.awgn(.ebN0(dB: level, bitRate: nil))])
                    let dir = saveAudio.map {
                        URL(fileURLWithPath: $0).appendingPathComponent("ebn0-\(Self.number(level))")
                    }
                    runs.append((level, spec, dir))
                }
            } else {
                runs.append((nil, base, saveAudio.map { URL(fileURLWithPath: $0) }))
            }
            if role != .local { return try runLive(message: message, physical: physical, channel: base) }
            var rows: [Row] = []
            for (level, spec, dir) in runs {
                let link: AcousticLink
                do {
                    var configuration = AcousticLinkConfiguration(
                        physical: physical, channel: spec, mss: mss, window: window, retransmissionTimeout: rto,
                        maxAudioSeconds: maxAudio, saveAudio: dir, turnaroundSeconds: turnaround,
                        framing: plain ? .plain : .osi, compressionLevel: compress)
                    configuration.minimumSegmentSize = minSegment > 0 ? minSegment : nil
                    configuration.acknowledgmentCopies = ackCopies
                    configuration.fec = fec.linkFEC
                    link = try AcousticLink(configuration)
                } catch { throw ValidationError("\(error)") }
                let shown = spec.map { "\($0.withDefaultBitRate(physical.mode.bitRate))" }
                do {
                    let (got, report) = try link.carry(message, direction: direction, exchange: 1)
                    rows.append(Row(ebn0: level, channel: shown, report: report, exact: got == message))
                } catch let AcousticLinkError.gaveUp(report, reason) {
                    rows.append(Row(ebn0: level, channel: shown, report: report, exact: false, gaveUp: reason))
                } catch AcousticLinkError.configuration(let text) {
                    throw ValidationError(text)
                }
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                let data = sweep == nil ? try encoder.encode(rows[0]) : try encoder.encode(rows)
                print(String(decoding: data, as: UTF8.self))
            } else {
                print(
                    "link: \(message.count)-byte HTTP \(direction), "
                        + (direction == .request
                            ? "client 10.0.0.1 → origin 10.0.0.2" : "origin 10.0.0.2 → client 10.0.0.1")
                        + ", \(physical.mode.name), MSS \(mss), window \(window), RTO \(Self.number(rto)) s"
                        + (plain ? ", plain HTTP" : ", OSI framing") + (compress.map { ", deflate \($0)" } ?? "")
                        + ", FEC \(fec.linkFEC)")
                if sweep == nil { printOne(rows[0]) } else { printTable(rows) }
            }
            if rows.contains(where: { !$0.exact }) { throw ExitCode(3) }
        }

        func message() throws -> [UInt8] {
            if let path = input {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw ValidationError("cannot read --input \(path)")
                }
                return Array(data)
            }
            do {
                switch direction {
                case .request: return try AcousticLink.samplePost(bodyBytes: size)
                case .response:
                    return try HTTPResponse(
                        status: .ok, data: try AcousticLink.sampleJSON(bytes: size),
                        contentType: "application/json"
                    ).serialize()
                }
            } catch { throw ValidationError("\(error)") }
        }

        func printOne(_ row: Row, live: Bool = false) {
            let r = row.report
            if let c = row.channel { print("channel: \(c)") }
            if let reason = row.gaveUp {
                print("gave up: \(reason)")
            } else {
                print(
                    "delivered: "
                        + (live
                            ? "acknowledged whole by the far station (its TCP checked every byte)"
                            : row.exact ? "byte for byte identical" : "DIFFERS from what was sent"))
            }
            print(
                "frames: \(r.framesSent) sent, \(r.framesLost) lost, \(r.framesResent) resent; "
                    + "ACK frames: \(r.ackFramesSent) sent, \(r.ackFramesLost) lost; "
                    + "\(r.transmissions) transmissions, \(r.timeouts) timeout\(r.timeouts == 1 ? "" : "s")"
                    + (r.smallestSegment.map { $0 < mss ? "; segments down to \($0) B" : "" } ?? ""))
            print("FEC of the data frames: " + r.fecSummary)
            print(
                String(
                    format: "audio: %.2f s; goodput %.1f B/s (quiet-lwip publishes 388 B/s: %.2f×)",
                    r.audioSeconds, r.goodput, r.goodput / 388))
            if !r.savedFiles.isEmpty {
                print(
                    "saved: \(r.savedFiles.count) transmissions in \(URL(fileURLWithPath: r.savedFiles[0]).deletingLastPathComponent().path)"
                )
            }
        }

        func printTable(_ rows: [Row]) {
            let header = [
                "Eb/N0 dB", "delivered", "frames", "lost", "resent", "ACKs", "ACKs lost", "timeouts",
                "audio s", "goodput B/s", "vs 388 B/s", "FEC of the data frames"
            ]
            let widths = header.map { max($0.count, 8) }
            func line(_ cells: [String]) -> String {
                zip(cells, widths).map { String(repeating: " ", count: max(0, $1 - $0.count)) + $0 }.joined(
                    separator: "  ")
            }
            print(line(header))
            for row in rows {
                let r = row.report
                print(
                    line([
                        row.ebn0.map(Self.number) ?? "-",
                        row.gaveUp == nil ? (row.exact ? "yes" : "differs") : "gave up",
                        "\(r.framesSent)", "\(r.framesLost)", "\(r.framesResent)", "\(r.ackFramesSent)",
                        "\(r.ackFramesLost)", "\(r.timeouts)", String(format: "%.1f", r.audioSeconds),
                        String(format: "%.1f", r.goodput), String(format: "%.2f×", r.goodput / 388),
                        " " + r.fecSummary
                    ]))
            }
        }

        static func number(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
    }
}

/// The mode named `name` (validated already).

extension LinkDirection: ExpressibleByArgument {}

extension SoundStackCommand.Link {
    /// `--role client|origin`: one station on real devices; the client sends the message, the
    /// origin receives one and writes it.
    func runLive(message: [UInt8], physical: PhysicalConfig, channel: ChannelSpec?) throws {
        var configuration = AcousticLinkConfiguration(
            physical: physical, channel: channel, mss: mss, window: window, retransmissionTimeout: rto,
            maxAudioSeconds: maxAudio, turnaroundSeconds: turnaround,
            framing: plain ? .plain : .osi, compressionLevel: compress)
        configuration.minimumSegmentSize = minSegment > 0 ? minSegment : nil
        configuration.acknowledgmentCopies = ackCopies
        configuration.fec = fec.linkFEC
        let side: LinkSide = role == .client ? .client : .origin
        let port: DeviceAudioPort
        do {
            port = try DeviceAudioPort(
                play: play ?? "default", record: record ?? "default", sampleRate: physical.sampleRate,
                streamName: "soundstack link \(side.rawValue)")
        } catch { throw BridgeCLIError(message: "soundstack link: \(error)") }
        var timing = LiveLinkTiming()
        timing.turnaround = max(timing.turnaround, turnaround)
        let station: LiveLinkStation
        do { station = try LiveLinkStation(configuration: configuration, side: side, port: port, timing: timing) } catch
        {
            throw ValidationError("\(error)")
        }
        station.start()
        defer { station.stop() }
        if side == .origin {
            let got: [UInt8]
            do { got = try station.receive(timeout: maxAudio).message } catch {
                throw BridgeCLIError(message: "soundstack link: \(error)")
            }
            // The last ACK goes out before the station stops (its FIN may come again meanwhile).
            Thread.sleep(forTimeInterval: 2 * timing.answerHold + timing.turnaround + 0.5)
            if let output {
                try AtomicFile.write(got, to: output)
            } else {
                FileHandle.standardOutput.write(Data(got))
            }
            note("link: received \(got.count) bytes (\(station.counts.framesHeard) frames heard)")
            return
        }
        let row: Row
        do {
            let report = try station.send(message, exchange: Int.random(in: 0..<16384))
            row = Row(ebn0: nil, channel: channel.map { "\($0)" }, report: report, exact: true)
        } catch let AcousticLinkError.gaveUp(report, reason) {
            row = Row(ebn0: nil, channel: channel.map { "\($0)" }, report: report, exact: false, gaveUp: reason)
        } catch { throw ValidationError("\(error)") }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(row), as: UTF8.self))
        } else {
            print(
                "link: \(message.count)-byte HTTP request on \(play ?? "default"), heard on \(record ?? "default"), "
                    + "\(physical.mode.name), MSS \(mss), window \(window), RTO \(Self.number(rto)) s (wall clock)")
            printOne(row, live: true)
        }
        if !row.exact { throw ExitCode(3) }
    }
}
