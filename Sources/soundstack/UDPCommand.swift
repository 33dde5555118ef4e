import ArgumentParser
import AudioIO
import Foundation
import L3Network
import SoundStack

extension SoundStackCommand {
    struct UDP: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "udp",
            abstract: "Send one UDP datagram (RFC 768) in IPv4 in Ethernet as tones.",
            discussion: """
                L4 UDP (ports, length, checksum over the pseudo-header) → L3 IPv4 (protocol 17) → L2 Ethernet \
                (type 0x0800) → L1 tones. No connection, no order, no resend: one datagram. `soundstack decode` \
                checks the UDP checksum and prints the payload.

                Examples:
                  soundstack udp 10.0.0.2:5000 --text "hi" -o u.wav --trace
                  soundstack decode --ip 10.0.0.2 --trace u.wav
                  soundstack udp 10.0.2.2:5000 -i hi.txt --ip 10.0.1.2 --via 10.0.1.1 -o u.wav
                """)

        @Argument(help: "Destination IPv4:port.")
        var destination: String

        @Option(help: "Text to send.")
        var text: String?

        @Option(name: .shortAndLong, help: "File to send.")
        var input: String?

        @Option(help: "This host's IPv4 address.")
        var ip: String = "10.0.0.1"

        @Option(help: "UDP source port.")
        var sport: UInt16 = 49153

        @OptionGroup var route: StackRouteOptions
        @OptionGroup var out: StackOutputOptions

        func validate() throws {
            if (text == nil) == (input == nil) { throw ValidationError("give exactly one of --text or --input FILE") }
            try OutputPaths.refuseOverlap(outputs: out.files, inputs: [input])
        }

        func run() throws {
            let payload: [UInt8]
            if let text {
                payload = Array(text.utf8)
            } else {
                guard let path = input, let d = FileManager.default.contents(atPath: path) else {
                    throw CLIError("cannot read input file '\(input ?? "")'")
                }
                payload = [UInt8](d)
            }
            guard payload.count <= 65_507 else {
                throw CLIError("a UDP datagram in IPv4 holds at most 65507 bytes, not \(payload.count)")
            }
            let parts = destination.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let port = UInt16(parts[1]), port > 0 else {
                throw ValidationError("the destination is IPv4:port, e.g. 10.0.0.2:5000; got '\(destination)'")
            }
            let dst = try IPv4Address(String(parts[0]))
            let src = try IPv4Address(ip)
            let ends = try route.endpoints(source: src, destination: dst, sourcePort: sport, destinationPort: port)
            var options = StackOptions(identification: 0x2000)
            options.ttl = route.ttl
            let tx = StackTransmitter(endpoints: ends, options: options)
            let (frames, trace) = try tx.datagram(payload)
            var writer = try AudioFileWriter(path: out.output, sampleRate: 48000, channels: 1, encoding: nil)
            let sent = try tx.transmit(frames, physical: try out.physical()) { try writer.write($0) }
            let summary = sent.summary, l1 = sent.record
            try writer.close()
            var full = trace
            full.append(l1)
            if let p = out.pcap { try StackCLI.writePcap(frames, to: p, seconds: 0) }
            if out.trace { note(full.rendered()) }
            if out.traceJSON { FileHandle.standardOutput.write(Data(try full.json())) }
            if !out.quiet {
                note(
                    "udp: \(payload.count) B \(src):\(sport) → \(dst):\(port) → \(summary.frames) frame"
                        + (summary.frames == 1 ? "" : "s") + ", " + String(format: "%.2f s", summary.seconds)
                        + " of \(out.mode.name) -> \(out.output)")
            }
        }
    }
}

/// Who the first hop is: `--gateway` (the router's MAC, the far host's IP), `--neighbour`, `--ttl`.
struct StackRouteOptions: ParsableArguments {
    @Option(
        name: [.customLong("gateway"), .customLong("via")],
        help: "Send through this router: the Ethernet destination is its MAC, the IP destination stays the far host.")
    var gateway: String?

    @Option(help: "IPv4 time to live (hops the packet may cross).")
    var ttl: UInt8 = 64

    @Option(help: "Static neighbour table entry IP=MAC (repeatable).")
    var neighbour: [String] = []

    func validate() throws {
        if ttl == 0 { throw ValidationError("--ttl must be 1…255") }
    }

    /// The endpoints, the destination MAC being the gateway's (or the destination's) from the neighbour table or derived.
    func endpoints(
        source: IPv4Address, destination: IPv4Address, sourcePort: UInt16,
        destinationPort: UInt16
    ) throws -> StackEndpoints {
        let table = try StackCLI.neighbours(neighbour)
        let hop = try gateway.map { try IPv4Address($0) } ?? destination
        return StackEndpoints(
            sourceMAC: table[source] ?? StackEndpoints.defaultMAC(for: source),
            destinationMAC: table[hop] ?? StackEndpoints.defaultMAC(for: hop),
            sourceIP: source, destinationIP: destination, sourcePort: sourcePort,
            destinationPort: destinationPort)
    }
}
