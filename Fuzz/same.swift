// Fuzz target `same`: the NOAA SAME burst decoder and the three-burst assembler.
// Input: a control byte, a header description (originator, event, locations, purge time, issue
// time, sender), then random bytes read as a bit stream (LSB first, as SAME sends them).
// Properties: a header sent three times (0xAB preamble, text, a non-text byte) comes back from
// SAMEBurstDecoder as three bursts of exactly its text and from SAMEAssembler as exactly the
// header; so does the end-of-message `NNNN`. On random bits every burst is 4...280 printable
// bytes at a sample not before the previous one, and every assembled message is `NNNN` or a
// `ZCZC-…+…-…-…-` header from 1...3 bursts.
import Framings

private let alnum = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
private let digits = Array("0123456789")

private func field(_ input: inout FuzzInput, _ count: Int, _ chars: [Character]) -> String {
    var s = ""
    for _ in 0..<count { s.append(chars[Int(input.byte()) % chars.count]) }
    return s
}

/// `ZCZC-ORG-EEE-PSSCCC-…+TTTT-JJJHHMM-LLLLLLLL-` with 1–31 locations.
private func header(_ input: inout FuzzInput) -> String {
    var s = "ZCZC-" + field(&input, 3, alnum) + "-" + field(&input, 3, alnum)
    for _ in 0..<(1 + input.below(31)) { s += "-" + field(&input, 6, digits) }
    s += "+" + field(&input, 4, digits) + "-" + field(&input, 7, digits) + "-"
    // The sender may hold a '/', as in KCLE/NWS.
    s += field(&input, 8, alnum + ["/"]) + "-"
    return s
}

private func bits(_ bytes: [UInt8]) -> [Bool] {
    var out: [Bool] = []
    for b in bytes { for i in 0..<8 { out.append((b >> UInt8(i)) & 1 == 1) } }
    return out
}

private func checkBurst(_ burst: SAMEBurst, after previous: inout Int) {
    fuzzCheck((4...SAMEBurstDecoder.maximumLength).contains(burst.text.count), "burst of \(burst.text.count) bytes")
    fuzzCheck(burst.text.allSatisfy { (0x20...0x7E).contains($0) }, "burst holds a non-text byte")
    fuzzCheck(burst.sample >= previous, "burst at sample \(burst.sample) before \(previous)")
    previous = burst.sample
}

private func checkMessage(_ m: (text: String, sample: Int, bursts: Int)) {
    fuzzCheck((1...3).contains(m.bursts), "message from \(m.bursts) bursts")
    if m.text == "NNNN" { return }
    fuzzCheck(m.text.hasPrefix("ZCZC-") && m.text.hasSuffix("-") && m.text.contains("+"), "message '\(m.text)'")
    let afterPlus = m.text[m.text.firstIndex(of: "+")!...]
    fuzzCheck(afterPlus.filter { $0 == "-" }.count == 3, "message '\(m.text)' does not end at the third dash after '+'")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSAME(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let control = input.byte()
    let text = control & 1 == 0 ? header(&input) : "NNNN"

    // The message sent three times, one sample per bit, 0.1 s apart at 1 kHz.
    do {
        var decoder = SAMEBurstDecoder()
        var assembler = SAMEAssembler(sampleRate: 1000)
        let preamble = [UInt8](repeating: 0xAB, count: 16)
        let end = control & 2 == 0 ? [UInt8(0x00)] : [UInt8(0xFF)]
        let burstBits = bits(preamble + Array(text.utf8) + end) + [Bool](repeating: false, count: 100)
        var sample = 0
        var bursts: [SAMEBurst] = []
        var messages: [(text: String, sample: Int, bursts: Int)] = []
        for _ in 0..<3 {
            for bit in burstBits {
                if let b = decoder.push(bit, sample: sample) {
                    bursts.append(b)
                    if let m = assembler.add(b) { messages.append(m) }
                }
                sample += 1
            }
        }
        if let b = decoder.flush() { bursts.append(b) }
        if let m = assembler.flush() { messages.append(m) }
        fuzzCheck(bursts.count == 3 && bursts.allSatisfy { $0.text == Array(text.utf8) },
                  "bursts of '\(text)': \(bursts.map { String(decoding: $0.text, as: UTF8.self) })")
        fuzzCheck(messages.count == 1 && messages[0].text == text && messages[0].bursts == 3,
                  "assembled '\(text)' as \(messages.map(\.text))")
    }

    // Random bits: the decoder and the assembler at a fuzzed sample rate and bit spacing.
    var decoder = SAMEBurstDecoder()
    var assembler = SAMEAssembler(sampleRate: Double(1 + input.below(48000)))
    let step = 1 + Int(input.byte() % 32)
    var sample = 0, previous = 0
    // A preamble now and then, so random text after it gets decoded.
    var stream: [UInt8] = []
    for b in input.rest() {
        if b == 0xAB && control & 4 != 0 { stream += [0xAB, 0xAB] }
        stream.append(b)
    }
    for bit in bits(stream) {
        if let burst = decoder.push(bit, sample: sample) {
            checkBurst(burst, after: &previous)
            if let m = assembler.add(burst) { checkMessage(m) }
        }
        sample += step
    }
    if let burst = decoder.flush() {
        checkBurst(burst, after: &previous)
        if let m = assembler.add(burst) { checkMessage(m) }
    }
    if let m = assembler.flush() { checkMessage(m) }
    return 0
}
