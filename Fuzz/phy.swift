// Fuzz target `phy`: the physical frame's header parser and the soft line decoders.
// Properties: a header that parses is re-emitted byte for byte; the soft decoders give
// chips/chipsPerBit values, finite and within ±1 for chips within ±1, and their signs undo the
// encoder; the scrambler is its own inverse; soft→hard bit packing undoes BitOrder.bits.
import L1Physical

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPhy(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let header = input.take(4)
    if let (length, flags) = PhysicalFrame.parseHeader(header) {
        fuzzCheck(PhysicalFrame.headerBytes(length: length, flags: flags) == header, "header re-emits differently")
    }
    _ = PhysicalFrame.parseHeader(input.take(Int(input.byte() % 8)))

    let code = LineCode.allCases[Int(input.byte()) % LineCode.allCases.count]
    let raw = input.take(Int(input.u16() % 2048))
    // Chips: mostly bytes scaled to ±1, sometimes raw bit patterns (NaN, ∞, huge).
    let wild = raw.first.map { $0 & 0x80 != 0 } ?? false
    var chips: [Float] = []
    if wild {
        var i = 0
        while i + 4 <= raw.count {
            chips.append(Float(bitPattern: UInt32(raw[i]) << 24 | UInt32(raw[i + 1]) << 16 | UInt32(raw[i + 2]) << 8 | UInt32(raw[i + 3])))
            i += 4
        }
    } else {
        chips = raw.map { Float(Int8(bitPattern: $0)) / 128 }
    }
    let soft = code.decodeSoft(chips)
    fuzzCheck(soft.count == chips.count / code.chipsPerBit, "decodeSoft gave \(soft.count) of \(chips.count) chips")
    if !wild {
        for v in soft { fuzzCheck(v.isFinite && abs(v) <= 1.0001, "soft bit \(v) out of range") }
    }

    // Hard bits through the encoder and back through the soft decoder.
    let bits = input.take(Int(input.byte())).map { $0 & 1 }
    let encoded = code.encode(bits).map { Float($0) * 2 - 1 }
    let decoded = code.decodeSoft(encoded)
    fuzzCheck(decoded.count == bits.count, "decoded \(decoded.count) of \(bits.count) bits")
    for (b, v) in zip(bits, decoded) { fuzzCheck((v > 0) == (b == 1), "line code \(code) flipped a bit") }

    var scrambled = bits
    var s1 = Scrambler(), s2 = Scrambler()
    s1.apply(&scrambled)
    s2.apply(&scrambled)
    fuzzCheck(scrambled == bits, "scrambler is not its own inverse")

    let bytes = input.take(64)
    let asSoft = BitOrder.bits(of: bytes).map { Float($0) - 0.5 }
    fuzzCheck(BitOrder.bytes(fromSoft: asSoft[...]) == bytes, "bit packing lost bytes")
    return 0
}
