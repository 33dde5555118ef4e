import Bridge
import Testing

struct ListenAddressTests {
    @Test(arguments: ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "0:0:0:0:0:0:0:1", "localhost", "LOCALHOST"])
    func loopback(_ host: String) { #expect(ListenAddress.isLoopback(host)) }

    @Test(arguments: [
        "0.0.0.0", "::", "[::]", "10.0.0.1", "192.168.1.2", "128.0.0.1", "::2", "example.org", "", "256.1.1.1"
    ])
    func notLoopback(_ host: String) { #expect(!ListenAddress.isLoopback(host)) }
}
