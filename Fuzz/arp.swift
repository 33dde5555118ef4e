// Fuzz target `arp`: ARPPacket.parse. Property: a packet that parses emits back to its first 28
// bytes, and its reply parses again.
import L3Network

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzARP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let packet = try? ARPPacket.parse(bytes) {
        fuzzCheck(packet.emit() == Array(bytes.prefix(ARPPacket.length)), "parse ∘ emit changed an ARP packet")
        if let reply = try? packet.reply(hardware: [2, 0, 0, 0, 0, 9]) {
            fuzzCheck((try? ARPPacket.parse(reply.emit())) == reply, "reply does not parse back")
        }
    }
    return 0
}
