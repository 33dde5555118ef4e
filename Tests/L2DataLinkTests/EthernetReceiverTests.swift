import Checksums
import L2DataLink
import Testing

@Suite struct EthernetReceiverTests {
    let me = stationB
    let group = MACAddress(0x01, 0x00, 0x5E, 0x00, 0x00, 0xFB)

    func frame(to destination: MACAddress, payload: [UInt8] = helloPayload) throws -> [UInt8] {
        try EthernetFrame(destination: destination, source: stationA, payload: payload).emit()
    }

    @Test func deliversFramesForMe() throws {
        let report = EthernetReceiver(address: me).classify(helloFrameBytes)
        #expect(report.status == .ok)
        #expect(report.delivered == (try EthernetFrame.parse(helloFrameBytes)))
        #expect(report.bytes == helloFrameBytes)
        #expect(report.description == "ok 02:53:53:00:00:01 > 02:53:53:00:00:02 0x88b5 (Local Experimental 1) 64 bytes")
    }

    @Test func broadcastIsAlwaysForMe() throws {
        let report = EthernetReceiver(address: me).classify(try frame(to: .broadcast))
        #expect(report.status == .ok)
        #expect(report.delivered?.destination == .broadcast)
    }

    @Test func multicastOnlyWhenJoined() throws {
        var rx = EthernetReceiver(address: me)
        let bytes = try frame(to: group)
        #expect(rx.classify(bytes).status == .notForMe(destination: group))
        #expect(rx.classify(bytes).delivered == nil)
        rx.join(group)
        #expect(rx.classify(bytes).status == .ok)
        #expect(
            rx.classify(try frame(to: MACAddress(0x01, 0, 0x5E, 0, 0, 1))).status
                == .notForMe(destination: MACAddress(0x01, 0, 0x5E, 0, 0, 1)))
        rx.leave(group)
        #expect(rx.classify(bytes).status == .notForMe(destination: group))
    }

    @Test func otherStationsFramesOnlyWhenPromiscuous() throws {
        let other = MACAddress(0x02, 0x53, 0x53, 0x00, 0x00, 0x09)
        let bytes = try frame(to: other)
        var rx = EthernetReceiver(address: me)
        let report = rx.classify(bytes)
        #expect(report.status == .notForMe(destination: other))
        #expect(report.delivered == nil)
        #expect(report.source == stationA)
        #expect(!report.status.isError)
        rx.promiscuous = true
        #expect(rx.classify(bytes).status == .ok)
        #expect(rx.classify(bytes).delivered?.destination == other)
    }

    @Test func fcsMismatchIsReportedWithWhatCanBeRead() {
        var bad = helloFrameBytes
        bad[30] ^= 0x40
        let report = EthernetReceiver(address: me, promiscuous: true).classify(bad)
        let expected = CRC32.checksum(bad.prefix(60))
        #expect(report.status == .fcsMismatch(expected: expected, received: 0xA364_8D3B))
        #expect(report.status.isError)
        #expect(report.delivered == nil)
        #expect(report.destination == me && report.source == stationA && report.etherType == .localExperimental1)
        #expect(report.length == 64)
        #expect(report.status.description == "fcs-mismatch expected \(hex8(expected)) received 0xa3648d3b")
    }

    @Test func runtAndTooLong() throws {
        let rx = EthernetReceiver(address: me)
        let runt = rx.classify(Array(helloFrameBytes.prefix(40)))
        #expect(runt.status == .runt(length: 40))
        #expect(runt.destination == me && runt.etherType == .localExperimental1)
        #expect(runt.delivered == nil)
        #expect(rx.classify([0x02, 0x53]).status == .runt(length: 2))
        #expect(rx.classify([]).destination == nil)

        // A valid-looking 1519-byte frame (FCS correct) is still too long.
        var long = try frame(to: me, payload: [UInt8](repeating: 7, count: 1500))
        long.removeLast(4)
        long.append(0)
        EthernetFrame.appendFCS(CRC32.checksum(long), to: &long)
        let report = rx.classify(long)
        #expect(report.status == .tooLong(length: 1519))
        #expect(report.delivered == nil)
        #expect(report.status.description == "too-long length 1519")
    }

    @Test func garbageNeverTraps() {
        var rng = SystemRandomNumberGenerator()
        let rx = EthernetReceiver(address: me, promiscuous: true)
        for n in [0, 1, 5, 6, 13, 14, 17, 18, 63, 64, 65, 1518, 1519, 4000] {
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let report = rx.classify(bytes)
            #expect(report.delivered == nil || report.status == .ok)
        }
    }
}

/// `0x` and eight lower-case hex digits.
func hex8(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - s.count) + s
}
