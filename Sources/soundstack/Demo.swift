import ArgumentParser
import AudioIO
import ChannelSimulator
import Foundation
import L1Physical
import L2DataLink
import L3Network
import L7Application
import SoundStack

extension SoundStackCommand {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo",
            abstract: "The whole mission: an HTTP POST down seven layers, through noise, up.",
            usage: "soundstack demo [<options>]",
            discussion: """
                A built-in POST with a JSON body goes down the stack into tones, through a simulated channel \
                (white noise at --ebn0), and up again; each direction's trace is printed, and the request that \
                arrives is compared byte for byte with the one sent. Files in --output-dir: request.wav, \
                received.wav (after the channel), request.pcapng.

                Examples:
                  soundstack demo
                  soundstack demo --ebn0 9 --output-dir demo-out
                """)

        @Option(help: "Directory for the audio and capture files (default: a temporary one).")
        var outputDir: String?

        @Option(help: "Channel Eb/N0 in dB (-50…100).")
        var ebn0: Double = 12

        @Option(name: .shortAndLong, help: "Modulation mode.")
        var mode: Mode = .fsk1200

        @Option(help: "Rounds of resending lost TCP segments, 0…100 (0: none).")
        var maxResends: Int = 3

        @Option(help: "Noise seed.")
        var seed: UInt64 = 7

        func validate() throws {
            try require(ebn0, in: OptionRange.decibels, "--ebn0")
            try require(maxResends, in: 0...100, "--max-resends")
        }

        func run() throws {
            let m = mode
            let dir =
                outputDir ?? (NSTemporaryDirectory() + "soundstack-demo-\(ProcessInfo.processInfo.processIdentifier)")
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            var headers = HTTPHeaders()
            try headers.add(name: "X-Trace", value: "1")
            let json = #"{"from":"SoundStack","text":"Hello through the air, seven layers down and up again."}"#
            let request = try HTTPRequest(.post, url: "http://10.0.0.2:8080/api/messages", json: json, headers: headers)
            let message = request.serialize()
            let client = IPv4Address(10, 0, 0, 1), server = IPv4Address(10, 0, 0, 2)
            let ends = StackEndpoints(
                sourceMAC: StackEndpoints.defaultMAC(for: client),
                destinationMAC: StackEndpoints.defaultMAC(for: server),
                sourceIP: client, destinationIP: server, sourcePort: 49152, destinationPort: 8080)
            let tx = StackTransmitter(endpoints: ends, options: StackOptions(compressionLevel: 6))
            let plan = try tx.plan(message: message)
            var audio: [Float] = []
            let config = PhysicalConfig(mode: m, gapSeconds: 0.05)
            let sent = try tx.transmit(plan.frames, physical: config) { audio += $0 }
            let summary = sent.summary, l1 = sent.record
            var down = plan.trace
            down.append(l1)

            print("SoundStack demo: one HTTP request, seven layers down into sound and up again.\n")
            print("The request (layer 7):\n")
            print(String(decoding: message, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n"))
            print("")
            print(down.rendered(maxDetails: 4))
            print("")
            let (noisy, report) = try ChannelSimulator.apply(
                [.awgn(.ebN0(dB: ebn0, bitRate: .bitsPerSecond(m.baud * Double(m.bitsPerSymbol))))],
                to: audio, sampleRate: config.sampleRate, seed: seed)
            _ = report
            print("── channel " + String(repeating: "─", count: 55))
            print(
                String(
                    format: "white noise at Eb/N0 %.1f dB over %.2f s of audio (seed %llu)\n", ebn0, summary.seconds,
                    seed))
            try write(audio, to: dir + "/request.wav", rate: config.sampleRate)
            try write(noisy, to: dir + "/received.wav", rate: config.sampleRate)
            try StackCLI.writePcap(plan.frames, to: dir + "/request.pcapng", seconds: 0)

            var rx = StackReceiver()
            let station = EthernetReceiver(address: ends.destinationMAC)
            let reports = try StackLink.receive(
                noisy, sampleRate: Double(config.sampleRate), modes: [m],
                station: station, into: &rx)
            let bad = reports.filter { !$0.isOK }
            if !bad.isEmpty {
                print("\(bad.count) of \(reports.count) frames failed their checks at L2 (FCS) and were dropped\n")
            }
            var results = rx.finish()
            // Frames lost: the sender learns the missing TCP ranges and sends only those again.
            var round = 0
            while round < maxResends, results.first?.message == nil {
                round += 1
                var senderSide = StackReceiver()
                _ = try StackLink.receive(
                    audio, sampleRate: Double(config.sampleRate), modes: [m], station: station,
                    into: &senderSide)
                guard let sent = senderSide.finish().first,
                    let again = try StackResend.plan(sent: sent, heard: results.first)
                else { break }
                var trace = StackTrace()
                let frames = try StackTransmitter(endpoints: again.endpoints, options: again.options)
                    .lowerLayers(again.segments, streamLength: 0, trace: &trace)
                var resend: [Float] = []
                let s = try tx.transmit(frames, physical: config) { resend += $0 }.summary
                let (noisyResend, _) = try ChannelSimulator.apply(
                    [.awgn(.ebN0(dB: ebn0, bitRate: .bitsPerSecond(m.baud * Double(m.bitsPerSymbol))))],
                    to: resend, sampleRate: config.sampleRate, seed: seed &+ UInt64(round))
                let names = again.segments.map { seg -> String in
                    let f = seg.header.flags
                    return f.contains(.syn) ? "SYN" : f.contains(.fin) ? "FIN" : "data seq \(seg.header.sequenceNumber)"
                }
                let gaps = again.missing.map { "bytes \($0.lowerBound)..<\($0.upperBound)" }
                print(
                    "resend \(round): the receiver lacks "
                        + (gaps.isEmpty ? "the " + names.joined(separator: " and ") : gaps.joined(separator: ", "))
                        + "; the sender sends only " + names.joined(separator: ", ")
                        + String(format: " (%.2f s)", s.seconds))
                try write(noisyResend, to: dir + "/resend\(round).wav", rate: config.sampleRate)
                _ = try StackLink.receive(
                    noisyResend, sampleRate: Double(config.sampleRate), modes: [m], station: station,
                    into: &rx)
                results = rx.finish()
            }
            if round > 0 { print("") }
            for r in results { print(r.trace.rendered(maxDetails: 4)) }
            print("")
            guard let r = results.first, let got = r.message else {
                print(
                    "✗ the request did not arrive: "
                        + (results.first?.error?.description
                            ?? "no frame of it passed layer 2 (every FCS failed)"))
                print("  (files in \(dir); try a higher --ebn0)")
                throw ExitCode(3)
            }
            print("The request that arrived (layer 7):\n")
            print(String(decoding: got, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n"))
            print("")
            print(got == message ? "✓ byte for byte identical: \(got.count) bytes" : "✗ differs from what was sent")
            print("  files: \(dir)/request.wav, received.wav, request.pcapng")
            if got != message { throw ExitCode(3) }
        }

        func write(_ samples: [Float], to path: String, rate: Int) throws {
            var w = try AudioFileWriter(path: path, sampleRate: rate, channels: 1, encoding: nil)
            try samples.withUnsafeBufferPointer { try w.write($0) }
            try w.close()
        }
    }
}
