import Foundation
import SignalBasics
import TestSupport
import Testing

/// `bridge --role client` and `bridge --role origin` as two processes on one real audio server,
/// two null sinks as the air: the client plays on A and hears B's monitor, the origin plays on B
/// and hears A's monitor. Real curl in front, a real origin server behind.
@Suite(
    .serialized, .timeLimit(.minutes(4)),
    .enabled(
        if: NullSink.serverAnswers && SoundStackBinary.isAvailable && curlPath != nil,
        "needs an audio server, the built soundstack and curl"))
struct LiveBridgeTests {
    @Test func aRealRequestCrossesTwoProcessesAndComesBackByteExact() async throws {
        let a = try NullSink(label: "bridge-a")
        let b = try NullSink(label: "bridge-b")
        defer {
            a.remove()
            b.remove()
        }
        try await withOrigin { origin in
            let common = ["--origin", "http://127.0.0.1:\(origin.port)", "--mode", "fsk1200", "--mss", "256"]
            let far = try BridgeCLITests.Running(
                ["bridge", "--role", "origin", "--play", b.name, "--record", a.monitor] + common)
            defer { far.dir.remove() }
            let near = try BridgeCLITests.Running(
                [
                    "bridge", "--role", "client", "--listen", "127.0.0.1:0", "--play", a.name, "--record", b.monitor,
                    "--allow-origin", "127.0.0.1:9"
                ] + common)
            defer { near.dir.remove() }
            #expect(await eventually(30) { far.stdout.contains("origin station ready") }, "\(far.stderr)")
            let port = try #require(await near.port(), "no port: \(near.stdout) \(near.stderr)")

            // GET: the origin's page, exactly as the origin sends it directly.
            let url = "http://127.0.0.1:\(origin.port)/page"
            let direct = try await curl([url])
            let proxied = try await curl(["-x", "http://127.0.0.1:\(port)", url], limit: 90)
            #expect(proxied.status == 200, "\(near.stderr)\n---\n\(far.stderr)")
            #expect(proxied.body == direct.body)
            #expect(proxied.field("X-Origin") == "page")

            // POST: 600 bytes up, echoed back; the origin saw every byte.
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            var generator = SeededGenerator(seed: 16)
            let body = (0..<600).map { _ in UInt8.random(in: 0x20...0x7E, using: &generator) }
            let upload = dir.path("body.txt")
            try Data(body).write(to: URL(fileURLWithPath: upload))
            let post = ["--data-binary", "@\(upload)", "-H", "Content-Type: text/plain"]
            let echoDirect = try await curl(post + ["http://127.0.0.1:\(origin.port)/echo"])
            let echoed = try await curl(
                post + ["-x", "http://127.0.0.1:\(port)", "http://127.0.0.1:\(origin.port)/echo"], limit: 90)
            #expect(echoed.status == 200)
            #expect(echoed.body == echoDirect.body)

            // An origin the client's station allows but the far station does not: 403 from the far
            // station, which fetches nothing.
            let denied = try await curl(["-x", "http://127.0.0.1:\(port)", "http://127.0.0.1:9/secret"], limit: 90)
            #expect(denied.status == 403)
            #expect(String(decoding: denied.body, as: UTF8.self).contains("not an allowed origin"))
            #expect(await eventually(10) { far.stderr.contains("403") }, "\(far.stderr)")

            #expect(await eventually(10) { far.stderr.contains("→ 200 OK") }, "\(far.stderr)")
            near.process.terminate()
            far.process.terminate()
            #expect(await near.exit() == 0, "\(near.stderr)")
            #expect(await far.exit() == 0, "\(far.stderr)")
        }
    }

    @Test func linkRolesCarryAFileBetweenTwoProcesses() async throws {
        let a = try NullSink(label: "link-a")
        let b = try NullSink(label: "link-b")
        let dir = try TemporaryDirectory()
        defer {
            a.remove()
            b.remove()
            dir.remove()
        }
        var generator = SeededGenerator(seed: 17)
        let body = (0..<300).map { _ in UInt8.random(in: 0x20...0x7E, using: &generator) }
        let message = Array("POST /upload HTTP/1.1\r\nHost: example.org\r\nContent-Length: 300\r\n\r\n".utf8) + body
        let input = dir.path("request.http")
        let output = dir.path("got.http")
        try Data(message).write(to: URL(fileURLWithPath: input))
        let common = ["--mode", "fsk1200", "--mss", "256", "--max-audio", "90"]
        let far = try BridgeCLITests.Running(
            ["link", "--role", "origin", "--play", b.name, "--record", a.monitor, "-o", output] + common)
        defer { far.dir.remove() }
        try await Task.sleep(for: .seconds(1))
        let near = try BridgeCLITests.Running(
            ["link", "--role", "client", "--play", a.name, "--record", b.monitor, "--input", input] + common)
        defer { near.dir.remove() }
        #expect(await near.exit(limit: 100) == 0, "\(near.stdout)\n\(near.stderr)\n---\n\(far.stderr)")
        #expect(near.stdout.contains("delivered"), "\(near.stdout)")
        #expect(await far.exit(limit: 20) == 0, "\(far.stderr)")
        #expect(FileManager.default.contents(atPath: output).map(Array.init) == message)
    }

    @Test func theRolesNeedTheirDevicesAndTheOriginAnAllowList() async throws {
        for (arguments, expected) in [
            (["bridge", "--role", "client", "--play", "x"], "needs --play DEVICE and --record DEVICE"),
            (["bridge", "--role", "origin", "--play", "x", "--record", "y"], "--origin or --allow-origin"),
            (["bridge", "--play", "x"], "are for --role client or origin")
        ] {
            let run = try runCLI(arguments, timeLimit: 30)
            #expect(run.status != 0)
            #expect(run.stderr.contains(expected), "\(run.stderr)")
        }
    }
}
