// Fuzz target `tcp`: TCPHeader.parse and TCPSegment.parse with and without a pseudo-header.
// Property: a segment that parses emits bytes that parse back to the same segment (option padding
// and reserved bits are not kept, so the bytes may differ), with a good checksum.
import L4Transport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTCP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let control = input.byte()
    let bytes = input.rest()
    guard let ph = try? PseudoHeader(source: [10, 0, 0, 1], destination: [10, 0, 0, 2], protocolNumber: PseudoHeader.tcp)
    else { return 0 }
    if let header = try? TCPHeader.parse(bytes) {
        _ = (header.maximumSegmentSize, header.sackBlocks, header.headerLength)
    }
    _ = try? TCPSegment.parse(bytes, pseudoHeader: ph)
    if var segment = try? TCPSegment.parse(bytes, pseudoHeader: control & 1 == 0 ? nil : ph) {
        _ = segment.description
        _ = segment.sequenceLength
        if let emitted = try? segment.emit(pseudoHeader: ph) {
            let back = try? TCPSegment.parse(emitted, pseudoHeader: ph)
            fuzzCheck(back != nil, "an emitted segment fails its own checksum")
            if var back {
                back.header.checksum = 0
                segment.header.checksum = 0
                fuzzCheck(back == segment, "emit ∘ parse changed a segment")
            }
        }
    }
    return 0
}
