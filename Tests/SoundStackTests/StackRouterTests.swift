import Foundation
import L1Physical
import L2DataLink
import L3Network
import L4Transport
import SoundStack
import TestSupport
import Testing

/// Net A (10.0.1.0/24, fsk1200) and net B (10.0.2.0/24, mfsk4-6000) joined by a router at .1 on each.
private enum Nets {
    static let sender = IPv4Address(10, 0, 1, 2)
    static let server = IPv4Address(10, 0, 2, 2)
    static let routerA = IPv4Address(10, 0, 1, 1)
    static let fsk1200 = Mode.named("fsk1200")!
    static let fast = Mode.named("mfsk4-6000")!

    static func router(routes: [Route] = []) throws -> StackRouter {
        try StackRouter(
            interfaces: [
                RouterInterface(name: "a", address: routerA, prefixLength: 24, mode: fsk1200),
                RouterInterface(name: "b", address: IPv4Address(10, 0, 2, 1), prefixLength: 24, mode: fast)
            ], routes: routes)
    }

    /// The sender's endpoints when it sends through a gateway: the gateway's MAC, the far host's IP.
    static func ends(to destination: IPv4Address, via gateway: IPv4Address = routerA) -> StackEndpoints {
        StackEndpoints(
            sourceMAC: StackEndpoints.defaultMAC(for: sender), destinationMAC: StackEndpoints.defaultMAC(for: gateway),
            sourceIP: sender, destinationIP: destination, sourcePort: 49152, destinationPort: 8080)
    }
}

/// Frames as audio in `mode`.
private func sound(_ frames: [[UInt8]], mode: Mode) throws -> [Float] {
    var audio: [Float] = []
    _ = try StackTransmitter(endpoints: stackClient).transmit(
        frames, physical: PhysicalConfig(mode: mode, gapSeconds: 0.02)
    ) { audio += $0 }
    return audio
}

/// What the router does with a recording heard on `interface` (the real demodulator in that interface's mode).
private func route(
    _ audio: [Float], on interface: String, through router: StackRouter,
    into pass: inout StackRouter.Pass
) throws {
    let iface = try #require(router.interface(named: interface))
    let link = LinkReceiver(
        physical: try PhysicalReceiver(modes: [iface.mode], lineCode: nil, sampleRate: 48000),
        station: try #require(router.station(for: interface)))
    let reports = audio.withUnsafeBufferPointer { link.process($0).reports } + link.finish().reports
    router.handle(reports, on: interface, into: &pass)
}

/// The router's audio out of one interface.
private func output(_ pass: inout StackRouter.Pass, _ interface: String, of router: StackRouter) throws -> [Float] {
    let out = try #require(pass.outputs.first { $0.interface == interface })
    var audio: [Float] = []
    _ = try router.transmit(out, gapSeconds: 0.02, pass: &pass) { audio += $0 }
    return audio
}

private func receive(_ audio: [Float], mode: Mode, at ip: IPv4Address) throws -> StackReceiver {
    var rx = StackReceiver()
    _ = try StackLink.receive(
        audio, sampleRate: 48000, modes: [mode],
        station: EthernetReceiver(address: StackEndpoints.defaultMAC(for: ip)), into: &rx)
    return rx
}

@Suite struct StackRouterTests {
    @Test func postOnNetACrossesTheRouterAndArrivesOnNetBInAnotherMode() throws {
        let message = try stackRequest()
        let plan = try StackTransmitter(endpoints: Nets.ends(to: Nets.server), options: StackOptions(framing: .plain))
            .plan(message: message)
        let router = try Nets.router()
        var pass = StackRouter.Pass()
        try route(try sound(plan.frames, mode: Nets.fsk1200), on: "a", through: router, into: &pass)
        #expect(pass.crossings.count == plan.frames.count)
        #expect(pass.crossings.allSatisfy { $0.action == .forwarded && $0.ttlIn == 64 && $0.ttlOut == 63 })
        #expect(
            pass.crossings.allSatisfy {
                $0.outInterface == "b" && $0.outMode == "mfsk4-6000" && $0.checksumIn != $0.checksumOut
            })
        let out = try #require(pass.outputs.first)
        #expect(pass.outputs.count == 1 && out.interface == "b")
        for f in out.frames {
            let frame = try EthernetFrame.parse(f)
            #expect(frame.source == StackEndpoints.defaultMAC(for: IPv4Address(10, 0, 2, 1)))
            #expect(frame.destination == StackEndpoints.defaultMAC(for: Nets.server))
            let header = try IPv4Header.parse(frame.payload)  // verifies the new checksum
            #expect(header.ttl == 63)
        }
        let audio = try output(&pass, "b", of: router)
        #expect(pass.crossings.allSatisfy { ($0.outSeconds ?? 0) > 0 })
        var rx = try receive(audio, mode: Nets.fast, at: Nets.server)
        let r = try #require(rx.finish().first)
        #expect(r.error == nil)
        #expect(r.message == message)
        #expect(r.trace.records.contains { $0.layer == 3 && $0.summary.contains("TTL 63") })
        // Heard in the sender's mode only: nothing on net B's mode.
        var wrong = try receive(audio, mode: Nets.fsk1200, at: Nets.server)
        #expect(wrong.finish().isEmpty)
    }

    @Test func ttlOneComesBackAsTimeExceededQuotingTheOriginalHeader() throws {
        var options = StackOptions(framing: .plain)
        options.ttl = 1
        let plan = try StackTransmitter(endpoints: Nets.ends(to: Nets.server), options: options).plan(
            message: try stackRequest())
        let router = try Nets.router()
        var pass = StackRouter.Pass()
        try route(try sound([plan.frames[0]], mode: Nets.fsk1200), on: "a", through: router, into: &pass)
        #expect(pass.crossings.map(\.action) == [.timeExceeded])
        #expect(pass.outputs.map(\.interface) == ["a"])
        var rx = try receive(try output(&pass, "a", of: router), mode: Nets.fsk1200, at: Nets.sender)
        #expect(rx.finish().isEmpty)
        let d = try #require(rx.datagrams.first)
        #expect(rx.datagrams.count == 1)
        #expect(d.header.source == Nets.routerA && d.header.destination == Nets.sender && d.header.ipProtocol == .icmp)
        guard case .timeExceeded(let code, let original)? = d.icmp else {
            Issue.record("not Time Exceeded: \(d.summary)")
            return
        }
        #expect(code == 0)
        let sentPacket = Array(try EthernetFrame.parse(plan.frames[0]).payload.prefix(20 + 8))
        #expect(original == sentPacket)
        let quoted = try #require(StackReceiver.quotedHeader(original))
        #expect(quoted.header.ttl == 1 && quoted.header.destination == Nets.server)
        #expect(quoted.ports?.0 == 49152 && quoted.ports?.1 == 8080)
        #expect(d.summary.contains("Time Exceeded") && d.summary.contains("10.0.1.2:49152 → 10.0.2.2:8080"))
    }

    @Test func noRouteIsAnsweredWithNetUnreachable() throws {
        let plan = try StackTransmitter(
            endpoints: Nets.ends(to: IPv4Address(10, 9, 0, 2)), options: StackOptions(framing: .plain)
        )
        .plan(message: try stackRequest())
        let router = try Nets.router()
        var pass = StackRouter.Pass()
        try route(try sound([plan.frames[0]], mode: Nets.fsk1200), on: "a", through: router, into: &pass)
        #expect(pass.crossings.map(\.action) == [.unreachable])
        var rx = try receive(try output(&pass, "a", of: router), mode: Nets.fsk1200, at: Nets.sender)
        guard case .destinationUnreachable(let code, _, _)? = rx.datagrams.first?.icmp else {
            Issue.record("no Destination Unreachable")
            return
        }
        #expect(code == .network)
        #expect(rx.finish().isEmpty)
    }

    @Test func aCorruptFrameIsReportedAndNotForwarded() throws {
        let plan = try StackTransmitter(endpoints: Nets.ends(to: Nets.server), options: StackOptions(framing: .plain))
            .plan(message: try stackRequest())
        var frames = plan.frames
        frames[1][30] ^= 0x5A  // FCS no longer matches
        let router = try Nets.router()
        var pass = StackRouter.Pass()
        try route(try sound(frames, mode: Nets.fsk1200), on: "a", through: router, into: &pass)
        #expect(pass.crossings.map(\.action) == [.forwarded, .refused, .forwarded])
        #expect(pass.crossings[1].frameStatus == "fcs-mismatch")
        #expect(pass.refused == 1)
        #expect(pass.outputs.first?.frames.count == 2)
        #expect(pass.outputs.first?.crossing == [0, 2])
    }

    @Test func twoRoutersInAChainDecrementTheTTLTwice() throws {
        // A (fsk1200) — R1 — B (mfsk4-6000) — R2 — C (fsk1200, 10.0.3.0/24).
        let far = IPv4Address(10, 0, 3, 2)
        let r1 = try Nets.router(routes: [
            Route(prefix: try IPv4Prefix("10.0.3.0/24"), nextHop: IPv4Address(10, 0, 2, 254), interface: "b")
        ])
        let r2 = try StackRouter(
            interfaces: [
                RouterInterface(name: "b", address: IPv4Address(10, 0, 2, 254), prefixLength: 24, mode: Nets.fast),
                RouterInterface(name: "c", address: IPv4Address(10, 0, 3, 1), prefixLength: 24, mode: Nets.fsk1200)
            ], routes: [Route(prefix: try IPv4Prefix("0.0.0.0/0"), nextHop: IPv4Address(10, 0, 2, 1), interface: "b")])
        let message = try stackRequest()
        let plan = try StackTransmitter(endpoints: Nets.ends(to: far), options: StackOptions(framing: .plain)).plan(
            message: message)
        var p1 = StackRouter.Pass()
        try route(try sound(plan.frames, mode: Nets.fsk1200), on: "a", through: r1, into: &p1)
        #expect(p1.crossings.allSatisfy { $0.nextHop == "10.0.2.254" && $0.route?.contains("static") == true })
        var p2 = StackRouter.Pass()
        try route(try output(&p1, "b", of: r1), on: "b", through: r2, into: &p2)
        #expect(p2.crossings.allSatisfy { $0.action == .forwarded && $0.ttlIn == 63 && $0.ttlOut == 62 })
        var rx = try receive(try output(&p2, "c", of: r2), mode: Nets.fsk1200, at: far)
        let r = try #require(rx.finish().first)
        #expect(r.message == message)
        #expect(r.trace.records.contains { $0.layer == 3 && $0.summary.contains("TTL 62") })
    }

    @Test func anEchoRequestForTheRouterGetsAnEchoReply() throws {
        let ping = ICMPv4Message.echoRequest(identifier: 7, sequence: 1, data: Array("ping".utf8)).emit()
        let packet = try IPv4Packet(
            header: IPv4Header(ipProtocol: .icmp, source: Nets.sender, destination: Nets.routerA),
            payload: ping
        ).emit()
        let frame = try EthernetFrame(
            destination: StackEndpoints.defaultMAC(for: Nets.routerA),
            source: StackEndpoints.defaultMAC(for: Nets.sender), etherType: .ipv4, payload: packet
        ).emit()
        let router = try Nets.router()
        var pass = StackRouter.Pass()
        try route(try sound([frame], mode: Nets.fsk1200), on: "a", through: router, into: &pass)
        #expect(pass.crossings.map(\.action) == [.echoReply])
        let rx = try receive(try output(&pass, "a", of: router), mode: Nets.fsk1200, at: Nets.sender)
        #expect(rx.datagrams.first?.icmp == .echoReply(identifier: 7, sequence: 1, data: Array("ping".utf8)))
    }

    @Test func badConfigurationsAreRefused() throws {
        let a = try RouterInterface(name: "a", address: Nets.routerA, prefixLength: 24, mode: Nets.fsk1200)
        #expect(throws: StackError.self) { try StackRouter(interfaces: [a, a]) }
        #expect(throws: StackError.self) {
            try StackRouter(interfaces: [a], routes: [Route(prefix: try IPv4Prefix("10.0.3.0/24"), interface: "z")])
        }
    }

    @Test(.enabled(if: SoundStackBinary.isAvailable)) func cliRouterForwardsAndAnswersTTLExpiry() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let ifs = ["--if", "a=10.0.1.1/24,mode=fsk1200", "--if", "b=10.0.2.1/24,mode=mfsk4-6000"]
        #expect(
            try runCLI([
                "http", "request", "POST", "http://10.0.2.2:8080/api", "--json", #"{"a":1}"#,
                "--ip", "10.0.1.2", "--gateway", "10.0.1.1", "-o", "\(dir.path)/heard.wav"
            ]).status == 0)
        let r = try runCLI(
            ["router"] + ifs + [
                "--in", "a:\(dir.path)/heard.wav", "--out", "b:\(dir.path)/next.wav",
                "--out", "a:\(dir.path)/back.wav", "--trace"
            ])
        #expect(r.status == 0)
        #expect(r.stderr.contains("TTL 64→63") && r.stderr.contains("route 10.0.2.0/24 dev b (connected)"))
        #expect(r.stderr.contains("out b (mfsk4-6000) 02:00:0a:00:02:01 → 02:00:0a:00:02:02"))
        let got = try runCLI(["decode", "--ip", "10.0.2.2", "--trace", "\(dir.path)/next.wav"])
        #expect(got.status == 0 && got.stdout.hasSuffix(#"{"a":1}"#) && got.stderr.contains("TTL 63"))
        // The answer goes back through the router: to its MAC on b, out on a in fsk1200.
        #expect(
            try runCLI([
                "http", "response", "--to", "\(dir.path)/next.wav", "--status", "201", "--json", #"{"id":7}"#,
                "-o", "\(dir.path)/resp.wav", "--mode", "mfsk4-6000"
            ]).status == 0)
        #expect(
            try runCLI(["router"] + ifs + ["--in", "b:\(dir.path)/resp.wav", "--out", "a:\(dir.path)/resp-a.wav"])
                .status == 0)
        let answer = try runCLI(["decode", "--ip", "10.0.1.2", "\(dir.path)/resp-a.wav"])
        #expect(
            answer.status == 0 && answer.stdout.hasPrefix("HTTP/1.1 201 Created\r\n")
                && answer.stdout.hasSuffix(#"{"id":7}"#))

        #expect(
            try runCLI([
                "http", "request", "GET", "http://10.0.2.2:8080/", "--ip", "10.0.1.2",
                "--gateway", "10.0.1.1", "--ttl", "1", "-o", "\(dir.path)/ttl1.wav"
            ]).status == 0)
        let j = try runCLI(
            ["router"] + ifs + ["--in", "a:\(dir.path)/ttl1.wav", "--out", "a:\(dir.path)/back.wav", "--json"])
        #expect(j.status == 0 && j.stdout.contains("\"action\":\"time-exceeded\""))
        let back = try runCLI(["decode", "--ip", "10.0.1.2", "\(dir.path)/back.wav"])
        #expect(back.status == 0 && back.stderr.contains("ICMP 10.0.1.1 → 10.0.1.2: Time Exceeded"))

        let help = try runCLI(["router", "--help"])
        #expect(
            help.stdout.contains("--if") && help.stdout.contains("--route") && help.stdout.contains("Time Exceeded"))
        let silent = try runCLI(["router"] + ifs + ["--in", "b:\(dir.path)/heard.wav"])
        #expect(silent.status == 2)
        let bad = try runCLI(["router", "--if", "a=10.0.1.1,mode=fsk1200", "--in", "a:\(dir.path)/heard.wav"])
        #expect(bad.status == 64 && bad.stderr.contains("prefix length"))
    }
}
