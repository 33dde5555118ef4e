import Checksums

/// What TCP and UDP checksums borrow from the network layer (RFC 9293 §3.1, RFC 768): the two
/// addresses, the protocol number and the transport length, as plain values so this layer needs
/// nothing from the one below.
///
///     let ph = try PseudoHeader(source: [192, 168, 0, 104], destination: [192, 168, 0, 1],
///                               protocolNumber: PseudoHeader.tcp)
///
/// The `length` is the transport header plus payload. `TCPSegment` and `UDPDatagram` set it from the
/// bytes they checksum, so callers may leave it 0.
public struct PseudoHeader: Hashable, Sendable {
    /// IP protocol number of TCP.
    public static let tcp: UInt8 = 6
    /// IP protocol number of UDP.
    public static let udp: UInt8 = 17

    /// Source address bytes: 4 for IPv4, 16 for IPv6.
    public var source: [UInt8]
    /// Destination address bytes, the same size as `source`.
    public var destination: [UInt8]
    /// IP protocol number of the transport, ``PseudoHeader/tcp`` or ``PseudoHeader/udp``.
    public var protocolNumber: UInt8
    /// Transport header plus payload in bytes; replaced by the real length when a checksum is computed.
    public var length: UInt32

    /// - Throws: `badPseudoHeaderAddresses` unless both addresses are 4 bytes (IPv4) or 16 (IPv6).
    public init(source: [UInt8], destination: [UInt8], protocolNumber: UInt8, length: UInt32 = 0) throws(TransportError)
    {
        guard source.count == destination.count, source.count == 4 || source.count == 16 else {
            throw .badPseudoHeaderAddresses(source: source.count, destination: destination.count)
        }
        self.source = source; self.destination = destination
        self.protocolNumber = protocolNumber; self.length = length
    }

    /// The same pseudo-header with another length.
    public func with(length: Int) -> PseudoHeader {
        var p = self
        p.length = UInt32(clamping: length)
        return p
    }

    /// Adds the pseudo-header's words to a running checksum. The IPv4 layout (zero, protocol,
    /// 16-bit length) and the IPv6 one (32-bit length, zeros, next header) sum to the same value.
    public func add(to sum: inout InternetChecksum) {
        sum.add(source)
        sum.add(destination)
        sum.add(word32: length)
        sum.add(word: UInt16(protocolNumber))
    }

    /// The checksum over this pseudo-header (with `length` replaced by `bytes.count`) and `bytes`.
    func checksum(over bytes: [UInt8], skipping field: Int) -> UInt16 {
        var sum = InternetChecksum()
        with(length: bytes.count).add(to: &sum)
        sum.add(bytes[0..<field])
        sum.add(bytes[(field + 2)...])
        return sum.value
    }
}
