// Fuzz target `uart`: the asynchronous serial receiver on soft values and the Baudot decoder.
// Input: a control byte, a format (data bits, parity, stop bits), samples per bit, characters
// to send, then random soft values (bytes scaled to ±1, or raw float bit patterns: NaN, ∞,
// huge), cut into blocks of fuzzed sizes, then random 5-bit codes.
// Properties: characters framed by UARTFormat.bits(of:) at a whole number of samples per bit
// (2 bits of idle mark before) come back with their values and good parity, whatever the block
// cut; on random soft values every character fits the data bits, starts inside the samples
// given, in order, with a finite confidence ≥ minConfidence; Baudot.encode → BaudotDecoder
// gives the text back (upper case); on random codes the decoder's figure shift follows the last
// FIGS/LTRS and every character is in the current shift's table.
import Framings

private let formats: [(Int, UARTFormat.Parity, Double)] = {
    var out: [(Int, UARTFormat.Parity, Double)] = []
    for d in 5...8 { for p in [UARTFormat.Parity.none, .even, .odd] { for s in [1.0, 1.5, 2.0] { out.append((d, p, s)) } } }
    return out
}()

private let baudotText = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789-$',!:(\")#?&./;\r\n\u{07}")

private func run(_ decoder: inout UARTDecoder, _ soft: [Float], cuts: inout FuzzInput) -> [UARTCharacter] {
    var out: [UARTCharacter] = []
    var start = 0
    while start < soft.count {
        let n = min(soft.count - start, 1 + Int(cuts.byte()) * 4)
        soft[start..<(start + n)].withUnsafeBufferPointer { buf in decoder.process(buf) { out.append($0) } }
        start += n
    }
    return out
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzUART(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let control = input.byte()
    let (d, p, s) = formats[Int(input.byte()) % formats.count]
    guard let format = try? UARTFormat(dataBits: d, parity: p, stopBits: s) else {
        fuzzCheck(false, "format \(d)-\(p)-\(s) refused")
        return 0
    }

    // Clean characters at a whole number of samples per bit.
    let spb = 4 + Int(input.byte() % 29)
    let values = input.take(Int(input.byte() % 32)).map { $0 & UInt8((1 << d) - 1) }
    var levels = [Bool](repeating: true, count: 2)
    for v in values {
        levels += format.bits(of: v)
        levels += [Bool](repeating: true, count: Int((s).rounded(.up)))
    }
    levels += [true]
    var soft: [Float] = []
    for l in levels { soft += [Float](repeating: l ? 1 : -1, count: spb) }
    var decoder = UARTDecoder(format: format, samplesPerBit: Double(spb))
    let got = run(&decoder, soft, cuts: &input)
    fuzzCheck(got.map(\.value) == values, "\(format) at \(spb) samples/bit: sent \(values), got \(got.map(\.value))")
    fuzzCheck(got.allSatisfy(\.parityOK), "parity error on clean characters")
    fuzzCheck(decoder.framingErrors == 0, "framing errors on clean characters")

    // Random soft values at a fuzzed (maybe fractional) bit length.
    let samplesPerBit = 0.5 + Double(input.u16() % 8192) / 64
    let minConfidence = Float(input.byte()) / 255
    let raw = input.take(Int(input.u16() % 8192))
    var noise: [Float]
    if control & 1 != 0 {
        noise = []
        var i = 0
        while i + 4 <= raw.count {
            noise.append(Float(bitPattern: UInt32(raw[i]) << 24 | UInt32(raw[i + 1]) << 16 | UInt32(raw[i + 2]) << 8 | UInt32(raw[i + 3])))
            i += 4
        }
    } else {
        noise = raw.map { Float(Int8(bitPattern: $0)) / 128 }
    }
    var rx = UARTDecoder(format: format, samplesPerBit: samplesPerBit, minConfidence: minConfidence)
    let chars = run(&rx, noise, cuts: &input)
    var previous = Int.min
    for c in chars {
        fuzzCheck(Int(c.value) < 1 << d, "character \(c.value) beyond \(d) data bits")
        fuzzCheck(c.sample >= -1 && c.sample < max(1, noise.count), "character at sample \(c.sample) of \(noise.count)")
        fuzzCheck(c.sample >= previous, "characters out of order")
        previous = c.sample
        if control & 1 == 0 {
            fuzzCheck(c.confidence.isFinite && c.confidence >= minConfidence && c.confidence <= 1.0001,
                      "confidence \(c.confidence) (min \(minConfidence))")
        }
        if p == .none { fuzzCheck(c.parityOK, "parity error without parity") }
    }

    // Baudot: text → codes → text, then random codes.
    var text = ""
    for _ in 0..<Int(input.byte() % 64) { text.append(baudotText[Int(input.byte()) % baudotText.count]) }
    do {
        let codes = try Baudot.encode(text)
        var baudot = BaudotDecoder()
        var back = ""
        for code in codes {
            fuzzCheck(code < 32, "code \(code)")
            if let ch = baudot.decode(code) { back.append(ch) }
        }
        fuzzCheck(back == text.uppercased(), "Baudot round trip: '\(text)' → '\(back)'")
    } catch {
        fuzzCheck(false, "Baudot refused '\(text)': \(error)")
    }
    var baudot = BaudotDecoder()
    for code in input.rest() {
        let ch = baudot.decode(code)
        switch code & 0x1F {
        case 0x1F: fuzzCheck(!baudot.figures && ch == nil, "LTRS did not shift to letters")
        case 0x1B: fuzzCheck(baudot.figures && ch == nil, "FIGS did not shift to figures")
        case 0x00: fuzzCheck(ch == nil, "NUL gave a character")
        default: fuzzCheck(ch != nil, "code \(code & 0x1F) gave nothing")
        }
    }
    return 0
}
