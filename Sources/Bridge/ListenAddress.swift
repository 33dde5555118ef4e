#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the bridge can tell about the address it is asked to listen on, without a socket.
///
/// ```swift
/// ListenAddress.isLoopback("127.0.0.1")   // true
/// ListenAddress.isLoopback("::1")         // true
/// ListenAddress.isLoopback("0.0.0.0")     // false: every interface
/// ListenAddress.isLoopback("example.org") // false: a name may resolve anywhere
/// ```
public enum ListenAddress {
    /// Whether only this machine can reach `host`: an IPv4 address in 127.0.0.0/8, the IPv6
    /// address `::1` (brackets allowed), or the name `localhost`. Anything else — `0.0.0.0`,
    /// `::`, any other address or name — is reachable from elsewhere, as far as the bridge knows.
    public static func isLoopback(_ host: String) -> Bool {
        var text = host
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if text.lowercased() == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return bytes.count == 16 && bytes[0..<15].allSatisfy { $0 == 0 } && bytes[15] == 1
        }
        return false
    }
}
