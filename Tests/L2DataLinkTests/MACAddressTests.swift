import L2DataLink
import Testing

@Suite struct MACAddressTests {
    @Test func parsesColonAndDashForms() throws {
        let a = try MACAddress("02:53:53:00:00:0a")
        #expect(a == MACAddress(0x02, 0x53, 0x53, 0x00, 0x00, 0x0A))
        #expect(try MACAddress("02-53-53-00-00-0A") == a)
        #expect(try MACAddress("AA:bb:Cc:dD:ee:FF").bytes == [0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF])
        #expect(a.description == "02:53:53:00:00:0a")
        #expect(a.bytes == [0x02, 0x53, 0x53, 0x00, 0x00, 0x0A])
        #expect(a.value == 0x0253_5300_000A)
    }

    @Test(arguments: [
        "", "02:53:53:00:00", "02:53:53:00:00:0a:01", "02:53:53-00:00:0a", "02:53:53:00:00:0g",
        "2:53:53:00:00:0a0", "02.53.53.00.00.0a", "02:53:53:00:00: a", "0x:53:53:00:00:0a",
        "02::53:53:00:00:0", "02:53:53:00:00:0a ", "ff:ff:ff:ff:ff:fff", "é2:53:53:00:00:0"
    ])
    func rejectsBadText(_ text: String) {
        #expect(throws: DataLinkError.invalidMACAddress(text)) { try MACAddress(text) }
    }

    @Test func printsAndParsesBack() throws {
        for a in [MACAddress.broadcast, .zero, MACAddress(value: 0x0123_4567_89AB), .stable(from: "x")] {
            #expect(try MACAddress(a.description) == a)
        }
        #expect(MACAddress.zero.description == "00:00:00:00:00:00")
        #expect(MACAddress.broadcast.description == "ff:ff:ff:ff:ff:ff")
    }

    @Test func bitsAndBroadcast() throws {
        #expect(MACAddress.broadcast.isBroadcast)
        #expect(MACAddress.broadcast.isMulticast)
        #expect(MACAddress.broadcast.isLocallyAdministered)
        let ipv4Multicast = try MACAddress("01:00:5e:00:00:fb")
        #expect(ipv4Multicast.isMulticast && !ipv4Multicast.isBroadcast && !ipv4Multicast.isLocallyAdministered)
        let global = try MACAddress("00:1b:21:3a:4f:5c")
        #expect(global.isUnicast && !global.isLocallyAdministered)
        let local = try MACAddress("02:00:00:00:00:01")
        #expect(local.isUnicast && local.isLocallyAdministered)
    }

    @Test func fromBytes() {
        #expect(MACAddress(bytes: [1, 2, 3, 4, 5]) == nil)
        #expect(MACAddress(bytes: [1, 2, 3, 4, 5, 6, 7]) == MACAddress(1, 2, 3, 4, 5, 6))
        #expect(MACAddress(value: 0xFFFF_0000_0000_0001) == MACAddress(0, 0, 0, 0, 0, 1))
    }

    @Test func stableDefaultIsLocalUnicastAndRepeatable() {
        let names = ["", "a", "alice", "bob", "soundstack-host", "abba", "ABBA"]
        let addresses = names.map(MACAddress.stable(from:))
        for a in addresses {
            #expect(a.isUnicast && a.isLocallyAdministered)
            #expect(!a.isBroadcast)
        }
        #expect(Set(addresses).count == names.count)
        #expect(MACAddress.stable(from: "alice") == MACAddress.stable(from: "alice"))
        // Pinned, so that a station's address does not change between releases.
        #expect(MACAddress.stable(from: "alice").description == "f2:5e:27:8e:bc:47")
    }

    @Test func ordering() {
        #expect(MACAddress(0, 0, 0, 0, 0, 1) < MACAddress(0, 0, 0, 0, 1, 0))
        #expect(MACAddress.zero < .broadcast)
    }
}
