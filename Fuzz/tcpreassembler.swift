// Fuzz target `tcpreassembler`: TCPReassembler.accept on a sequence of segments of one stream —
// sequence numbers near the ISN (or anywhere), random flags, lengths and order — whose payload
// bytes are always the true bytes of the stream at their position. Properties: what is read is
// exactly a prefix of the stream, never more than the window is held, the gaps reported lie
// beyond what was delivered.
import L4Transport

/// The byte at stream offset `i` of the sender's stream.
@inline(__always) func streamByte(_ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: i &* 31 &+ (i >> 8) &+ 7) }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTCPReassembler(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let isn = SequenceNumber(input.u32())
    let window = 1 + input.below(5000)
    let joinWithoutSYN = input.byte() & 1 == 1
    guard var rx = try? TCPReassembler(window: window, peerInitialSequenceNumber: joinWithoutSYN ? isn : nil)
    else { return 0 }
    var delivered: [UInt8] = []
    var rounds = 0
    while !input.isEmpty, rounds < 400 {
        rounds += 1
        let flagByte = input.byte()
        var flags = TCPFlags(rawValue: flagByte)
        if flagByte & 0x80 == 0 { flags.remove(.rst) }       // RST only rarely
        let near = Int(Int16(bitPattern: input.u16()))
        let far = input.byte() == 0xFF
        let length = input.below(1500)
        var seq = far ? SequenceNumber(input.u32()) : isn + 1 + near
        if flags.contains(.syn) { seq = isn }
        let dataStart = (seq + (flags.contains(.syn) ? 1 : 0)) - (isn + 1)
        let payload = (0..<length).map { streamByte(dataStart &+ $0) }
        rx.accept(TCPSegment(header: TCPHeader(sourcePort: 1, destinationPort: 2, sequenceNumber: seq, flags: flags),
                             payload: payload))
        delivered += rx.read()
        fuzzCheck(rx.receiveWindow <= window, "receive window above the buffer")
        fuzzCheck(delivered.count == rx.deliveredCount, "read \(delivered.count) but delivered \(rx.deliveredCount)")
        for m in rx.missing { fuzzCheck(m.offsets.lowerBound >= rx.deliveredCount && !m.offsets.isEmpty, "bad gap \(m)") }
        _ = rx.acknowledgment()
        _ = rx.synAck()
        _ = rx.sackBlocks()
    }
    for (i, b) in delivered.enumerated() where b != streamByte(i) {
        fuzzCheck(false, "delivered byte \(i) is not the stream's")
    }
    return 0
}
