import Checksums

/// An IPv4 packet: a header and the bytes it carries.
///
///     let p = IPv4Packet(header: IPv4Header(ipProtocol: .udp, source: a, destination: b), payload: udp)
///     let bytes = try p.emit()            // total length and checksum filled in
///     let back = try IPv4Packet.parse(bytes)
public struct IPv4Packet: Hashable, Sendable {
    /// The IPv4 header.
    public var header: IPv4Header
    /// The packet's payload: a transport segment, an ICMP message or a fragment of either.
    public var payload: [UInt8]

    /// A packet from a header and payload; `emit` sets the total length and checksum.
    public init(header: IPv4Header, payload: [UInt8]) {
        self.header = header
        self.payload = payload
    }

    /// Largest packet IPv4 can describe.
    public static let maximumLength = 65_535

    /// Parses a whole packet; bytes after `totalLength` (link-layer padding) are ignored.
    public static func parse(_ bytes: [UInt8], verifyChecksum: Bool = true) throws(NetworkError) -> IPv4Packet {
        let header = try IPv4Header.parse(bytes, verifyChecksum: verifyChecksum)
        let start = header.options.count + IPv4Header.minimumLength
        return IPv4Packet(header: header, payload: Array(bytes[start..<Int(header.totalLength)]))
    }

    /// Decodes one packet from the front of a byte stream.
    ///
    /// - Returns: `nil` when more bytes are needed to decide (fewer than 20, or fewer than the total
    ///   length claims), otherwise the packet and how many bytes it used.
    /// - Throws: when the bytes already present are bad (version, IHL, lengths, options, checksum).
    public static func decode(_ buffer: [UInt8]) throws(NetworkError) -> (packet: IPv4Packet, consumed: Int)? {
        guard buffer.count >= IPv4Header.minimumLength else { return nil }
        let ihl = Int(buffer[IPv4Header.Field.versionIHL] & 0x0F) * 4
        let total = Int(readU16(buffer, IPv4Header.Field.totalLength))
        if buffer[0] >> 4 == 4, ihl >= 20, total >= ihl, total > buffer.count { return nil }
        let packet = try parse(buffer)
        return (packet, Int(packet.header.totalLength))
    }

    /// The packet's bytes with total length and header checksum filled in.
    public func emit() throws(NetworkError) -> [UInt8] {
        var h = header
        let total = h.headerLength + payload.count
        guard total <= Self.maximumLength else { throw .payloadTooLarge(payload.count) }
        h.totalLength = UInt16(total)
        return try h.emit() + payload
    }

    /// Splits the packet into fragments that each fit `mtu` bytes.
    ///
    /// Data is cut at multiples of 8 bytes (offsets count 8-byte units); every fragment but the last
    /// has More Fragments set; only options with the copy flag follow into later fragments. A packet
    /// that already fits is returned unchanged. A packet that is itself a fragment keeps its offset base
    /// and its own MF on the last piece.
    /// - Throws: `needsFragmentation` when Don't Fragment is set and the packet is too large;
    ///   `mtuTooSmall` when not even 8 data bytes fit.
    public func fragments(mtu: Int) throws(NetworkError) -> [IPv4Packet] {
        let size = header.headerLength + payload.count
        if size <= mtu {
            var whole = self
            whole.header.totalLength = UInt16(clamping: size)
            return [whole]
        }
        if header.flags.contains(.dontFragment) { throw .needsFragmentation(size: size, mtu: mtu) }
        guard !payload.isEmpty else { throw .mtuTooSmall(mtu: mtu, headerLength: header.headerLength) }
        var later = header
        later.options = header.copiedOptions
        var out: [IPv4Packet] = []
        var start = 0
        while start < payload.count {
            var h = out.isEmpty ? header : later
            let room = (mtu - h.headerLength) / 8 * 8
            guard room >= 8 else { throw .mtuTooSmall(mtu: mtu, headerLength: h.headerLength) }
            let end = min(payload.count, start + room)
            let isLast = end == payload.count
            h.fragmentOffset = header.fragmentOffset + UInt16(start / 8)
            if isLast {
                h.flags = header.flags
            } else {
                h.flags.insert(.moreFragments)
            }
            h.totalLength = UInt16(h.headerLength + end - start)
            out.append(IPv4Packet(header: h, payload: Array(payload[start..<end])))
            start = end
        }
        return out
    }
}
