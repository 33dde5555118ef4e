/// Builds a classic libpcap capture (LINKTYPE_ETHERNET) of frames that carry their FCS.
///
/// The link-type field of the file header also sets the "FCS length present" bit
/// (bit 26) with an FCS length of 2 × 16 bits (bits 28–31), which is how classic pcap
/// says that every frame ends in a 4-byte FCS; Wireshark reads it, and checks the FCS
/// with `-o eth.check_fcs:TRUE`. Classic pcap has no per-packet comments or flags:
/// use ``PcapNGWriter`` to see why a frame was bad.
///
///     var pcap = PcapWriter()
///     pcap.append(frame: bytes, timestamp: 1_250_000)
///     try pcap.write(toFile: "trace.pcap")
public struct PcapWriter: Sendable {
    /// The capture so far: global header and records, ready to write to a `.pcap` file.
    public private(set) var bytes: [UInt8] = []

    static let magicMicroseconds: UInt32 = 0xA1B2_C3D4
    static let linkTypeEthernet: UInt32 = 1
    /// Bit 26: the FCS length in bits 28–31 is meaningful.
    static let fcsLengthPresent: UInt32 = 1 << 26
    /// Bits 28–31: the FCS length in 16-bit words (2 = 4 bytes).
    static let fcsLengthFourBytes: UInt32 = 2 << 28

    /// Starts a capture with the 24-byte file header.
    public init(snapLength: UInt32 = 65535) {
        PcapNGWriter.put32(Self.magicMicroseconds, &bytes)
        PcapNGWriter.put16(2, &bytes)  // version 2.4
        PcapNGWriter.put16(4, &bytes)
        PcapNGWriter.put32(0, &bytes)  // this zone
        PcapNGWriter.put32(0, &bytes)  // sigfigs
        PcapNGWriter.put32(snapLength, &bytes)
        PcapNGWriter.put32(Self.linkTypeEthernet | Self.fcsLengthPresent | Self.fcsLengthFourBytes, &bytes)
    }

    /// Appends one frame (destination … FCS) at `timestamp` microseconds into the audio.
    public mutating func append(frame: [UInt8], timestamp: UInt64) {
        PcapNGWriter.put32(UInt32(truncatingIfNeeded: timestamp / 1_000_000), &bytes)
        PcapNGWriter.put32(UInt32(truncatingIfNeeded: timestamp % 1_000_000), &bytes)
        PcapNGWriter.put32(UInt32(frame.count), &bytes)
        PcapNGWriter.put32(UInt32(frame.count), &bytes)
        bytes.append(contentsOf: frame)
    }

    /// Hands out the bytes built so far and empties the buffer.
    public mutating func takeBytes() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }

    /// Writes the bytes built so far to `path`, replacing the file.
    public func write(toFile path: String) throws {
        try writeCapture(bytes, toFile: path)
    }
}
