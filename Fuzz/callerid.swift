// Fuzz target `callerid`: Bell 202 caller ID messages (SDMF 0x04, MDMF 0x80) and the stream
// parser that finds them after the UART.
// Input: a control byte, parameter records that build an MDMF (or SDMF) message, the index and
// XOR of one byte to damage, then random bytes.
// Properties: a built message is accepted by CallerIDMessage(bytes:) with its parameters in
// order; with any one byte changed (so the checksum no longer sums to zero) it is refused, never
// a trap; CallerIDParser fed the message returns it (or a checksum-valid suffix of it) on its
// last byte unless it found an earlier one. On random bytes every message either one returns
// is whole (length byte + 3), sums to zero, has parameters, and prints a line.
import Framings

private let parameterTypes: [UInt8] = [1, 2, 3, 4, 7, 8]

private func checkMessage(_ m: CallerIDMessage) {
    let b = m.bytes
    fuzzCheck(b.count >= 3 && Int(b[1]) + 3 == b.count, "message length byte \(b.count)")
    fuzzCheck(b.reduce(UInt8(0), &+) == 0, "message checksum does not sum to zero")
    fuzzCheck(m.type == b[0] && (m.type == 0x80 || m.type == 0x04), "message type \(m.type)")
    fuzzCheck(!m.parameters.isEmpty, "message without parameters")
    fuzzCheck(CallerIDMessage(bytes: b) == m, "message not accepted again")
    _ = m.line
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCallerID(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let control = input.byte()

    // A message built from parameters.
    var params: [(UInt8, [UInt8])] = []
    var message: [UInt8]
    if control & 1 == 0 {
        var bodyLength = 0
        for _ in 0..<(1 + input.below(6)) {
            let t = parameterTypes[Int(input.byte()) % parameterTypes.count]
            let v = input.take(Int(input.byte() % 40))
            guard bodyLength + 2 + v.count <= 255 else { break }
            bodyLength += 2 + v.count
            params.append((t, v))
        }
        message = CallerIDMessage.mdmf(params)
    } else {
        // SDMF: eight digits (MMDDHHMM), then the number.
        let date = (0..<8).map { _ in 0x30 + input.byte() % 10 }
        let number = input.take(Int(input.byte() % 20))
        params = [(0x01, date), (0x02, number)]
        message = [0x04, UInt8(8 + number.count)] + date + number
        message.append(0 &- message.reduce(UInt8(0), &+))
    }
    guard let m = CallerIDMessage(bytes: message) else {
        fuzzCheck(false, "built message refused: \(message)")
        return 0
    }
    fuzzCheck(m.parameters.count == params.count && zip(m.parameters, params).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 },
              "parameters changed")
    _ = m.line

    // One byte damaged: the checksum no longer holds, so the message is refused.
    let at = input.below(message.count)
    let flip = input.byte() | 1
    var damaged = message
    damaged[at] ^= flip
    fuzzCheck(CallerIDMessage(bytes: damaged) == nil, "message with byte \(at) ^ \(flip) accepted")

    // The stream parser on the message, maybe behind a few random bytes.
    var parser = CallerIDParser()
    let prefix = control & 2 == 0 ? [] : input.take(Int(input.byte() % 16))
    var earlier = false
    for b in prefix { if let x = parser.push(b) { checkMessage(x); earlier = true } }
    for (k, b) in message.enumerated() {
        let got = parser.push(b)
        if let got { checkMessage(got) }
        if k < message.count - 1 {
            if got != nil { earlier = true }
        } else if let got {
            fuzzCheck(message.suffix(got.bytes.count).elementsEqual(got.bytes), "parser returned bytes not ending the stream")
        } else {
            fuzzCheck(earlier, "parser missed the message")
        }
    }

    // Random bytes: whole messages and the stream parser.
    let raw = input.rest()
    if let x = CallerIDMessage(bytes: raw) { checkMessage(x) }
    parser = CallerIDParser()
    for b in raw { if let x = parser.push(b) { checkMessage(x) } }
    return 0
}
