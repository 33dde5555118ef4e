import ARQLink
import Bridge
import L7Application
import Testing

struct BridgeConfigurationTests {
    @Test func theDefaultBodyLimitIsHalfTheBudgetAtTheGoodput() {
        #expect(BridgeConfiguration.defaultMaxBodyBytes(goodput: 1000, linkBudgetSeconds: 600) == 300_000 / 1024 * 1024)
        #expect(BridgeConfiguration.defaultMaxBodyBytes(goodput: 1000, linkBudgetSeconds: 1) == 16 << 10)
        #expect(BridgeConfiguration.defaultMaxBodyBytes(goodput: 1e9, linkBudgetSeconds: 600) == 10 << 20)
        #expect(BridgeConfiguration.defaultMaxBodyBytes(goodput: .infinity, linkBudgetSeconds: 600) == 10 << 20)
        let link = AcousticLinkConfiguration()
        let bytes = BridgeConfiguration.defaultMaxBodyBytes(goodput: link.estimatedGoodput, linkBudgetSeconds: 600)
        #expect(bytes > 256 << 10 && bytes < 512 << 10, "\(bytes)")
        #expect(bytes % 1024 == 0)
    }

    @Test func theOriginIsInThePolicy() throws {
        var configuration = BridgeConfiguration()
        #expect(configuration.policy.allowed.isEmpty)
        configuration.origin = try HTTPURL("http://127.0.0.1:9000")
        configuration.allowedOrigins = [try OriginPolicy.Origin("example.org")]
        #expect(
            configuration.policy.allowed == [
                try OriginPolicy.Origin("127.0.0.1:9000"), try OriginPolicy.Origin("example.org:80")
            ])
    }
}
