import ARQLink
import Bridge
import Foundation
import TestSupport
import Testing

/// `soundstack bridge` as a program: starts, says its port, proxies, stops on SIGTERM.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct BridgeCLITests {
    /// A running `soundstack bridge …` with its stdout and stderr in files.
    struct Running {
        let process: Process
        let dir: TemporaryDirectory
        var stdout: String {
            String(decoding: FileManager.default.contents(atPath: dir.path + "/out") ?? Data(), as: UTF8.self)
        }
        var stderr: String {
            String(decoding: FileManager.default.contents(atPath: dir.path + "/err") ?? Data(), as: UTF8.self)
        }

        init(_ arguments: [String]) throws {
            dir = try TemporaryDirectory()
            _ = FileManager.default.createFile(atPath: dir.path + "/out", contents: nil)
            _ = FileManager.default.createFile(atPath: dir.path + "/err", contents: nil)
            process = Process()
            process.executableURL = URL(fileURLWithPath: SoundStackBinary.path ?? "soundstack")
            process.arguments = arguments
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: dir.path + "/out"))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: dir.path + "/err"))
            try process.run()
        }

        /// The port from "listening on http://127.0.0.1:PORT", once printed.
        func port() async -> Int? {
            guard await eventually(30, { stdout.contains("\n") || !process.isRunning }) else { return nil }
            let first = stdout.split(separator: "\n").first.map(String.init) ?? ""
            guard first.hasPrefix("listening on http://127.0.0.1:") else { return nil }
            return Int(first.split(separator: ":").last ?? "")
        }

        /// Waits for the exit, at most `limit` seconds, killing the process after that.
        func exit(limit: Double = 15) async -> Int32? {
            guard await eventually(limit, { !process.isRunning }) else {
                kill(process.processIdentifier, SIGKILL)
                return nil
            }
            return process.terminationStatus
        }
    }

    @Test(.enabled(if: SoundStackBinary.isAvailable && curlPath != nil, "needs the built soundstack and curl"))
    func startsSaysItsPortProxiesAndStopsOnSIGTERM() async throws {
        try await withOrigin { origin in
            let bridge = try Running([
                "bridge", "--listen", "127.0.0.1:0", "--origin", "http://127.0.0.1:\(origin.port)"
            ])
            defer { bridge.dir.remove() }
            let port = try #require(await bridge.port(), "no port on stdout: \(bridge.stdout) \(bridge.stderr)")
            let answer = try await curl(["http://127.0.0.1:\(port)/page"])
            #expect(answer.status == 200)
            #expect(answer.body == Array(OriginServer.page.utf8))
            #expect(await eventually { bridge.stderr.contains("#1 GET http://127.0.0.1:\(origin.port)/page → 200 OK") })
            bridge.process.terminate()  // SIGTERM
            #expect(await bridge.exit() == 0)
            #expect(bridge.stderr.contains("result    ok"))
            #expect(bridge.stderr.contains("stopped"))
        }
    }

    @Test(.enabled(if: SoundStackBinary.isAvailable, "needs the built soundstack"))
    func helpNamesEveryOptionAndTheErrors() async throws {
        let help = try Running(["bridge", "--help"])
        defer { help.dir.remove() }
        #expect(await help.exit() == 0)
        for text in [
            "--listen", "--origin", "--channel", "--mode", "--mss", "--window", "--save-audio", "--max-body",
            "--origin-timeout", "--link-budget", "--json-log", "--allow-origin", "--header-timeout",
            "--max-connections", "--save-audio-quota", "link-budget / 2", "403", "408", "413", "503", "502", "504",
            "curl -x"
        ] {
            #expect(help.stdout.contains(text), "help lacks \(text)")
        }
    }

    @Test(
        .enabled(if: SoundStackBinary.isAvailable, "needs the built soundstack"),
        arguments: [
            (["--listen", "nowhere"], "HOST:PORT"),
            (["--listen", "127.0.0.1:0", "--origin", "https://example.org"], "TLS"),
            (["--listen", "127.0.0.1:0", "--origin", "http://127.0.0.1:9/path"], "without a path"),
            (["--listen", "127.0.0.1:0", "--max-body", "lots"], "--max-body"),
            (["--listen", "127.0.0.1:0", "--channel", "ebn0=abc"], "--channel"),
            (["--listen", "127.0.0.1:0", "--mode", "nosuchmode"], "is invalid for '--mode"),
            (["--listen", "127.0.0.1:0", "--mss", "10"], "--mss"),
            (["--listen", "256.1.1.1:0", "--allow-origin", "127.0.0.1:9"], "cannot listen"),
            (["--listen", "127.0.0.1:0", "--allow-origin", "127.0.0.1:port"], "--allow-origin")
        ])
    func badOptionsExitWithOneClearLine(_ arguments: [String], _ expected: String) async throws {
        let bridge = try Running(["bridge"] + arguments)
        defer { bridge.dir.remove() }
        let status = await bridge.exit()
        #expect(status != nil && status != 0)
        #expect(bridge.stderr.contains(expected), "stderr: \(bridge.stderr)")
        #expect(!bridge.stdout.contains("listening"))
    }

    /// Listening beyond loopback without an allow-list is a usage error (exit 64), before any
    /// socket is opened.
    @Test(
        .enabled(if: SoundStackBinary.isAvailable, "needs the built soundstack"),
        arguments: ["0.0.0.0:0", "[::]:0", "192.0.2.1:0", "example.org:0"])
    func refusesToListenBeyondLoopbackWithoutAnAllowList(_ listen: String) async throws {
        let bridge = try Running(["bridge", "--listen", listen, "--origin", "http://127.0.0.1:9"])
        defer { bridge.dir.remove() }
        #expect(await bridge.exit() == 64)
        #expect(bridge.stderr.contains("--allow-origin"), "stderr: \(bridge.stderr)")
        #expect(bridge.stderr.contains("reachable from other machines"))
        #expect(!bridge.stdout.contains("listening"))
    }

    /// Without --max-body, the limit is what fits the link budget; a larger body is a 413 and
    /// the origin hears nothing.
    @Test(.enabled(if: SoundStackBinary.isAvailable && curlPath != nil, "needs the built soundstack and curl"))
    func theDefaultBodyLimitFitsTheLinkBudget() async throws {
        let limit = BridgeConfiguration.defaultMaxBodyBytes(
            goodput: AcousticLinkConfiguration().estimatedGoodput,
            linkBudgetSeconds: 600)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let upload = dir.path + "/big"
        try Data(repeating: UInt8(ascii: "x"), count: limit + 1).write(to: URL(fileURLWithPath: upload))
        try await withOrigin { origin in
            let bridge = try Running([
                "bridge", "--listen", "127.0.0.1:0", "--allow-origin", "127.0.0.1:\(origin.port)", "-q"
            ])
            defer { bridge.dir.remove() }
            let port = try #require(await bridge.port(), "no port on stdout: \(bridge.stdout) \(bridge.stderr)")
            let answer = try await curl([
                "-x", "http://127.0.0.1:\(port)", "--data-binary", "@\(upload)",
                "http://127.0.0.1:\(origin.port)/echo"
            ])
            #expect(answer.status == 413)
            #expect(String(decoding: answer.body, as: UTF8.self).contains("\(limit)-byte limit"))
            #expect(origin.counter.connections == 0)
            bridge.process.terminate()
            #expect(await bridge.exit() == 0)
        }
    }
}
