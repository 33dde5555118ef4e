import Foundation
import L2DataLink
import TestSupport
import Testing

@Suite struct PcapWriterTests {
    @Test func fileHeaderSaysEthernetWithFourByteFCS() {
        let bytes = PcapWriter().bytes
        #expect(
            bytes == [
                0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0xFF, 0xFF, 0, 0, 0x01, 0x00, 0x00, 0x24
            ])
    }

    @Test func recordHeader() {
        var writer = PcapWriter()
        _ = writer.takeBytes()
        writer.append(frame: helloFrameBytes, timestamp: 3_000_042)
        #expect(Array(writer.bytes.prefix(16)) == [3, 0, 0, 0, 42, 0, 0, 0, 64, 0, 0, 0, 64, 0, 0, 0])
        #expect(Array(writer.bytes.dropFirst(16)) == helloFrameBytes)
    }

    @Test(.enabled(if: Tshark.isAvailable, "needs tshark"))
    func tsharkChecksTheFCS() throws {
        var bad = helloFrameBytes
        bad[40] ^= 0x80
        var writer = PcapWriter()
        writer.append(frame: helloFrameBytes, timestamp: 0)
        writer.append(frame: bad, timestamp: 1000)
        let dir = try TemporaryDirectory(prefix: "l2-tshark")
        defer { dir.remove() }
        let path = dir.path("fcs.pcap")
        try writer.write(toFile: path)
        let rows = try Tshark.fields([
            "-r", path, "-o", "eth.check_fcs:TRUE", "-T", "fields",
            "-e", "eth.dst", "-e", "eth.type", "-e", "eth.fcs.status"
        ])
        #expect(rows == [["02:53:53:00:00:02", "0x88b5", "1"], ["02:53:53:00:00:02", "0x88b5", "0"]])
    }
}
