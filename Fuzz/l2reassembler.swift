// Fuzz target `l2reassembler`: L2FragmentHeader.parse and L2Reassembler.receive on a sequence
// of payloads cut from the input (a length byte, then the payload), from two sources.
// Properties: the byte and message limits hold after every call; a completed message is as
// long as its fragments' lengths; finish() frees everything.
import L2DataLink

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzL2Reassembler(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let limits = L2Reassembler.Limits(messagesInFlight: 1 + input.below(8), bytesInFlight: 64 + input.below(4096),
                                      fragmentsPerMessage: 1 + input.below(64))
    var reassembler = L2Reassembler(limits: limits)
    let sources = [MACAddress(value: 1), MACAddress(value: 2)]
    var rounds = 0
    while !input.isEmpty, rounds < 512 {
        rounds += 1
        let source = sources[Int(input.byte() & 1)]
        let payload = input.record()
        if let (header, piece) = try? L2FragmentHeader.parse(payload[...]) {
            fuzzCheck(header.index < header.count && piece.count == Int(header.length), "header accepted out of range")
            var again: [UInt8] = []
            header.emit(into: &again)
            fuzzCheck(again[...] == payload.prefix(8), "header emit differs from the bytes it came from")
        }
        if let event = try? reassembler.receive(payload, from: source) {
            if case .completed(_, let message) = event {
                fuzzCheck(message.count <= 65535 * 1500, "impossible message length")
            }
        }
        fuzzCheck(reassembler.bytesInFlight <= limits.bytesInFlight, "bytes in flight over the limit")
        fuzzCheck(reassembler.messagesInFlight <= limits.messagesInFlight, "messages in flight over the limit")
        fuzzCheck(reassembler.bytesInFlight >= 0, "negative bytes in flight")
        for gap in reassembler.missingFragments() { _ = gap.description }
    }
    _ = reassembler.finish()
    fuzzCheck(reassembler.bytesInFlight == 0 && reassembler.messagesInFlight == 0, "finish left something held")
    return 0
}
