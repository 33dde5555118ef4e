import Testing

@testable import L3Network

@Test func dottedQuadRoundTrip() throws {
    let a = try IPv4Address("10.0.255.1")
    #expect(a.bytes == [10, 0, 255, 1])
    #expect(a.value == 0x0A00_FF01)
    #expect(a.description == "10.0.255.1")
    #expect(try IPv4Address(bytes: [192, 168, 0, 1]) == IPv4Address(192, 168, 0, 1))
}

@Test(arguments: [
    "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "01.2.3.4", "1..3.4", " 1.2.3.4", "a.b.c.d", "1.2.3.4/8",
    "١.2.3.4"
])
func badDottedQuads(text: String) {
    #expect(throws: NetworkError.badAddress(text)) { try IPv4Address(text) }
}

@Test func protocolNames() {
    #expect(IPProtocol.tcp.rawValue == 6 && IPProtocol.udp.rawValue == 17 && IPProtocol.icmp.rawValue == 1)
    #expect(IPProtocol(rawValue: 17).name == "UDP")
    #expect(IPProtocol(rawValue: 89).name == "protocol 89")
}

@Test func longestPrefixMatch() throws {
    let gw = try IPv4Address("192.168.0.1")
    let table = try RoutingTable([
        Route(prefix: IPv4Prefix("0.0.0.0/0"), nextHop: gw, interface: "audio0"),
        Route(prefix: IPv4Prefix("10.0.0.0/8"), interface: "audio1"),
        Route(prefix: IPv4Prefix("10.1.0.0/16"), nextHop: IPv4Address("10.0.0.2"), interface: "audio2"),
        Route(prefix: IPv4Prefix("10.1.2.3/32"), interface: "audio3")
    ])
    #expect(try table.lookup(IPv4Address("8.8.8.8"))?.interface == "audio0")
    #expect(try table.lookup(IPv4Address("10.9.9.9"))?.interface == "audio1")
    #expect(try table.lookup(IPv4Address("10.1.200.1"))?.interface == "audio2")
    #expect(try table.lookup(IPv4Address("10.1.2.3"))?.interface == "audio3")
    #expect(try IPv4Prefix("10.1.2.3/16").description == "10.1.0.0/16")
    let empty = RoutingTable()
    #expect(try empty.lookup(IPv4Address("1.1.1.1")) == nil)
}

@Test(arguments: ["10.0.0.0", "10.0.0.0/33", "10.0.0.0/", "10.0.0/8", "10.0.0.0/-1", "10.0.0.0/8/8"])
func badPrefixes(text: String) {
    #expect(throws: NetworkError.self) { try IPv4Prefix(text) }
}

@Test func neighbourTable() throws {
    var n = NeighbourTable()
    let ip = try IPv4Address("192.168.0.1")
    try n.set(ip, hardware: [2, 0, 0, 0, 0, 1])
    #expect(n.lookup(ip) == [2, 0, 0, 0, 0, 1])
    #expect(throws: NetworkError.badHardwareAddress([1, 2, 3])) { try n.set(ip, hardware: [1, 2, 3]) }
    n.remove(ip)
    #expect(n.lookup(ip) == nil)
}

// An ARP request "who has 192.168.0.1? tell 192.168.0.104".
private let arpBytes: [UInt8] = [
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
    0x02, 0x42, 0xAC, 0x11, 0x00, 0x02, 0xC0, 0xA8, 0x00, 0x68,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0xA8, 0x00, 0x01
]
private let requester: [UInt8] = [0x02, 0x42, 0xAC, 0x11, 0x00, 0x02]

@Test func arpDeconstruct() {
    #expect(arpBytes[ARPPacket.Field.operation + 1] == 1)
    #expect(Array(arpBytes[ARPPacket.Field.senderHardware..<14]) == requester)
}

@Test func arpConstructAndEmit() throws {
    let arp = try ARPPacket(
        operation: .request, senderHardware: requester, senderAddress: IPv4Address("192.168.0.104"),
        targetAddress: IPv4Address("192.168.0.1"))
    #expect(arp.emit() == arpBytes)
}

@Test func arpParseReplyAndLearn() throws {
    let arp = try ARPPacket.parse(arpBytes)
    #expect(arp.operation == .request)
    #expect(arp.senderAddress.description == "192.168.0.104")
    #expect(arp.targetAddress.description == "192.168.0.1")
    let mine: [UInt8] = [0x02, 0, 0, 0, 0, 0x01]
    let reply = try arp.reply(hardware: mine)
    #expect(reply.operation == .reply && reply.senderHardware == mine && reply.targetHardware == requester)
    #expect(try ARPPacket.parse(reply.emit()) == reply)
    var table = NeighbourTable()
    table.learn(from: arp)
    #expect(table.lookup(arp.senderAddress) == requester)
}

@Test func arpBadInput() {
    #expect(throws: NetworkError.truncated(needed: 28, available: 27)) {
        try ARPPacket.parse(Array(arpBytes.prefix(27)))
    }
    var b = arpBytes
    b[1] = 6
    #expect(throws: NetworkError.unsupportedHardwareType(6)) { try ARPPacket.parse(b) }
    b = arpBytes
    b[2] = 0x86; b[3] = 0xDD
    #expect(throws: NetworkError.unsupportedProtocolType(0x86DD)) { try ARPPacket.parse(b) }
    b = arpBytes
    b[5] = 16
    #expect(throws: NetworkError.badAddressLengths(hardware: 6, protocol: 16)) { try ARPPacket.parse(b) }
}
