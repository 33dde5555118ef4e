import Foundation
import L2DataLink
import TestSupport
import Testing

@Suite struct PcapNGWriterTests {
    /// The hello frame, good, and the same frame with one bit flipped.
    func captures() -> (writer: PcapNGWriter, badReport: FrameReport) {
        var bad = helloFrameBytes
        bad[20] ^= 0x01
        let rx = EthernetReceiver(address: stationB)
        let good = rx.classify(helloFrameBytes)
        let badReport = rx.classify(bad)
        var writer = PcapNGWriter()
        writer.append(good, timestamp: 1_250_000)
        writer.append(badReport, timestamp: 2_500_001)
        return (writer, badReport)
    }

    @Test func blockStructure() {
        let bytes = captures().writer.bytes
        // Section Header Block, little-endian byte-order magic, version 1.0.
        #expect(Array(bytes.prefix(4)) == [0x0A, 0x0D, 0x0D, 0x0A])
        #expect(Array(bytes[8..<16]) == [0x4D, 0x3C, 0x2B, 0x1A, 0x01, 0x00, 0x00, 0x00])
        // Walk the blocks: each length is a multiple of 4 and repeated at the end.
        var offset = 0
        var types: [UInt32] = []
        func u32(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }
        while offset < bytes.count {
            let length = Int(u32(offset + 4))
            #expect(length % 4 == 0)
            #expect(u32(offset + length - 4) == UInt32(length))
            types.append(u32(offset))
            offset += length
        }
        #expect(offset == bytes.count)
        #expect(types == [0x0A0D_0D0A, 1, 6, 6])
    }

    @Test func annotations() {
        #expect(PcapNGWriter.annotation(for: .ok).flags == nil)
        #expect(PcapNGWriter.annotation(for: .notForMe(destination: stationA)).comment == nil)
        let fcs = PcapNGWriter.annotation(for: .fcsMismatch(expected: 0x0102_0304, received: 0xA364_8D3B))
        #expect(fcs.flags == 0x0100_0081)
        #expect(fcs.comment == "fcs-mismatch expected 0x01020304 received 0xa3648d3b")
        #expect(PcapNGWriter.annotation(for: .runt(length: 40)).flags == 0x0400_0081)
        #expect(PcapNGWriter.annotation(for: .tooLong(length: 1600)).comment == "too-long length 1600")
    }

    @Test func takeBytesStreams() {
        var writer = captures().writer
        let all = writer.bytes
        let head = writer.takeBytes()
        #expect(head == all && writer.bytes.isEmpty)
        writer.append(frame: helloFrameBytes, timestamp: 0)
        #expect(writer.bytes.count == 28 + 64 + 4)
    }

    /// tshark validates the FCS: Good for the intact frame, Bad for the corrupted one,
    /// and shows our comment and flags on the bad one.
    @Test(.enabled(if: Tshark.isAvailable, "needs tshark"))
    func tsharkChecksTheFCS() throws {
        let (writer, badReport) = captures()
        let dir = try TemporaryDirectory(prefix: "l2-tshark")
        defer { dir.remove() }
        let path = dir.path("fcs.pcapng")
        try writer.write(toFile: path)

        let rows = try Tshark.fields([
            "-r", path, "-o", "eth.check_fcs:TRUE", "-T", "fields",
            "-e", "frame.time_relative", "-e", "eth.dst", "-e", "eth.src", "-e", "eth.type",
            "-e", "eth.fcs", "-e", "eth.fcs.status", "-e", "frame.comment", "-e", "frame.packet_flags_crc_error"
        ])
        #expect(rows.count == 2)
        guard rows.count == 2, rows.allSatisfy({ $0.count == 8 }) else { return }
        #expect(Array(rows[0][1...5]) == ["02:53:53:00:00:02", "02:53:53:00:00:01", "0x88b5", "0x3b8d64a3", "1"])
        #expect(rows[0][6] == "")
        #expect(Array(rows[1][1...3]) == ["02:53:53:00:00:02", "02:53:53:00:00:01", "0x88b5"])
        #expect(rows[1][5] == "0")  // Bad
        #expect(rows[1][6] == badReport.status.description)
        #expect(rows[1][6].hasPrefix("fcs-mismatch expected 0x"))
        #expect(rows[1][7] == "1")
        // Timestamps: microseconds into the audio file.
        #expect(rows[0][0].hasPrefix("0.000000"))
        #expect(rows[1][0].hasPrefix("1.250001"))

        // The human-readable verdicts, as Wireshark shows them.
        let verbose = try Tshark.fields(["-r", path, "-o", "eth.check_fcs:TRUE", "-V"]).map {
            $0.joined(separator: "\t")
        }
        #expect(verbose.contains { $0.contains("[FCS Status: Good]") })
        #expect(verbose.contains { $0.contains("[FCS Status: Bad]") })
    }

    /// Without `-o eth.check_fcs:TRUE`, tshark still reads the FCS (thanks to `if_fcslen`) but leaves it unverified.
    @Test(.enabled(if: Tshark.isAvailable, "needs tshark"))
    func withoutTheOptionTheFCSIsUnverified() throws {
        let dir = try TemporaryDirectory(prefix: "l2-tshark")
        defer { dir.remove() }
        let path = dir.path("unverified.pcapng")
        try captures().writer.write(toFile: path)
        let rows = try Tshark.fields(["-r", path, "-T", "fields", "-e", "eth.fcs", "-e", "eth.fcs.status"])
        #expect(rows == [["0x3b8d64a3", "2"], ["0x3b8d64a3", "2"]])
    }

    /// Runts and over-long frames carry their error bit and a comment too.
    @Test(.enabled(if: Tshark.isAvailable, "needs tshark"))
    func runtAndTooLongAreFlagged() throws {
        let rx = EthernetReceiver(address: stationB)
        var writer = PcapNGWriter()
        writer.append(rx.classify(Array(helloFrameBytes.prefix(40))), timestamp: 0)
        writer.append(rx.classify([UInt8](repeating: 0x5A, count: 1600)), timestamp: 10)
        let dir = try TemporaryDirectory(prefix: "l2-tshark")
        defer { dir.remove() }
        let path = dir.path("lengths.pcapng")
        try writer.write(toFile: path)
        let rows = try Tshark.fields([
            "-r", path, "-T", "fields", "-e", "frame.len", "-e", "frame.comment",
            "-e", "frame.packet_flags_packet_too_short_error", "-e", "frame.packet_flags_packet_too_error"
        ])
        #expect(rows == [["40", "runt length 40", "1", "0"], ["1600", "too-long length 1600", "0", "1"]])
    }
}
