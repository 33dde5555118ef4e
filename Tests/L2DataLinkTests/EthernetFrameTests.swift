import Checksums
import L2DataLink
import Testing

/// One Ethernet II frame, built by hand: 02:53:53:00:00:01 → 02:53:53:00:00:02, EtherType
/// 0x88B5, payload "Hello, SoundStack!" padded with zeros to 46 bytes, FCS 0xA3648D3B
/// sent least significant byte first. tshark reads it as `eth.fcs.status` Good
/// (see PcapNGWriterTests, which writes this very frame).
let helloFrameBytes: [UInt8] = [
    0x02, 0x53, 0x53, 0x00, 0x00, 0x02, 0x02, 0x53, 0x53, 0x00, 0x00, 0x01, 0x88, 0xB5, 0x48, 0x65,
    0x6C, 0x6C, 0x6F, 0x2C, 0x20, 0x53, 0x6F, 0x75, 0x6E, 0x64, 0x53, 0x74, 0x61, 0x63, 0x6B, 0x21,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3B, 0x8D, 0x64, 0xA3
]
let helloPayload = Array("Hello, SoundStack!".utf8)
let stationA = MACAddress(0x02, 0x53, 0x53, 0x00, 0x00, 0x01)
let stationB = MACAddress(0x02, 0x53, 0x53, 0x00, 0x00, 0x02)
let helloFrame = EthernetFrame(
    destination: stationB, source: stationA, etherType: .localExperimental1,
    payload: helloPayload)

@Suite struct EthernetFrameTests {
    @Test func deconstruct() {
        let view = EthernetFrameView(helloFrameBytes)
        #expect(view.destination == stationB)
        #expect(view.source == stationA)
        #expect(view.etherType == .localExperimental1)
        #expect(view.payload.map(Array.init) == helloPayload + [UInt8](repeating: 0, count: 28))
        #expect(view.receivedFCS == 0xA364_8D3B)
        #expect(view.computedFCS == 0xA364_8D3B)
        #expect(view.fcsIsValid)
        #expect(view.validationError == nil)
    }

    @Test func construct() throws {
        var bytes: [UInt8] = [0xEE]  // emit(into:) appends
        try helloFrame.emit(into: &bytes)
        #expect(Array(bytes.dropFirst()) == helloFrameBytes)
        #expect(helloFrame.emittedLength == 64)
    }

    @Test func parse() throws {
        let frame = try EthernetFrame.parse(helloFrameBytes)
        #expect(frame.destination == stationB && frame.source == stationA && frame.etherType == .localExperimental1)
        // Padding cannot be told from data at L2: the payload keeps it.
        #expect(frame.payload.count == 46)
        #expect(Array(frame.payload.prefix(helloPayload.count)) == helloPayload)
        #expect(frame.payload.dropFirst(helloPayload.count).allSatisfy { $0 == 0 })
    }

    @Test func emit() throws {
        #expect(try helloFrame.emit() == helloFrameBytes)
        // Parsing then emitting gives back the same bytes (the padding is now payload).
        #expect(try EthernetFrame.parse(helloFrameBytes).emit() == helloFrameBytes)
    }

    @Test func fcsIsTheSharedCRC32CheckValue() {
        // "123456789" with its FCS appended the Ethernet way reads back as the CRC-32 check value.
        var bytes = Array("123456789".utf8)
        EthernetFrame.appendFCS(CRC32.checksum(bytes), to: &bytes)
        #expect(Array(bytes.suffix(4)) == [0x26, 0x39, 0xF4, 0xCB])
        let view = EthernetFrameView(bytes)
        #expect(view.computedFCS == 0xCBF4_3926)
        #expect(view.receivedFCS == 0xCBF4_3926)
        #expect(view.fcsIsValid)
        // The IEEE 802.3 residue: the CRC over a frame *with* its FCS is constant.
        #expect(CRC32.checksum(bytes) == 0x2144_DF1C)
        #expect(CRC32.checksum(helloFrameBytes) == 0x2144_DF1C)
    }

    /// The limit of the check, shown: an error shaped like the generator polynomial
    /// G(x) = x³² + x²⁶ + x²³ + x²² + x¹⁶ + x¹² + x¹¹ + x¹⁰ + x⁸ + x⁷ + x⁵ + x⁴ + x² + x + 1
    /// (a 33-bit burst, 15 bits flipped) passes the FCS wherever it lands. Bits count in
    /// transmission order (least significant bit of each byte first), FCS included,
    /// which is the order ``FCSExperiment`` uses for its bursts.
    @Test(arguments: [0, 1, 7, 100, 479])
    func generatorShapedBurstIsUndetected(at start: Int) {
        let degrees = [32, 26, 23, 22, 16, 12, 11, 10, 8, 7, 5, 4, 2, 1, 0]
        var bytes = helloFrameBytes
        for d in degrees {
            let bit = start + (32 - d)
            bytes[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
        }
        #expect(bytes != helloFrameBytes)
        #expect(EthernetFrameView(bytes).fcsIsValid)
        // Dropping one flipped bit leaves a detectable error.
        let bit = start + 32
        bytes[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
        #expect(!EthernetFrameView(bytes).fcsIsValid)
    }

    @Test(arguments: [0, 1, 45, 46, 47, 1499, 1500])
    func payloadSizes(_ n: Int) throws {
        let payload = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let frame = EthernetFrame(destination: .broadcast, source: stationA, etherType: .ipv4, payload: payload)
        let bytes = try frame.emit()
        #expect(bytes.count == 14 + max(n, 46) + 4)
        #expect(bytes.count == frame.emittedLength)
        let back = try EthernetFrame.parse(bytes)
        #expect(Array(back.payload.prefix(n)) == payload)
        #expect(back.payload.count == max(n, 46))
    }

    @Test func payloadAboveMTUIsRefused() {
        let frame = EthernetFrame(
            destination: .broadcast, source: stationA, payload: [UInt8](repeating: 1, count: 1501))
        #expect(throws: DataLinkError.payloadTooLong(length: 1501, mtu: 1500)) { try frame.emit() }
    }

    @Test func parseRejectsRuntTooLongAndBadFCS() {
        #expect(throws: DataLinkError.runt(length: 63)) { try EthernetFrame.parse(helloFrameBytes.dropLast()) }
        #expect(throws: DataLinkError.runt(length: 0)) { try EthernetFrame.parse([UInt8]()) }
        #expect(throws: DataLinkError.tooLong(length: 1519)) {
            try EthernetFrame.parse([UInt8](repeating: 0, count: 1519))
        }
        var bad = helloFrameBytes
        bad[20] ^= 0x01
        let expected = CRC32.checksum(bad.prefix(60))
        #expect(throws: DataLinkError.fcsMismatch(expected: expected, received: 0xA364_8D3B)) {
            try EthernetFrame.parse(bad)
        }
    }

    @Test func viewNeverTrapsOnShortBytes() {
        for n in 0..<20 {
            let view = EthernetFrameView(Array(helloFrameBytes.prefix(n)))
            #expect((view.destination != nil) == (n >= 6))
            #expect((view.source != nil) == (n >= 12))
            #expect((view.etherType != nil) == (n >= 14))
            #expect((view.payload != nil) == (n >= 18))
            #expect((view.receivedFCS != nil) == (n >= 4))
            #expect(view.validationError == .runt(length: n))
        }
    }
}
