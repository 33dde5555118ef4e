// Fuzz target `afsk`: the AX.25 receiver's front end on arbitrary audio — the band-pass with
// decimation, the multi-demodulator (tone discriminator bank and packed slicers, in whichever
// loops this CPU runs: portable Swift, AVX2 or AVX-512, all of them C under ASan here) and one
// HDLC decoder per slicer.
// Input: a set-up byte (sample rate 8000/11025/22050/44100 Hz in bits 0–1, 1–7 slicer gains in
// bits 2–4, 1–5 demodulators in bits 5–7: 1 to 35 slicers, so one to five vectors), a block-size
// byte, then s16le samples.
// Properties: no trap; every soft value is within [−1, 1] (never NaN); each slicer's sampling
// instants rise and lie within the decimated audio; every frame is 15…398 bytes; and the audio
// in one block and in fuzzed blocks gives the same soft values, instants and frames.
import L1Physical
import Framings

private struct FrontEndRun: Equatable {
    var softs: [[Float]]
    var instants: [[Int]]
    var frames: [[UInt8]]
    var decimated = 0
}

private func runFrontEnd(_ samples: [Float], rate: Double, gains: Int, demodulators: Int,
                         blocks: (Int) -> Int) -> FrontEndRun {
    let signalling = FSKSignalling.bell202
    let decimation = max(1, Int(rate / 12000))
    var filter = BandpassFilter(around: signalling, sampleRate: rate, margin: 0.5, bits: 3)
    var demod = AFSKMultiDemodulator(
        signalling: signalling, sampleRate: rate / Double(decimation),
        gainsDB: AFSKBitDemodulator.spreadGains(count: gains, maxDB: 16),
        windowsBits: Array([1.0, 1.0, 1.3, 1.45, 1.15].prefix(demodulators)),
        loopGains: Array([0.3, 0.1, 0.1, 0.1, 0.3].prefix(demodulators)))
    let slicers = demod.slicerCount
    fuzzCheck(slicers == gains * demodulators, "slicer count \(slicers) for \(gains) × \(demodulators)")
    var hdlc = [HDLCDecoder](repeating: HDLCDecoder(), count: slicers)
    var run = FrontEndRun(softs: Array(repeating: [], count: slicers), instants: Array(repeating: [], count: slicers),
                          frames: [])
    var offset = 0, step = 0
    while offset < samples.count {
        let n = min(samples.count - offset, max(1, blocks(step)))
        step += 1
        var filtered = [Float](repeating: 0, count: n / decimation + 1)
        let m = samples[offset..<(offset + n)].withUnsafeBufferPointer { input in
            filtered.withUnsafeMutableBufferPointer { filter.process(input, into: $0, decimation: decimation) }
        }
        fuzzCheck(m <= n / decimation + 1, "band-pass wrote \(m) samples for \(n) in")
        filtered.withUnsafeBufferPointer { block in
            demod.process(UnsafeBufferPointer(rebasing: block[0..<m])) {
                (k: Int, softs: UnsafeBufferPointer<Float>, instants: UnsafeBufferPointer<Int>) in
                run.softs[k] += softs
                run.instants[k] += instants
                hdlc[k].push(soft: softs) { frame, _ in run.frames.append(frame.bytes) }
            }
        }
        run.decimated += m
        offset += n
    }
    fuzzCheck(demod.sampleCount == run.decimated, "demodulator counted \(demod.sampleCount) of \(run.decimated)")
    return run
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAFSK(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let setup = Int(input.byte())
    let blockControl = Int(input.byte())
    let rate = [8000.0, 11025, 22050, 44100][setup & 3]
    let gains = 1 + ((setup >> 2) & 7) % 7
    let demodulators = 1 + (setup >> 5) % 5
    let pcm = input.rest()
    var samples = [Float](repeating: 0, count: pcm.count / 2)
    for i in samples.indices {
        samples[i] = Float(Int16(bitPattern: UInt16(pcm[2 * i]) | UInt16(pcm[2 * i + 1]) << 8)) / 32768
    }
    let sizes = [1, 5, 64, 333, 1000, 1025, 4096, 1 + blockControl, 17 * (1 + blockControl % 7)]
    let whole = runFrontEnd(samples, rate: rate, gains: gains, demodulators: demodulators) { _ in samples.count }
    let pieces = runFrontEnd(samples, rate: rate, gains: gains, demodulators: demodulators) {
        sizes[(blockControl + $0) % sizes.count]
    }
    for k in whole.softs.indices {
        fuzzCheck(whole.softs[k].allSatisfy { abs($0) <= 1 }, "slicer \(k): a soft value outside [-1, 1]")
        fuzzCheck(whole.instants[k].count == whole.softs[k].count, "slicer \(k): instants and soft values differ in number")
        fuzzCheck(zip(whole.instants[k], whole.instants[k].dropFirst()).allSatisfy { $0 < $1 },
                  "slicer \(k): sampling instants do not rise")
        fuzzCheck(whole.instants[k].allSatisfy { $0 >= 0 && $0 < whole.decimated },
                  "slicer \(k): a sampling instant outside the audio")
    }
    fuzzCheck(whole.frames.allSatisfy { (15...398).contains($0.count) }, "a frame outside 15…398 bytes")
    fuzzCheck(whole == pieces, "the block sizes changed what was demodulated")
    return 0
}
