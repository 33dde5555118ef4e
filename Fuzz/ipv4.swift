// Fuzz target `ipv4`: IPv4Header.parse (with and without the checksum), IPv4Packet.parse and
// decode, and fragmentation of what parses. Properties: a packet that parses emits back to its
// own bytes (up to the total length); decode agrees with parse; fragments fit the MTU.
import L3Network

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIPv4(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let control = input.byte()
    let mtu = Int(input.u16() % 1600)
    let bytes = input.rest()

    _ = try? IPv4Header.parse(bytes, verifyChecksum: false)
    if let header = try? IPv4Header.parse(bytes) {
        fuzzCheck(header.headerLength <= Int(header.totalLength), "header longer than the packet")
        _ = header.description
    }
    let checked = try? IPv4Packet.parse(bytes)
    if let packet = checked {
        let emitted = try? packet.emit()
        fuzzCheck(emitted == Array(bytes.prefix(Int(packet.header.totalLength))), "parse ∘ emit changed a packet")
    }
    do {
        if let (packet, consumed) = try IPv4Packet.decode(bytes) {
            fuzzCheck(consumed <= bytes.count && consumed == Int(packet.header.totalLength), "decode consumed \(consumed)")
            fuzzCheck(packet == checked, "decode and parse disagree")
        } else {
            fuzzCheck(checked == nil, "decode wanted more bytes for a packet parse accepted")
        }
    } catch {
        fuzzCheck(checked == nil, "decode threw for a packet parse accepted")
    }
    if let packet = try? IPv4Packet.parse(bytes, verifyChecksum: control & 1 == 0) {
        if let pieces = try? packet.fragments(mtu: mtu) {
            if pieces.count > 1 {
                for piece in pieces {
                    fuzzCheck(piece.header.headerLength + piece.payload.count <= mtu, "fragment over the MTU")
                }
            }
            fuzzCheck(pieces.reduce(0) { $0 + $1.payload.count } == packet.payload.count, "fragments lost bytes")
            var r = IPv4Reassembler()
            var whole: IPv4Packet?
            for piece in pieces.reversed() { if let w = try? r.accept(piece) { whole = w } }
            if packet.header.fragmentOffset == 0, !packet.header.flags.contains(.moreFragments) {
                fuzzCheck(whole?.payload == packet.payload, "reassembly of own fragments failed")
            }
        }
    }
    return 0
}
