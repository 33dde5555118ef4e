// Fuzz target `ipv4reassembler`: IPv4Reassembler.accept on a sequence of fragments whose
// identification, flags, offset and length come from the input. Properties: the packet and byte
// limits hold after every call; a reassembled packet is no fragment; status() stays consistent.
import L3Network

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIPv4Reassembler(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let limits = IPv4Reassembler.Limits(maxPacketsInFlight: 1 + input.below(6), maxBytesInFlight: 8 + input.below(20_000))
    var r = IPv4Reassembler(limits: limits)
    let a = IPv4Address(10, 0, 0, 1), b = IPv4Address(10, 0, 0, 2)
    var rounds = 0
    while !input.isEmpty, rounds < 256 {
        rounds += 1
        let control = input.byte()
        let flags = IPv4Flags(rawValue: control & 0x07)
        let ident = UInt16((control >> 3) & 0x03)
        var offset = input.u16() & 0x1FFF
        if control & 0x20 == 0 { offset &= 0x00FF }       // mostly near the start
        let length = control & 0x40 == 0 ? Int(input.byte()) : Int(input.u16() % 2048)
        let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 &+ Int(control)) }
        let proto: IPProtocol = control & 0x80 == 0 ? .udp : .tcp
        let header = IPv4Header(totalLength: UInt16(clamping: 20 + length), identification: ident, flags: flags,
                                fragmentOffset: offset, ipProtocol: proto, source: a, destination: b)
        if let whole = try? r.accept(IPv4Packet(header: header, payload: payload)) {
            fuzzCheck(!whole.header.isFragment, "reassembled packet is still a fragment")
            fuzzCheck(Int(whole.header.totalLength) == whole.header.headerLength + whole.payload.count, "bad total length")
        }
        fuzzCheck(r.inFlight.count <= limits.maxPacketsInFlight, "too many packets in flight")
        fuzzCheck(r.bytesInFlight <= limits.maxBytesInFlight, "too many bytes in flight")
        for key in r.inFlight {
            guard let s = r.status(of: key) else { fuzzCheck(false, "in flight without status"); continue }
            for m in s.missing { fuzzCheck(!m.isEmpty, "empty missing range") }
        }
    }
    return 0
}
