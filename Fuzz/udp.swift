// Fuzz target `udp`: UDPHeader.parse and UDPDatagram.parse with and without a pseudo-header.
// Property: a datagram that passes its checksum emits back to its own bytes (up to its length).
import L4Transport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzUDP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let source = input.take(4), destination = input.take(4)
    let bytes = input.rest()
    guard source.count == 4, destination.count == 4,
          let ph = try? PseudoHeader(source: source, destination: destination, protocolNumber: PseudoHeader.udp)
    else { return 0 }
    _ = try? UDPHeader.parse(bytes)
    _ = try? UDPDatagram.parse(bytes, pseudoHeader: nil)
    if let datagram = try? UDPDatagram.parse(bytes, pseudoHeader: ph) {
        fuzzCheck(Int(datagram.header.length) == UDPHeader.length + datagram.payload.count, "length field disagrees")
        if datagram.header.checksum != 0 {
            let again = try? datagram.emit(pseudoHeader: ph)
            fuzzCheck(again == Array(bytes.prefix(Int(datagram.header.length))), "parse ∘ emit changed a datagram")
        }
    }
    return 0
}
