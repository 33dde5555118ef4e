import ARQLink
import Bridge
import Foundation
import SignalBasics
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// The time limit only catches a hang: the load test takes about 90 s alone on two cores (debug
// build) and 105…135 s within a full parallel test run, so 15 minutes is more than 5× either.

/// The bridge under load and faults, on loopback only: many clients at once over a noisy
/// channel, an upload that must not hold up short requests, an origin that goes away
/// mid-response, and clients that flood it with header fields.
@Suite(.serialized, .enabled(if: curlPath != nil, "curl is not installed"), .timeLimit(.minutes(15)))
struct BridgeLoadTests {
    /// One request of the load: what is asked, and what must come back.
    struct Job: Sendable {
        var client: Int
        var post: Int?  // body bytes of a POST to /echo; nil: GET /page

        func arguments(proxy: Int, origin: Int, upload: String?) -> [String] {
            let proxied = ["-x", "http://127.0.0.1:\(proxy)"]
            guard let upload else { return proxied + ["http://127.0.0.1:\(origin)/page"] }
            return proxied + [
                "-H", "Content-Type: application/json", "--data-binary", "@\(upload)",
                "http://127.0.0.1:\(origin)/echo"
            ]
        }
    }

    /// 20 clients × 10 requests each, mixed: GET of the page (2 kB) and POSTs of 0.1–20 kB of
    /// JSON to the echo, with one of 100 kB and one of 60 kB, fixed by a seed.
    static func jobs() -> [[Job]] {
        var random = SeededGenerator(seed: 2026)
        return (0..<20).map { client in
            (0..<10).map { index in
                if client == 0, index == 9 { return Job(client: client, post: 100_000) }
                if client == 1, index == 9 { return Job(client: client, post: 60_000) }
                let roll = Int.random(in: 0..<10, using: &random)
                if roll < 5 { return Job(client: client, post: nil) }
                if roll < 9 { return Job(client: client, post: Int.random(in: 100...4_000, using: &random)) }
                return Job(client: client, post: Int.random(in: 4_000...20_000, using: &random))
            }
        }
    }

    /// The peak resident memory of process `pid` in bytes (Linux's VmHWM), nil elsewhere.
    static func peakResidentBytes(of pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kB = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            return kB.map { $0 * 1024 }
        }
        return nil
    }

    /// `soundstack bridge` as its own process over a noisy channel, 20 clients sending 10
    /// requests each at once: every answer is exact, the channel lost frames that were resent,
    /// and the latencies and the bridge's peak memory are reported.
    @Test(.enabled(if: SoundStackBinary.isAvailable, "needs the built soundstack"))
    func twentyClientsTimesTenRequestsOverANoisyChannelAreAllExact() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let jobs = Self.jobs()
        var uploads: [Int: String] = [:]
        for size in Set(jobs.joined().compactMap(\.post)) {
            uploads[size] = try dir.write("body-\(size).json", Array(jsonDocument(bytes: size).utf8))
        }
        let bodies = uploads
        try await withOrigin { origin in
            let bridge = try BridgeCLITests.Running([
                "bridge", "--listen", "127.0.0.1:0", "--allow-origin", "127.0.0.1:\(origin.port)",
                "--channel", "ebn0=11,seed=5", "--fec", "none", "--max-connections", "32", "--json-log", "--quiet"
            ])
            defer {
                kill(bridge.process.processIdentifier, SIGKILL)
                bridge.dir.remove()
            }
            let port = try #require(await bridge.port(), "no port: \(bridge.stdout) \(bridge.stderr)")
            let started = Date()
            let results = try await withThrowingTaskGroup(of: [(Job, CurlResult)].self) { group in
                for clientJobs in jobs {
                    group.addTask {
                        var done: [(Job, CurlResult)] = []
                        for job in clientJobs {
                            let upload = job.post.flatMap { bodies[$0] }
                            let answer = try await curl(
                                job.arguments(proxy: port, origin: origin.port, upload: upload), limit: 240)
                            done.append((job, answer))
                        }
                        return done
                    }
                }
                var all: [(Job, CurlResult)] = []
                for try await done in group { all += done }
                return all
            }
            let wall = Date().timeIntervalSince(started)
            let peak = Self.peakResidentBytes(of: bridge.process.processIdentifier)
            kill(bridge.process.processIdentifier, SIGTERM)
            _ = await bridge.exit()

            #expect(results.count == 200)
            for (job, answer) in results {
                #expect(answer.status == 200, "client \(job.client): \(answer.status) \(answer.exitCode)")
                if let size = job.post {
                    let echo = try JSONDecoder().decode(OriginServer.Echo.self, from: Data(answer.body))
                    #expect(echo.body == jsonDocument(bytes: size), "client \(job.client): \(size)-byte body")
                } else {
                    #expect(answer.body == Array(OriginServer.page.utf8), "client \(job.client): the page")
                }
            }
            // Every exchange was logged as delivered, and the channel made the link work for it.
            let records = bridge.stdout.split(separator: "\n").dropFirst().compactMap {
                try? JSONDecoder().decode(ExchangeRecord.self, from: Data($0.utf8))
            }
            #expect(records.count == 200)
            #expect(records.allSatisfy { $0.ok })
            let lost = records.reduce(0) { $0 + ($1.request?.framesLost ?? 0) + ($1.response?.framesLost ?? 0) }
            let resent = records.reduce(0) {
                $0 + ($1.request?.framesResent ?? 0) + ($1.response?.framesResent ?? 0)
            }
            #expect(lost > 0)
            #expect(resent >= lost)

            let latencies = results.map(\.1.seconds).sorted()
            let p50 = latencies[latencies.count / 2]
            let p99 = latencies[latencies.count * 99 / 100]
            let peakText = peak.map { String(format: "%.0f MiB", Double($0) / 1_048_576) } ?? "unknown"
            print(
                String(
                    format: "bridge load: 200 requests from 20 clients in %.1f s; latency p50 %.2f s, p99 %.2f s, "
                        + "max %.2f s; %d frames lost and %d resent; bridge peak RSS %@",
                    wall, p50, p99, latencies.last ?? 0, lost, resent, peakText))
            if let peak { #expect(peak < 1 << 30, "the bridge's peak RSS is \(peakText)") }
        }
    }

    /// A 100 kB upload and a GET of the page, the GET sent once the upload has begun to cross: the
    /// GET is answered while the upload is still on its way (it does not wait behind it).
    @Test func aLongUploadDoesNotHoldUpAShortRequest() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let upload = try dir.write("body.json", Array(jsonDocument(bytes: 100_000).utf8))
        try await withOrigin { origin in
            let logs = LogBox()
            try await withBridge(.allowing(origin), logs: logs) { bridge in
                let proxy = ["-x", "http://127.0.0.1:\(bridge.port)"]
                let finished = Finished()
                async let long = {
                    let answer = try await curl(
                        proxy + ["--data-binary", "@\(upload)", "http://127.0.0.1:\(origin.port)/echo"], limit: 240)
                    finished.mark("upload")
                    return answer
                }()
                try await Task.sleep(nanoseconds: 500_000_000)
                let short = try await curl(proxy + ["http://127.0.0.1:\(origin.port)/page"])
                finished.mark("page")
                #expect(short.status == 200)
                #expect(short.body == Array(OriginServer.page.utf8))
                let answer = try await long
                #expect(answer.status == 200)
                #expect(finished.order == ["page", "upload"])
            }
        }
    }

    /// The origin sends a head promising 10,000 bytes, 1,000 of them, and closes: the client
    /// gets 502 naming what happened, never a short body passed off as whole.
    @Test func anOriginThatGoesAwayMidResponseIsA502() async throws {
        try await withOrigin { origin in
            let logs = LogBox()
            try await withBridge(.allowing(origin), carrier: PassCarrier(), logs: logs) { bridge in
                let answer = try await curl([
                    "-x", "http://127.0.0.1:\(bridge.port)", "http://127.0.0.1:\(origin.port)/cut"
                ])
                #expect(answer.status == 502)
                #expect(String(decoding: answer.body, as: UTF8.self).contains("soundstack bridge:"))
                let record = try #require(logs.records.first)
                #expect(!record.ok)
                #expect(record.status == 502)
                let next = try await curl([
                    "-x", "http://127.0.0.1:\(bridge.port)", "http://127.0.0.1:\(origin.port)/page"
                ])
                #expect(next.status == 200)
            }
        }
    }

    /// Requests with more header fields than allowed get 431, one whose head is over 80 KiB gets
    /// 400 and a closed connection; nothing reaches the origin, and the next client is served.
    @Test(arguments: [(fields: 150, padding: 8, status: 431), (fields: 2_000, padding: 60, status: 400)])
    func aFloodOfHeaderFieldsIsRefusedAndNothingIsForwarded(fields: Int, padding: Int, status: Int) async throws {
        try await withOrigin { origin in
            let logs = LogBox()
            try await withBridge(.allowing(origin), carrier: PassCarrier(), logs: logs) { bridge in
                var head = "GET http://127.0.0.1:\(origin.port)/page HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                for index in 0..<fields {
                    head += "X-Flood-\(index): \(String(repeating: "f", count: padding))\r\n"
                }
                head += "\r\n"
                let client = try RawClient(port: bridge.port)
                client.transmit(Array(head.utf8))
                #expect(
                    await eventually(10) {
                        client.poll()
                        return client.closedByPeer || client.text.contains("\r\n\r\n")
                    })
                #expect(client.text.hasPrefix("HTTP/1.1 \(status)"), "got: \(client.text.prefix(200))")
                client.hangUp()
                let next = try await curl([
                    "-x", "http://127.0.0.1:\(bridge.port)", "http://127.0.0.1:\(origin.port)/page"
                ])
                #expect(next.status == 200)
                #expect(origin.counter.requests == ["/page"])
            }
        }
    }
}

/// The order in which things finished.
final class Finished: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [String] = []
    func mark(_ name: String) { lock.withLock { names.append(name) } }
    var order: [String] { lock.withLock { names } }
}
