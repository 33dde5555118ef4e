import Foundation
import NIOCore
import TestSupport
import Testing

@testable import Lab

#if canImport(Glibc)
    import Glibc
#endif

/// The lab's server on loopback, through curl.
@Suite(.serialized, .enabled(if: curlPath != nil, "curl is not installed"), .timeLimit(.minutes(2)))
struct LabServerTests {
    func withLab(_ configuration: LabConfiguration = LabConfiguration(port: 0), _ body: (String) async throws -> Void)
        async throws
    {
        let lab = try await LabServer.start(configuration)
        do { try await body("http://127.0.0.1:\(lab.port)") } catch {
            await lab.shutdown()
            throw error
        }
        await lab.shutdown()
    }

    func json(_ result: CurlResult) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(result.body))
        return try #require(object as? [String: Any])
    }

    @Test func thePageAndItsAssetsAreServedFromTheBinary() async throws {
        try await withLab { base in
            let page = try await curl([base + "/"])
            #expect(page.status == 200 && page.field("content-type")?.hasPrefix("text/html") == true)
            let html = String(decoding: page.body, as: UTF8.self)
            #expect(html.contains("/lab.js") && html.contains("/lab.css"))
            // Nothing is fetched from elsewhere (the one http:// URL is the form's default request).
            for attribute in ["src=\"http", "href=\"http", "src='http", "href='http", "@import"] {
                #expect(!html.contains(attribute), "\(attribute)")
            }
            let script = try await curl([base + "/lab.js"])
            #expect(script.status == 200 && script.field("content-type")?.hasPrefix("text/javascript") == true)
            #expect(String(decoding: script.body, as: UTF8.self).contains("/api/example"))
            let style = try await curl([base + "/lab.css"])
            #expect(style.status == 200 && style.field("content-type")?.hasPrefix("text/css") == true)
            #expect(page.field("content-security-policy")?.contains("default-src 'self'") == true)
        }
    }

    @Test func optionsExampleAndSendAnswerJSON() async throws {
        try await withLab { base in
            let options = try json(try await curl([base + "/api/options"]))
            #expect((options["modes"] as? [[String: Any]])?.count == 12)
            #expect((options["example"] as? [String: Any])?["kind"] as? String == "text")
            let example = try await curl([base + "/api/example"])
            #expect(example.status == 200)
            let rounds = try #require(try json(example)["rounds"] as? [[String: Any]])
            #expect(rounds.count >= 2)
            let send = try await curl([
                "-H", "Content-Type: application/json", "--data-binary",
                #"{"kind":"text","text":"over HTTP","ebn0":null}"#, base + "/api/send"
            ])
            #expect(send.status == 200)
            let delivered = try #require(try json(send)["delivered"] as? [String: Any])
            #expect(delivered["text"] as? String == "over HTTP" && delivered["identical"] as? Bool == true)
        }
    }

    @Test func badRequestsGetA4xxWithAReason() async throws {
        try await withLab { base in
            let cases: [([String], Int, String)] = [
                (["--data-binary", "{not json", base + "/api/send"], 400, "not a lab request"),
                (["--data-binary", #"{"kind":"text","text":"a","mode":"zz"}"#, base + "/api/send"], 422, "mode"),
                (["--data-binary", "RIFF but not really", base + "/api/decode"], 422, "not a recording"),
                (["--data-binary", "x", base + "/api/decode?mode=nope"], 422, "mode"),
                ([base + "/api/send"], 405, "GET"),
                ([base + "/nothing-here"], 404, "nothing at /nothing-here"),
                (["--data-binary", "x", base + "/lab.css"], 400, "no body")
            ]
            for (arguments, status, reason) in cases {
                let answer = try await curl(arguments)
                #expect(answer.status == status, "\(arguments)")
                let error = try json(answer)["error"] as? String ?? ""
                #expect(error.contains(reason), "\(arguments): \(error)")
            }
        }
    }

    @Test func hugeBodiesAreRefusedBeforeTheyAreRead() async throws {
        var small = LabConfiguration(port: 0)
        small.limits.uploadBytes = 100_000
        try await withLab(small) { base in
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            let big = dir.path("big.bin")
            #expect(FileManager.default.createFile(atPath: big, contents: Data(count: 2_000_000)))
            let upload = try await curl(["--data-binary", "@" + big, base + "/api/decode"])
            #expect(upload.status == 413)
            #expect(
                try json(upload)["error"] as? String == "the body is 2000000 bytes; this route takes at most 100000")
            let json = String(repeating: " ", count: 70000) + #"{"kind":"text","text":"a"}"#
            let send = try await curl(["--data-binary", json, base + "/api/send"])
            #expect(send.status == 413)
        }
    }

    @Test func aClientThatNeverFinishesItsRequestIsCutOff() async throws {
        var quick = LabConfiguration(port: 0)
        quick.requestSeconds = 1
        try await withLab(quick) { base in
            let port = try #require(Int(base.split(separator: ":").last ?? ""))
            let fd = try connectLoopback(port: port)
            defer { close(fd) }
            let partial = Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8)
            #expect(partial.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == partial.count)
            var wait = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
            let started = Date()
            var buffer = [UInt8](repeating: 0, count: 256)
            let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            #expect(got == 0, "the server closed the connection")
            #expect(Date().timeIntervalSince(started) < 5)
        }
    }
}
