import ARQLink
import Bridge
import ChannelSimulator
import Foundation
import L1Physical
import L7Application
import TestSupport
import Testing

/// Real curl, directly and through the bridge, against a real origin server.
@Suite(.serialized, .enabled(if: curlPath != nil, "curl is not installed"), .timeLimit(.minutes(3)))
struct BridgeProxyTests {
    @Test func getThroughProxyAndOriginFormMatchesDirect() async throws {
        try await withOrigin { origin in
            var configuration = BridgeConfiguration()
            configuration.origin = try HTTPURL("http://127.0.0.1:\(origin.port)")
            let logs = LogBox()
            try await withBridge(configuration.allowing(origin), logs: logs) { bridge in
                let url = "http://127.0.0.1:\(origin.port)/page?x=1"
                let direct = try await curl([url])
                let proxied = try await curl(["-x", "http://127.0.0.1:\(bridge.port)", url])
                let reverse = try await curl(["http://127.0.0.1:\(bridge.port)/page?x=1"])
                #expect(direct.status == 200)
                #expect(direct.body == Array(OriginServer.page.utf8))
                for through in [proxied, reverse] {
                    #expect(through.exitCode == 0)
                    #expect(through.status == direct.status)
                    #expect(through.field("Content-Type") == direct.field("Content-Type"))
                    #expect(through.field("X-Origin") == "page")
                    #expect(through.field("Content-Length") == direct.field("Content-Length"))
                    #expect(through.body == direct.body)
                }
                #expect(origin.counter.requests == ["/page?x=1", "/page?x=1", "/page?x=1"])
                let records = logs.records
                #expect(records.count == 2)
                #expect(records.allSatisfy { $0.ok && $0.status == 200 && $0.request?.delivered == true })
                #expect(records.first?.url == url)
                #expect(logs.text.contains("#1 GET \(url) → 200 OK"))
                #expect(logs.text.contains("result    ok"))
            }
        }
    }

    @Test func postOfFiftyKilobytesOfJSONMatchesDirect() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let json = jsonDocument(bytes: 50_000)
        #expect(json.utf8.count > 49_000)
        let upload = dir.path + "/body.json"
        try Data(json.utf8).write(to: URL(fileURLWithPath: upload))
        try await withOrigin { origin in
            var configuration = BridgeConfiguration()
            configuration.origin = try HTTPURL("http://127.0.0.1:\(origin.port)")
            let logs = LogBox()
            try await withBridge(configuration.allowing(origin), logs: logs) { bridge in
                let url = "http://127.0.0.1:\(origin.port)/echo?n=1"
                let post = [
                    "-H", "Content-Type: application/json", "-H", "X-Custom: kept", "--data-binary", "@\(upload)"
                ]
                let direct = try await curl(post + [url])
                let proxied = try await curl(post + ["-x", "http://127.0.0.1:\(bridge.port)", url])
                #expect(direct.status == 200)
                #expect(proxied.status == 200)
                #expect(proxied.field("Content-Type") == "application/json")
                let sent = try JSONDecoder().decode(OriginServer.Echo.self, from: Data(direct.body))
                #expect(sent.method == "POST")
                #expect(sent.body == json)
                #expect(sent.fields.contains(["x-custom", "kept"]))
                #expect(proxied.body == direct.body)  // method, target, every field and the body, exact
                let record = try #require(logs.records.first)
                #expect(record.ok)
                #expect((record.request?.messageBytes ?? 0) > 50_000)
                #expect((record.response?.messageBytes ?? 0) > 50_000)
            }
        }
    }

    @Test func headAndAChunkedUploadCrossToo() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let text = String(repeating: "chunked over sound ", count: 400)
        let upload = dir.path + "/body.txt"
        try Data(text.utf8).write(to: URL(fileURLWithPath: upload))
        try await withOrigin { origin in
            try await withBridge(.allowing(origin)) { bridge in
                let proxy = ["-x", "http://127.0.0.1:\(bridge.port)"]
                let page = "http://127.0.0.1:\(origin.port)/page"
                let directHead = try await curl(["-I", page])
                let head = try await curl(proxy + ["-I", page])
                #expect(directHead.status == 200)
                #expect(head.status == 200)
                #expect(head.field("Content-Length") == directHead.field("Content-Length"))
                #expect(head.field("Content-Length") == "\(OriginServer.page.utf8.count)")
                let chunked = try await curl(
                    proxy + [
                        "-H", "Transfer-Encoding: chunked", "-H", "Content-Type: text/plain",
                        "--data-binary", "@\(upload)", "http://127.0.0.1:\(origin.port)/echo"
                    ])
                #expect(chunked.status == 200)
                let echo = try JSONDecoder().decode(OriginServer.Echo.self, from: Data(chunked.body))
                #expect(echo.body == text)
                #expect(echo.fields.contains(["content-length", "\(text.utf8.count)"]))  // re-framed by length
                #expect(!echo.fields.contains { $0[0] == "transfer-encoding" })
            }
        }
    }

    @Test func theLinkWorksOffTheEventLoop() async throws {
        try await withOrigin { origin in
            var configuration = BridgeConfiguration()
            configuration.maxBodyBytes = 5_000
            let carrier = SlowCarrier(seconds: 5)
            try await withBridge(configuration.allowing(origin), carrier: carrier) { bridge in
                let proxy = ["-x", "http://127.0.0.1:\(bridge.port)"]
                async let slow = curl(proxy + ["http://127.0.0.1:\(origin.port)/page"])
                #expect(await eventually { carrier.started > 0 })
                // While the link holds a thread, the event loop still answers another client.
                let refused = try await curl(
                    proxy + [
                        "--data-binary", String(repeating: "x", count: 10_000),
                        "http://127.0.0.1:\(origin.port)/echo"
                    ])
                #expect(refused.status == 413)
                #expect(refused.seconds < 4)  // a carry on the event loop would hold it 5 s or more
                let answered = try await slow
                #expect(answered.status == 200)
                #expect(answered.seconds >= 10)
            }
        }
    }

    @Test func responseOverTheLimitIsA502() async throws {
        try await withOrigin { origin in
            var configuration = BridgeConfiguration()
            configuration.maxBodyBytes = 1_000
            try await withBridge(configuration.allowing(origin)) { bridge in
                let answer = try await curl([
                    "-x", "http://127.0.0.1:\(bridge.port)", "http://127.0.0.1:\(origin.port)/page"
                ])
                #expect(answer.status == 502)
                #expect(String(decoding: answer.body, as: UTF8.self).contains("larger than the 1000-byte limit"))
            }
        }
    }

    @Test func originThatIsDownIsA502() async throws {
        let origin = try await OriginServer.start()
        let port = origin.port
        await origin.stop()
        let logs = LogBox()
        try await withBridge(.allowing(port), logs: logs) { bridge in
            let answer = try await curl(["-x", "http://127.0.0.1:\(bridge.port)", "http://127.0.0.1:\(port)/page"])
            #expect(answer.status == 502)
            #expect(answer.field("Content-Type")?.hasPrefix("text/plain") == true)
            #expect(String(decoding: answer.body, as: UTF8.self).contains("could not be reached"))
            #expect(answer.seconds < 10)
            let record = try #require(logs.records.first)
            #expect(!record.ok)
            #expect(record.status == 502)
            #expect(record.response?.delivered == true)  // the origin's station answered across the link
        }
    }

    @Test func requestOverTheLimitIsA413AndNothingCrosses() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let upload = dir.path + "/big.json"
        try Data(jsonDocument(bytes: 50_000).utf8).write(to: URL(fileURLWithPath: upload))
        try await withOrigin { origin in
            var configuration = BridgeConfiguration()
            configuration.maxBodyBytes = 10_000
            let carrier = FailingCarrier(failing: .response)
            let logs = LogBox()
            try await withBridge(configuration.allowing(origin), carrier: carrier, logs: logs) { bridge in
                let url = "http://127.0.0.1:\(origin.port)/echo"
                let answer = try await curl([
                    "-x", "http://127.0.0.1:\(bridge.port)", "--data-binary", "@\(upload)",
                    "-H", "Content-Type: application/json", url
                ])
                #expect(answer.status == 413)
                #expect(String(decoding: answer.body, as: UTF8.self).contains("10000-byte limit"))
                #expect(carrier.directions.isEmpty)
                #expect(origin.counter.requests.isEmpty)
                #expect(logs.text.contains("nothing forwarded"))
                // The bridge still serves.
                let next = try await curl([
                    "-x", "http://127.0.0.1:\(bridge.port)", "http://127.0.0.1:\(origin.port)/page"
                ])
                #expect(next.status == 504)  // this carrier gives up on every response
            }
        }
    }

    @Test func clientThatDisconnectsMidRequestIsLoggedAndTheBridgeServesOn() async throws {
        try await withOrigin { origin in
            let logs = LogBox()
            try await withBridge(.allowing(origin), logs: logs) { bridge in
                let body = [UInt8](repeating: UInt8(ascii: "a"), count: 20_000)
                let head =
                    "POST http://127.0.0.1:\(origin.port)/echo HTTP/1.1\r\nHost: 127.0.0.1:\(origin.port)\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 50000\r\n\r\n"
                try sendAndClose(port: bridge.port, Array(head.utf8) + body)
                #expect(await eventually { logs.text.contains("disconnected mid-request") })
                #expect(logs.text.contains("(20000 of 50000 body bytes); nothing forwarded"))
                let next = try await curl([
                    "-x", "http://127.0.0.1:\(bridge.port)", "http://127.0.0.1:\(origin.port)/page"
                ])
                #expect(next.status == 200)
                #expect(next.body == Array(OriginServer.page.utf8))
                #expect(origin.counter.requests == ["/page"])
            }
        }
    }

    @Test(arguments: [LinkDirection.request, .response])
    func linkThatGivesUpIsA504NamingTheReason(_ direction: LinkDirection) async throws {
        try await withOrigin { origin in
            let carrier = FailingCarrier(failing: direction)
            let logs = LogBox()
            try await withBridge(.allowing(origin), carrier: carrier, logs: logs) { bridge in
                let answer = try await curl([
                    "-x", "http://127.0.0.1:\(bridge.port)", "http://127.0.0.1:\(origin.port)/page"
                ])
                #expect(answer.status == 504)
                let text = String(decoding: answer.body, as: UTF8.self)
                #expect(text.contains("link gave up on the \(direction)"))
                #expect(text.contains("no acknowledgement after 12 resends"))
                #expect(origin.counter.requests == (direction == .request ? [] : ["/page"]))
                let record = try #require(logs.records.first)
                #expect(record.status == 504)
                #expect(!record.ok)
                #expect(logs.text.contains("not delivered"))
            }
        }
    }

    /// The real link over a channel so bad that nothing gets through: it gives up within its
    /// budget of audio, the client gets a 504 naming the reason, and the origin hears nothing.
    @Test func aChannelSoBadNothingGetsThroughIsA504() async throws {
        let mode = try #require(Mode.named("mfsk4-6000"))
        let spec = try ChannelSpec.parse("ebn0=-10,seed=1").withDefaultBitRate(mode.bitRate)
        let link = try AcousticLink(AcousticLinkConfiguration(channel: spec, maxAudioSeconds: 60))
        try await withOrigin { origin in
            let logs = LogBox()
            try await withBridge(.allowing(origin), carrier: link, logs: logs) { bridge in
                let started = Date()
                let answer = try await curl([
                    "-x", "http://127.0.0.1:\(bridge.port)", "http://127.0.0.1:\(origin.port)/page"
                ])
                #expect(answer.status == 504)
                let text = String(decoding: answer.body, as: UTF8.self)
                #expect(text.contains("link gave up on the request"))
                #expect(origin.counter.requests.isEmpty)
                #expect(Date().timeIntervalSince(started) < 60)
                let record = try #require(logs.records.first)
                #expect(record.status == 504 && !record.ok)
                #expect((record.request?.timeouts ?? 0) > 0)
            }
        }
    }

    @Test func slowOriginIsA504() async throws {
        try await withOrigin(slowSeconds: 10) { origin in
            var configuration = BridgeConfiguration()
            configuration.originTimeoutSeconds = 1
            try await withBridge(configuration.allowing(origin)) { bridge in
                let answer = try await curl([
                    "-x", "http://127.0.0.1:\(bridge.port)", "http://127.0.0.1:\(origin.port)/slow"
                ])
                #expect(answer.status == 504)
                #expect(String(decoding: answer.body, as: UTF8.self).contains("did not answer within 1 s"))
                #expect(answer.seconds < 8)
            }
        }
    }

    @Test func originFormWithoutAnOriginIsA400() async throws {
        let logs = LogBox()
        try await withBridge(logs: logs) { bridge in
            let answer = try await curl(["http://127.0.0.1:\(bridge.port)/page"])
            #expect(answer.status == 400)
            #expect(String(decoding: answer.body, as: UTF8.self).contains("--origin"))
            #expect(logs.text.contains("→ 400 Bad Request"))
        }
    }

    /// At 6 dB uncoded frames barely cross; the bridge's link codes its frames (FEC picked per
    /// transmission from the Eb/N0 measured) and the page arrives exact, the record naming the
    /// schemes used.
    @Test func aPoorChannelIsCrossedWithForwardErrorCorrection() async throws {
        let mode = try #require(Mode.named("mfsk4-6000"))
        let spec = try ChannelSpec.parse("ebn0=6,seed=4").withDefaultBitRate(mode.bitRate)
        let link = try AcousticLink(AcousticLinkConfiguration(channel: spec))
        try await withOrigin { origin in
            let logs = LogBox()
            try await withBridge(.allowing(origin), carrier: link, logs: logs) { bridge in
                let url = "http://127.0.0.1:\(origin.port)/page"
                let direct = try await curl([url])
                let proxied = try await curl(["-x", "http://127.0.0.1:\(bridge.port)", url], limit: 150)
                #expect(proxied.status == 200)
                #expect(proxied.body == direct.body)
                let record = try #require(logs.records.first)
                #expect(record.ok)
                let used = (record.request?.fecFrames ?? [:]).merging(record.response?.fecFrames ?? [:]) { $0 + $1 }
                #expect(used.keys.contains { $0.hasPrefix("cc") || $0.hasPrefix("turbo") }, "\(used)")
                #expect(record.consoleText.contains("FEC "))
            }
        }
    }

    /// Frames lost in the channel are resent and the result is still exact: a GET of the page and
    /// a POST of 50 kB of JSON, at an Eb/N0 where about a fifth of the frames are lost.
    @Test(arguments: [0, 50_000])
    func noisyChannelResendsAndStaysExact(postBytes: Int) async throws {
        let mode = try #require(Mode.named("mfsk4-6000"))
        let spec = try ChannelSpec.parse("ebn0=10,seed=3").withDefaultBitRate(mode.bitRate)
        var configuration = AcousticLinkConfiguration(channel: spec)
        configuration.fec = .fixed(.none)  // uncoded, so frames are lost and resent
        let link = try AcousticLink(configuration)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let upload = dir.path + "/body.json"
        try Data(jsonDocument(bytes: max(postBytes, 1)).utf8).write(to: URL(fileURLWithPath: upload))
        try await withOrigin { origin in
            let logs = LogBox()
            try await withBridge(.allowing(origin), carrier: link, logs: logs) { bridge in
                let url = "http://127.0.0.1:\(origin.port)/" + (postBytes > 0 ? "echo" : "page")
                let post = postBytes > 0 ? ["-H", "Content-Type: application/json", "--data-binary", "@\(upload)"] : []
                let direct = try await curl(post + [url])
                let proxied = try await curl(post + ["-x", "http://127.0.0.1:\(bridge.port)", url], limit: 150)
                #expect(direct.status == 200)
                #expect(proxied.status == direct.status)
                #expect(proxied.field("Content-Type") == direct.field("Content-Type"))
                #expect(proxied.body == direct.body)
                let record = try #require(logs.records.first)
                #expect(record.ok)
                let resent = (record.request?.framesResent ?? 0) + (record.response?.framesResent ?? 0)
                let lost = (record.request?.framesLost ?? 0) + (record.response?.framesLost ?? 0)
                #expect(lost > 0)
                #expect(resent >= lost)
            }
        }
    }
}
