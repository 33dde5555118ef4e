/// Everything that can be wrong with bytes or requests at the transport layer.
///
/// Each case names the value that was wrong, so a trace can say exactly why a segment was refused.
public enum TransportError: Error, Equatable, Sendable {
    /// Fewer bytes than the structure needs.
    case truncated(needed: Int, available: Int)
    /// The UDP length field is below the 8-byte header.
    case udpLengthBelowHeader(UInt16)
    /// The UDP length field claims more bytes than were received.
    case udpLengthBeyondData(claimed: Int, available: Int)
    /// A UDP datagram too large for its 16-bit length field.
    case datagramTooLarge(Int)
    /// The checksum does not match: `expected` is computed from the bytes, `actual` was in the field.
    case checksumMismatch(expected: UInt16, actual: UInt16)
    /// The TCP data offset (header length in 32-bit words) is below 5.
    case badDataOffset(UInt8)
    /// The data offset claims more header bytes than the segment has.
    case dataOffsetBeyondData(headerLength: Int, available: Int)
    /// A TCP option whose length byte is wrong for its kind, below 2, or runs past the header.
    case badOptionLength(kind: UInt8, length: UInt8)
    /// Options longer than the 40 bytes a TCP header can carry.
    case optionsTooLong(Int)
    /// Pseudo-header addresses that are not both 4 (IPv4) or both 16 (IPv6) bytes.
    case badPseudoHeaderAddresses(source: Int, destination: Int)
    /// A maximum segment size outside 1...65 495.
    case badMSS(Int)
    /// A receive window outside 1...1 073 725 440 (65 535 << 14).
    case badWindow(Int)
}
