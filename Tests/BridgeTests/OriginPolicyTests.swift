import Bridge
import L7Application
import Testing

/// The allow-list alone: no sockets.
struct OriginPolicyTests {
    @Test func parsesHostAndPortWithPort80ByDefault() throws {
        #expect(try OriginPolicy.Origin("127.0.0.1:9000") == OriginPolicy.Origin(host: "127.0.0.1", port: 9000))
        #expect(try OriginPolicy.Origin("Example.ORG") == OriginPolicy.Origin(host: "example.org", port: 80))
        #expect(
            try OriginPolicy.Origin("http://example.org:8080") == OriginPolicy.Origin(host: "example.org", port: 8080))
        #expect(try OriginPolicy.Origin("[::1]:8080") == OriginPolicy.Origin(host: "[::1]", port: 8080))
        #expect(try OriginPolicy.Origin("127.0.0.1:9000").description == "127.0.0.1:9000")
    }

    @Test(arguments: ["", "host:port", "example.org/path", "https://example.org", "a b", "user@example.org", "h:70000"])
    func refusesWhatIsNotHostAndPort(_ text: String) {
        #expect(throws: OriginPolicyError.self) { try OriginPolicy.Origin(text) }
    }

    @Test func allowsTheListedOriginsAndTheOriginOnly() throws {
        let policy = try OriginPolicy(
            allowing: ["127.0.0.1:9000", "example.org"], origin: HTTPURL("http://10.0.0.2:8080"))
        #expect(policy.decide(OriginPolicy.Origin(host: "127.0.0.1", port: 9000)) == .allow)
        #expect(policy.decide(OriginPolicy.Origin(host: "EXAMPLE.org", port: 80)) == .allow)
        #expect(policy.decide(OriginPolicy.Origin(host: "10.0.0.2", port: 8080)) == .allow)
        for denied in [
            ("127.0.0.1", 9001), ("localhost", 9000), ("example.org", 8080), ("10.0.0.2", 80),
            ("169.254.169.254", 80), ("127.0.0.2", 9000)
        ] {
            guard case .deny(let reason) = policy.decide(OriginPolicy.Origin(host: denied.0, port: denied.1)) else {
                Issue.record("\(denied) allowed")
                continue
            }
            #expect(reason.contains("\(denied.0):\(denied.1) is not an allowed origin"))
            #expect(reason.contains("allowed: 10.0.0.2:8080, 127.0.0.1:9000, example.org:80"))
            #expect(!reason.contains("\n"))
        }
    }

    @Test func anEmptyPolicyAllowsNothing() {
        let policy = OriginPolicy(allowed: [])
        guard case .deny(let reason) = policy.decide(OriginPolicy.Origin(host: "127.0.0.1", port: 80)) else {
            Issue.record("allowed")
            return
        }
        #expect(reason.contains("--allow-origin"))
    }

    @Test func decidesOnTheRequestTargetAsSent() throws {
        let origin = try HTTPURL("http://127.0.0.1:9000")
        let policy = try OriginPolicy(allowing: ["example.org"], origin: origin)
        #expect(policy.decide(requestTarget: "/page", origin: origin) == .allow)
        #expect(policy.decide(requestTarget: "http://example.org/a?b", origin: origin) == .allow)
        #expect(policy.decide(requestTarget: "http://EXAMPLE.org:80/", origin: origin) == .allow)
        #expect(policy.decide(requestTarget: "http://example.org:81/", origin: origin) != .allow)
        #expect(policy.decide(requestTarget: "http://127.0.0.1:9000@evil.example/", origin: origin) == nil)
        #expect(policy.decide(requestTarget: "http://evil.example/", origin: origin) != .allow)
        #expect(policy.decide(requestTarget: "/page", origin: nil) == nil)  // refused later: no origin
        #expect(policy.decide(requestTarget: "*", origin: origin) == nil)
    }
}
