import Foundation

/// Builds a pcapng capture of Ethernet frames that carry their FCS, so that
/// Wireshark checks each frame's CRC-32 and shows why bad ones were bad.
///
/// The file is one Section Header Block, one Interface Description Block (link type 1,
/// Ethernet; `if_tsresol` = 6, microseconds; `if_fcslen` = 4, every frame ends in its FCS)
/// and one Enhanced Packet Block per frame. A frame's timestamp is its time in the audio
/// file. A damaged frame gets `epb_flags` (direction inbound, FCS length 4, and the error
/// bits: CRC error, packet too short/too long) and an `opt_comment` such as
/// `fcs-mismatch expected 0x… received 0x…`.
///
///     var pcap = PcapNGWriter()
///     pcap.append(report, timestamp: 1_250_000)   // 1.25 s into the audio
///     try pcap.write(toFile: "trace.pcapng")
///
/// Wireshark/tshark verify the FCS only when asked:
///
///     tshark -r trace.pcapng -o eth.check_fcs:TRUE \
///            -T fields -e eth.dst -e eth.src -e eth.type -e eth.fcs.status -e frame.comment
///
/// `eth.fcs.status` is 1 (Good) or 0 (Bad); 2 (Unverified) without the option.
///
/// Streaming: ``takeBytes()`` hands out what has been built so far and empties the buffer.
public struct PcapNGWriter: Sendable {
    /// Bytes built and not yet taken.
    public private(set) var bytes: [UInt8] = []

    // Block types and option codes (pcapng, draft-ietf-opsawg-pcapng).
    static let sectionHeaderBlock: UInt32 = 0x0A0D_0D0A
    static let interfaceDescriptionBlock: UInt32 = 0x0000_0001
    static let enhancedPacketBlock: UInt32 = 0x0000_0006
    static let byteOrderMagic: UInt32 = 0x1A2B_3C4D
    static let optEndOfOptions: UInt16 = 0
    static let optComment: UInt16 = 1
    static let shbUserApplication: UInt16 = 4
    static let ifName: UInt16 = 2
    static let ifTimestampResolution: UInt16 = 9
    static let ifFCSLength: UInt16 = 13
    static let epbFlags: UInt16 = 2
    static let linkTypeEthernet: UInt16 = 1

    /// `epb_flags` bits: direction inbound (bits 0–1 = 01) and FCS length 4 (bits 5–8).
    public static let flagInbound: UInt32 = 0x0000_0001
    /// `epb_flags`: the FCS length is 4 bytes.
    public static let flagFCSLength4: UInt32 = 4 << 5
    /// `epb_flags` link-layer error bits (bits 24–31).
    public static let flagCRCError: UInt32 = 1 << 24
    /// `epb_flags` link-layer error bit: packet too long.
    public static let flagPacketTooLong: UInt32 = 1 << 25
    /// `epb_flags` link-layer error bit: packet too short.
    public static let flagPacketTooShort: UInt32 = 1 << 26

    /// Starts a capture: writes the section header and the one Ethernet interface.
    /// - Parameters:
    ///   - application: stored in `shb_userappl`.
    ///   - interfaceName: stored in `if_name`.
    public init(application: String = "SoundStack", interfaceName: String = "audio0") {
        var shb: [UInt8] = []
        Self.put32(Self.byteOrderMagic, &shb)
        Self.put16(1, &shb)  // major version
        Self.put16(0, &shb)  // minor version
        Self.put64(UInt64.max, &shb)  // section length: unknown (-1)
        Self.putOption(Self.shbUserApplication, Array(application.utf8), &shb)
        Self.putOption(Self.optEndOfOptions, [], &shb)
        appendBlock(Self.sectionHeaderBlock, shb)

        var idb: [UInt8] = []
        Self.put16(Self.linkTypeEthernet, &idb)
        Self.put16(0, &idb)  // reserved
        Self.put32(0, &idb)  // snap length: no limit
        Self.putOption(Self.ifName, Array(interfaceName.utf8), &idb)
        Self.putOption(Self.ifTimestampResolution, [6], &idb)
        Self.putOption(Self.ifFCSLength, [4], &idb)
        Self.putOption(Self.optEndOfOptions, [], &idb)
        appendBlock(Self.interfaceDescriptionBlock, idb)
    }

    /// Appends one frame (destination … FCS).
    /// - Parameters:
    ///   - frame: the bytes as received, FCS included.
    ///   - timestamp: microseconds since the start of the audio file.
    ///   - flags: `epb_flags`, or `nil` for none.
    ///   - comment: `opt_comment`, or `nil` for none.
    public mutating func append(frame: [UInt8], timestamp: UInt64, flags: UInt32? = nil, comment: String? = nil) {
        var epb: [UInt8] = []
        epb.reserveCapacity(32 + frame.count + (comment?.utf8.count ?? 0))
        Self.put32(0, &epb)  // interface 0
        Self.put32(UInt32(truncatingIfNeeded: timestamp >> 32), &epb)
        Self.put32(UInt32(truncatingIfNeeded: timestamp), &epb)
        Self.put32(UInt32(frame.count), &epb)  // captured length
        Self.put32(UInt32(frame.count), &epb)  // original length
        epb.append(contentsOf: frame)
        Self.pad(&epb)
        if comment != nil || flags != nil {
            if let comment { Self.putOption(Self.optComment, Array(comment.utf8), &epb) }
            if let flags {
                var v: [UInt8] = []
                Self.put32(flags, &v)
                Self.putOption(Self.epbFlags, v, &epb)
            }
            Self.putOption(Self.optEndOfOptions, [], &epb)
        }
        appendBlock(Self.enhancedPacketBlock, epb)
    }

    /// Appends a classified frame: damaged frames get error flags and a comment
    /// (``FrameStatus/description``); good ones, for us or not, get neither.
    public mutating func append(_ report: FrameReport, timestamp: UInt64) {
        let (flags, comment) = Self.annotation(for: report.status)
        append(frame: report.bytes, timestamp: timestamp, flags: flags, comment: comment)
    }

    /// The `epb_flags` and comment that describe `status`, `nil` for a good frame.
    public static func annotation(for status: FrameStatus) -> (flags: UInt32?, comment: String?) {
        let base = flagInbound | flagFCSLength4
        switch status {
        case .ok, .notForMe: return (nil, nil)
        case .fcsMismatch: return (base | flagCRCError, status.description)
        case .runt: return (base | flagPacketTooShort, status.description)
        case .tooLong: return (base | flagPacketTooLong, status.description)
        }
    }

    /// Hands out the bytes built so far and empties the buffer (for writing as you go).
    public mutating func takeBytes() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }

    /// Writes the bytes built so far to `path`, replacing the file.
    /// - Throws: ``DataLinkError/captureWriteFailed(path:reason:)``.
    public func write(toFile path: String) throws {
        try writeCapture(bytes, toFile: path)
    }

    // MARK: Encoding (little-endian, the byte order the magic announces)

    private mutating func appendBlock(_ type: UInt32, _ body: [UInt8]) {
        let total = UInt32(12 + body.count)
        Self.put32(type, &bytes)
        Self.put32(total, &bytes)
        bytes.append(contentsOf: body)
        Self.put32(total, &bytes)
    }

    static func putOption(_ code: UInt16, _ value: [UInt8], _ out: inout [UInt8]) {
        put16(code, &out)
        put16(UInt16(truncatingIfNeeded: min(value.count, Int(UInt16.max))), &out)
        out.append(contentsOf: value.prefix(Int(UInt16.max)))
        pad(&out)
    }

    static func pad(_ out: inout [UInt8]) {
        while out.count % 4 != 0 { out.append(0) }
    }

    static func put16(_ v: UInt16, _ out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: v))
        out.append(UInt8(truncatingIfNeeded: v >> 8))
    }

    static func put32(_ v: UInt32, _ out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }

    static func put64(_ v: UInt64, _ out: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
    }
}

/// Writes `bytes` to `path`, replacing the file.
func writeCapture(_ bytes: [UInt8], toFile path: String) throws {
    do {
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw DataLinkError.captureWriteFailed(path: path, reason: "\(error)")
    }
}
