import ARQLink
import Bridge
import L7Application
import Testing

/// The client's station: what is forwarded, and what is refused.
@Suite struct ClientStationTests {
    @Test func absoluteFormBecomesOriginFormWithHostAndWithoutHopByHopFields() throws {
        let (request, url) = try ClientStation.request(
            method: "POST", target: "http://127.0.0.1:9000/api?x=1",
            fields: [
                ("Host", "127.0.0.1:9000"), ("User-Agent", "curl/7.88.1"), ("Proxy-Connection", "Keep-Alive"),
                ("Connection", "keep-alive, X-Drop"), ("X-Drop", "1"), ("Keep-Alive", "5"), ("TE", "trailers"),
                ("Proxy-Authorization", "Basic eDp5"), ("Upgrade", "h2c"), ("Expect", "100-continue"),
                ("Content-Length", "2"), ("X-Keep", "yes")
            ],
            body: Array("{}".utf8), origin: nil)
        #expect(url == "http://127.0.0.1:9000/api?x=1")
        #expect(request.startLine == "POST /api?x=1 HTTP/1.1")
        #expect(request.headers.fields.map(\.name) == ["Host", "User-Agent", "Content-Length", "X-Keep"])
        #expect(request.headers["Host"] == "127.0.0.1:9000")
        #expect(request.headers["Content-Length"] == "2")
        let wire = String(decoding: request.serialize(), as: UTF8.self)
        #expect(
            wire == "POST /api?x=1 HTTP/1.1\r\nHost: 127.0.0.1:9000\r\nUser-Agent: curl/7.88.1\r\nContent-Length: 2\r\n"
                + "X-Keep: yes\r\n\r\n{}")
    }

    @Test func originFormGoesToTheConfiguredOriginWithItsHost() throws {
        let origin = try HTTPURL("http://10.0.0.2:8080")
        let (request, url) = try ClientStation.request(
            method: "GET", target: "/a", fields: [("Host", "127.0.0.1:1234")],
            body: [], origin: origin)
        #expect(url == "http://10.0.0.2:8080/a")
        #expect(request.headers["Host"] == "10.0.0.2:8080")
        #expect(request.headers["Content-Length"] == nil)  // a GET without a body stays without one
    }

    @Test func refusals() {
        func refusal(_ method: String, _ target: String, origin: HTTPURL? = nil) -> BridgeRefusal? {
            do throws(BridgeRefusal) {
                _ = try ClientStation.request(method: method, target: target, fields: [], body: [], origin: origin)
                return nil
            } catch { return error }
        }
        #expect(refusal("GET", "/page")?.status == .badRequest)
        #expect(refusal("GET", "/page")?.reason.contains("--origin") == true)
        #expect(refusal("GET", "https://example.org/")?.status == .badRequest)
        #expect(refusal("GET", "https://example.org/")?.reason.contains("TLS") == true)
        #expect(refusal("CONNECT", "example.org:443")?.status == .notImplemented)
        #expect(refusal("GET", "ftp://example.org/")?.status == .badRequest)
        #expect(refusal("GET", "http://127.0.0.1:9/") == nil)
    }

    @Test func refusalAnswersInPlainTextNamingTheReason() throws {
        let response = BridgeRefusal(.gatewayTimeout, "link gave up").response
        #expect(response.startLine == "HTTP/1.1 504 Gateway Timeout")
        #expect(response.headers["Content-Type"] == "text/plain; charset=utf-8")
        #expect(response.bodyText == "soundstack bridge: link gave up\n")
        #expect(response.headers["Content-Length"] == "\(response.body.count)")
    }

    @Test func consoleBlockShowsBothDirections() {
        let record = ExchangeRecord(
            exchange: 3, method: "GET", url: "http://h/p", status: 200, reasonPhrase: "OK",
            request: LinkTransferReport(
                exchange: 3, direction: .request, messageBytes: 100, framesSent: 1,
                audioSeconds: 0.5, delivered: true),
            response: LinkTransferReport(
                exchange: 3, direction: .response, messageBytes: 3000, framesSent: 3,
                framesLost: 1, framesResent: 1, audioSeconds: 2, delivered: true),
            ok: true, result: "ok", wallSeconds: 0.25)
        #expect(
            record.consoleText == """
                #3 GET http://h/p → 200 OK
                   request   100 B: 1 frame sent, 0 lost, 0 resent; 0.50 s of audio, 200 B/s
                   response  3000 B: 3 frames sent, 1 lost, 1 resent; 2.00 s of audio, 1500 B/s
                   result    ok (0.25 s wall)
                """)
    }
}
