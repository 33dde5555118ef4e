import L2DataLink
import Testing

@Suite struct EtherTypeTests {
    @Test func knownValues() {
        #expect(EtherType.ipv4.rawValue == 0x0800)
        #expect(EtherType.arp.rawValue == 0x0806)
        #expect(EtherType.ipv6.rawValue == 0x86DD)
        #expect(EtherType.vlan.rawValue == 0x8100)
        #expect(EtherType.localExperimental1.rawValue == 0x88B5)
        #expect(EtherType(rawValue: 0x0800) == .ipv4)
    }

    @Test func printing() {
        #expect(EtherType.ipv4.description == "0x0800 (IPv4)")
        #expect(EtherType.localExperimental1.description == "0x88b5 (Local Experimental 1)")
        #expect(EtherType(rawValue: 0x0042).description == "0x0042")
        #expect(EtherType(rawValue: 0x0042).name == nil)
        #expect(EtherType.ipv6.name == "IPv6")
    }
}
