import ArgumentParser
import AudioIO
import Foundation
import L1Physical
import L2DataLink
import L3Network
import SoundStack

extension SoundStackCommand {
    struct RouterCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "router",
            abstract: "A station on two or more acoustic networks that forwards IPv4.",
            usage: "soundstack router [<options>] --if <if> ...",
            discussion: """
                Each --if is an interface: a name, its address on the attached network, and the mode its link \
                speaks. The recording heard on an interface (--in NAME:FILE) is demodulated in that mode; frames \
                for the interface's MAC go up to layer 3, where each packet's header is checked, its route looked \
                up (connected networks and --route, longest prefix), its TTL decremented and its checksum \
                recomputed; it goes down again with the next hop's MAC, as tones in the outgoing interface's mode, \
                into that interface's --out file.

                TTL running out → ICMP Time Exceeded to the source; no route → ICMP Destination Unreachable (net \
                unreachable); an echo request for the router → echo reply. These go back out of the interface \
                they came from. MACs: the stack's default for each address (10.0.2.2 → 02:00:0a:00:02:02) unless \
                --neighbour says otherwise.

                Exit status: 0 every frame handled, 2 no frame found, 3 some frames or packets refused, 1 bad \
                input.

                Example:
                  soundstack http request POST http://10.0.2.2/api --json '{"a":1}' \\
                      --ip 10.0.1.2 --gateway 10.0.1.1 -o heard.wav
                  soundstack router --if a=10.0.1.1/24,mode=fsk1200 \\
                      --if b=10.0.2.1/24,mode=mfsk4 --in a:heard.wav --out b:next.wav \\
                      --out a:back.wav --trace
                  soundstack decode --ip 10.0.2.2 --trace next.wav
                """)

        @Option(name: .customLong("if"), help: "An interface: NAME=IP/LEN,mode=MODE[,mac=MAC] (repeatable).")
        var interfaces: [String] = []

        @Option(help: "A static route: PREFIX|default,via=IP,dev=NAME[,mtu=N] (repeatable).")
        var route: [String] = []

        @Option(help: "Static neighbour table entry IP=MAC (repeatable).")
        var neighbour: [String] = []

        @Option(name: .customLong("in"), help: "A recording heard on an interface: NAME:FILE (repeatable).")
        var inputs: [String] = []

        @Option(name: .customLong("out"), help: "Where an interface's outgoing audio goes: NAME:FILE (repeatable).")
        var outputs: [String] = []

        @Option(help: "Silence between frames, in ms (0…60000).")
        var gapMs: Double = 50

        @Flag(help: "Show each packet's crossing: in, L3 (TTL, checksum), route, out.")
        var trace = false

        @Flag(help: "One JSON object per crossing on stdout.")
        var json = false

        @Flag(name: .shortAndLong, help: "No summary on stderr.")
        var quiet = false

        func validate() throws {
            try require(gapMs, in: OptionRange.gapMs, "--gap-ms")
            if interfaces.isEmpty { throw ValidationError("give at least one --if NAME=IP/LEN,mode=MODE") }
            if inputs.isEmpty { throw ValidationError("give at least one --in NAME:FILE") }
            try OutputPaths.refuseOverlap(
                outputs: try outputs.map { try Self.split($0, "--out").1 },
                inputs: try inputs.map { try Self.split($0, "--in").1 })
        }

        static func split(_ text: String, _ what: String) throws -> (String, String) {
            guard let colon = text.firstIndex(of: ":"), colon != text.startIndex,
                text.index(after: colon) != text.endIndex
            else {
                throw ValidationError("\(what) is NAME:FILE, got '\(text)'")
            }
            return (String(text[..<colon]), String(text[text.index(after: colon)...]))
        }

        static func parseInterface(_ text: String) throws -> RouterInterface {
            let parts = text.split(separator: ",").map(String.init)
            guard let first = parts.first, let eq = first.firstIndex(of: "=") else {
                throw ValidationError("--if is NAME=IP/LEN,mode=MODE[,mac=MAC], got '\(text)'")
            }
            let name = String(first[..<eq])
            let cidr = first[first.index(after: eq)...].split(separator: "/")
            guard !name.isEmpty, cidr.count == 2, let len = Int(cidr[1]), (1...30).contains(len) else {
                throw ValidationError("--if \(text): the address needs a prefix length 1…30, e.g. a=10.0.1.1/24")
            }
            var mode: Mode?
            var mac: MACAddress?
            for p in parts.dropFirst() {
                let kv = p.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2 else { throw ValidationError("--if \(text): '\(p)' is not KEY=VALUE") }
                switch kv[0] {
                case "mode":
                    guard let m = Mode.named(kv[1]) else {
                        throw ValidationError("--if \(text): unknown mode '\(kv[1])'")
                    }
                    mode = m
                case "mac": mac = try MACAddress(kv[1])
                default: throw ValidationError("--if \(text): unknown key '\(kv[0])' (mode, mac)")
                }
            }
            guard let mode else { throw ValidationError("--if \(text): give the interface's mode=MODE") }
            do {
                return try RouterInterface(
                    name: name, address: try IPv4Address(String(cidr[0])), prefixLength: len,
                    mode: mode, mac: mac)
            } catch { throw ValidationError("--if \(text): \(error)") }
        }

        static func parseRoute(_ text: String) throws -> Route {
            let parts = text.split(separator: ",").map(String.init)
            guard let first = parts.first else { throw ValidationError("--route is PREFIX,via=IP,dev=NAME") }
            do {
                let prefix = first == "default" ? try IPv4Prefix("0.0.0.0/0") : try IPv4Prefix(first)
                var via: IPv4Address?
                var dev: String?
                var mtu: Int?
                for p in parts.dropFirst() {
                    let kv = p.split(separator: "=", maxSplits: 1).map(String.init)
                    guard kv.count == 2 else { throw ValidationError("--route \(text): '\(p)' is not KEY=VALUE") }
                    switch kv[0] {
                    case "via": via = try IPv4Address(kv[1])
                    case "dev": dev = kv[1]
                    case "mtu":
                        guard let n = Int(kv[1]), (68...1500).contains(n) else {
                            throw ValidationError("--route \(text): mtu is 68…1500")
                        }
                        mtu = n
                    default: throw ValidationError("--route \(text): unknown key '\(kv[0])' (via, dev, mtu)")
                    }
                }
                guard let dev else { throw ValidationError("--route \(text): give the interface, dev=NAME") }
                return Route(prefix: prefix, nextHop: via, interface: dev, mtu: mtu)
            } catch let e as ValidationError { throw e } catch {
                throw ValidationError("--route \(text): \(error)")
            }
        }

        func run() throws {
            let ifaces = try interfaces.map(Self.parseInterface)
            let router = try StackRouter(
                interfaces: ifaces, routes: try route.map(Self.parseRoute),
                neighbours: try StackCLI.neighbours(neighbour))
            var outFiles: [String: String] = [:]
            for o in outputs {
                let (name, file) = try Self.split(o, "--out")
                guard router.interface(named: name) != nil else {
                    throw ValidationError("--out \(o): no interface '\(name)'")
                }
                outFiles[name] = file
            }
            var pass = StackRouter.Pass()
            for i in inputs {
                let (name, file) = try Self.split(i, "--in")
                guard let iface = router.interface(named: name), let station = router.station(for: name) else {
                    throw ValidationError("--in \(i): no interface '\(name)'")
                }
                var reader = try AudioFileReader(path: file)
                let link = LinkReceiver(
                    physical: try PhysicalReceiver(
                        modes: [iface.mode], lineCode: nil,
                        sampleRate: Double(reader.sampleRate)),
                    station: station)
                var reports: [LinkFrameReport] = []
                try reader.forEachBlock { reports += link.process($0).reports }
                reports += link.finish().reports
                if reports.isEmpty, !quiet {
                    note("\(file): no frames found on \(name) (listened for \(iface.mode.name))")
                }
                router.handle(reports, on: name, into: &pass)
            }
            var lost = 0
            var sent: [String] = []
            for out in pass.outputs {
                guard let file = outFiles[out.interface] else {
                    lost += out.frames.count
                    note(
                        "\(out.frames.count) frame\(out.frames.count == 1 ? "" : "s") for interface \(out.interface) "
                            + "not sent: give --out \(out.interface):FILE")
                    continue
                }
                var writer = try AudioFileWriter(path: file, sampleRate: 48000, channels: 1, encoding: nil)
                let summary = try router.transmit(out, gapSeconds: gapMs / 1000, pass: &pass) { try writer.write($0) }
                try writer.close()
                sent.append(
                    "\(summary.frames) frame\(summary.frames == 1 ? "" : "s") on \(out.interface) → \(file) ("
                        + String(format: "%.2f s", summary.seconds)
                        + " of \(router.interface(named: out.interface)?.mode.name ?? "?"))")
            }
            for (name, file) in outFiles.sorted(by: { $0.key < $1.key })
            where !pass.outputs.contains(where: { $0.interface == name }) {
                if !quiet { note("nothing to send on \(name); \(file) not written") }
            }
            if trace { note(pass.crossings.map(\.rendered).joined(separator: "\n")) }
            if json {
                let enc = JSONEncoder()
                enc.keyEncodingStrategy = .convertToSnakeCase
                enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                for c in pass.crossings { FileHandle.standardOutput.write(try enc.encode(c) + Data([10])) }
            }
            if !quiet {
                var counts: [String: Int] = [:]
                var order: [String] = []
                for c in pass.crossings {
                    if counts[c.action.rawValue] == nil { order.append(c.action.rawValue) }
                    counts[c.action.rawValue, default: 0] += 1
                }
                let n = pass.crossings.count
                note(
                    "router: \(n) frame\(n == 1 ? "" : "s") heard: "
                        + order.map { "\(counts[$0] ?? 0) \($0)" }.joined(separator: ", ")
                        + (sent.isEmpty ? "" : "; " + sent.joined(separator: "; ")))
            }
            if pass.crossings.isEmpty { throw ExitCode(2) }
            if pass.refused > 0 || lost > 0 { throw ExitCode(3) }
        }
    }
}
