import Bridge
import Foundation
import L7Application
import TestSupport
import Testing

/// The bridge's bounds against clients: the allow-list, the request deadline, the connection
/// cap. Loopback only, a few connections, each test bounded in time.
@Suite(.serialized, .enabled(if: curlPath != nil, "curl is not installed"), .timeLimit(.minutes(2)))
struct BridgeAccessTests {
    @Test func anOriginNotAllowedIsA403AndTheOriginSeesNoConnection() async throws {
        try await withOrigin { allowed in
            try await withOrigin { other in
                let carrier = FailingCarrier(failing: .response)
                let logs = LogBox()
                try await withBridge(.allowing(allowed), carrier: carrier, logs: logs) { bridge in
                    let proxy = ["-x", "http://127.0.0.1:\(bridge.port)"]
                    for url in ["http://127.0.0.1:\(other.port)/page", "http://localhost:\(allowed.port)/page"] {
                        let answer = try await curl(proxy + [url])
                        #expect(answer.status == 403)
                        let text = String(decoding: answer.body, as: UTF8.self)
                        #expect(text.contains("is not an allowed origin"))
                        #expect(text.split(separator: "\n").count == 1)
                    }
                    let post = try await curl(
                        proxy + [
                            "--data-binary", String(repeating: "x", count: 5_000),
                            "http://127.0.0.1:\(other.port)/echo"
                        ])
                    #expect(post.status == 403)
                    #expect(other.counter.connections == 0)
                    #expect(allowed.counter.connections == 0)
                    #expect(carrier.directions.isEmpty)  // the link was not used either
                    #expect(logs.text.contains("→ 403 Forbidden"))
                    #expect(logs.text.contains("nothing forwarded"))
                    // The allowed origin is still fetched (this carrier then gives up on the response).
                    let fine = try await curl(proxy + ["http://127.0.0.1:\(allowed.port)/page"])
                    #expect(fine.status == 504)
                    #expect(allowed.counter.requests == ["/page"])
                    #expect(other.counter.connections == 0)
                }
            }
        }
    }

    @Test func theOriginIsAllowedByDefault() async throws {
        try await withOrigin { origin in
            var configuration = BridgeConfiguration()
            configuration.origin = try HTTPURL("http://127.0.0.1:\(origin.port)")
            try await withBridge(configuration, carrier: PassCarrier()) { bridge in
                let reverse = try await curl(["http://127.0.0.1:\(bridge.port)/page"])
                #expect(reverse.status == 200)
                let proxied = try await curl([
                    "-x", "http://127.0.0.1:\(bridge.port)", "http://127.0.0.1:\(origin.port)/page"
                ])
                #expect(proxied.status == 200)
            }
        }
    }

    /// Drips bytes into `client` every `interval` s until the bridge closes it or `limit` s pass.
    /// - Parameter start: when the client connected (the bridge's deadline runs from then).
    /// - Returns: the seconds from `start` to the close, nil when it stayed open.
    private func drip(
        _ bytes: [UInt8], into client: RawClient, every interval: Double, limit: Double, since start: Date
    ) async -> Double? {
        var next = 0
        while Date().timeIntervalSince(start) < limit {
            client.poll()
            if client.closedByPeer { return Date().timeIntervalSince(start) }
            if next < bytes.count {
                client.transmit([bytes[next]])
                next += 1
            }
            try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
        }
        return nil
    }

    /// A client dripping its headers, and one dripping its body, are each cut off with 408 about
    /// --header-timeout after they began (the deadline does not restart with each byte), while a
    /// normal client is served meanwhile.
    @Test func clientsThatDripAreCutOffInTimeWhileOthersAreServed() async throws {
        try await withOrigin { origin in
            var configuration = BridgeConfiguration.allowing(origin)
            configuration.headerTimeoutSeconds = 2
            let logs = LogBox()
            try await withBridge(configuration, carrier: PassCarrier(), logs: logs) { bridge in
                let headers = Array(
                    "GET http://127.0.0.1:\(origin.port)/page HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: \(String(repeating: "p", count: 60))\r\n\r\n"
                        .utf8)
                let bodyHead = Array(
                    "POST http://127.0.0.1:\(origin.port)/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 200\r\n\r\n"
                        .utf8)
                // Timed from before each connects: a loaded machine may take a while to start dripping.
                let headerStart = Date()
                let headerDripper = try RawClient(port: bridge.port)
                let bodyStart = Date()
                let bodyDripper = try RawClient(port: bridge.port)
                bodyDripper.transmit(bodyHead)
                async let headerClosed = drip(headers, into: headerDripper, every: 0.25, limit: 10, since: headerStart)
                async let bodyClosed = drip(
                    Array(repeating: UInt8(ascii: "b"), count: 200), into: bodyDripper,
                    every: 0.25, limit: 10, since: bodyStart)
                try await Task.sleep(nanoseconds: 500_000_000)
                let served = try await curl([
                    "-x", "http://127.0.0.1:\(bridge.port)", "http://127.0.0.1:\(origin.port)/page"
                ])
                #expect(served.status == 200)
                let (h, b) = await (headerClosed, bodyClosed)
                // 2 s, plus 1 ms per byte received, plus slack for a loaded machine.
                let first = try #require(h, "the header dripper was never closed")
                let second = try #require(b, "the body dripper was never closed")
                #expect(first < 4.5)
                #expect(second < 4.5)
                #expect(first > 1.5)
                #expect(headerDripper.text.hasPrefix("HTTP/1.1 408"), "got: \(headerDripper.text)")
                #expect(bodyDripper.text.hasPrefix("HTTP/1.1 408"), "got: \(bodyDripper.text)")
                #expect(await eventually(5) { logs.text.contains("→ 408 Request Timeout") })
                #expect(!logs.text.contains("disconnected mid-request"))
                #expect(origin.counter.requests == ["/page"])
            }
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosedWithoutAnAnswer() async throws {
        var configuration = BridgeConfiguration()
        configuration.headerTimeoutSeconds = 1
        try await withBridge(configuration, carrier: PassCarrier()) { bridge in
            let client = try RawClient(port: bridge.port)
            let start = Date()
            client.transmit(Array("GET /page HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
            #expect(
                await eventually(5) {
                    client.poll(); return client.closedByPeer
                })
            #expect(Date().timeIntervalSince(start) < 4)
            // One answer (400: no --origin, the connection kept), then a close without another.
            #expect(client.text.hasPrefix("HTTP/1.1 400"), "got: \(client.text)")
            #expect(!client.text.contains("408"))
        }
    }

    /// With --max-connections 2 and two connections open, a third gets 503 with Retry-After; once
    /// one closes, the next is served.
    @Test func connectionsBeyondTheCapGetA503() async throws {
        try await withOrigin { origin in
            var configuration = BridgeConfiguration.allowing(origin)
            configuration.maxConnections = 2
            let logs = LogBox()
            try await withBridge(configuration, carrier: PassCarrier(), logs: logs) { bridge in
                let proxy = ["-x", "http://127.0.0.1:\(bridge.port)"]
                let page = "http://127.0.0.1:\(origin.port)/page"
                let first = try RawClient(port: bridge.port)
                let second = try RawClient(port: bridge.port)
                try await Task.sleep(nanoseconds: 300_000_000)
                let refused = try await curl(proxy + [page])
                #expect(refused.status == 503)
                #expect(refused.field("Retry-After") == "1")
                #expect(refused.seconds < 3)
                #expect(origin.counter.connections == 0)
                first.hangUp()
                var status = 0
                for _ in 0..<10 where status != 200 {
                    status = try await curl(proxy + [page]).status
                    if status != 200 { try await Task.sleep(nanoseconds: 200_000_000) }
                }
                #expect(status == 200)
                second.hangUp()
            }
        }
    }
}
