// Fuzz target `channelspec`: the channel simulator's spec parser (`--channel "ebn0=11,seed=5"`).
// Input: any bytes, read as UTF-8 text (invalid sequences become U+FFFD); the byte count picks
// the sample rate (8, 11.025 or 48 kHz) a parsed spec is checked and applied at.
// Properties: ChannelSpec.parse never traps; a parsed spec holds finite numbers only, its
// impairments are in the default order, at most one of each kind (AWGN: `snr` and `ebn0`), and its description parses
// back to the same spec; a spec that validates at the rate, applied to 50 ms of a tone (long
// steps capped so one input runs in milliseconds), gives finite samples of the expected length
// (input plus both paddings, after any clock drift) and a report that says so, or refuses a
// noise level beyond Float's range (Eb/N0 against a bit rate near 0) with invalidParameter.
import ChannelSimulator

#if canImport(Glibc)
    import Glibc
#endif

private let rates = [8000, 11025, 48000]

private func finiteNumbers(_ step: Impairment) -> Bool {
    switch step {
    case let .awgn(.ebN0(db, rate)):
        switch rate {
        case let .bitsPerSecond(r)?: return db.isFinite && r.isFinite && r > 0
        case let .payloadBits(k)?: return db.isFinite && k.isFinite && k > 0
        case nil: return db.isFinite
        }
    case let .awgn(.snr(db, bw)): return db.isFinite && (bw.map { $0.isFinite && $0 > 0 } ?? true)
    case let .clockDrift(ppm): return ppm.isFinite
    case let .frequencyOffset(hz): return hz.isFinite
    case let .gain(db): return db.isFinite
    case let .dcOffset(dc): return dc.isFinite
    case let .padding(ms): return ms.isFinite && ms >= 0
    case let .hum(f, db): return f.isFinite && f > 0 && db.isFinite
    case let .telephoneBand(lo, hi): return lo.isFinite && hi.isFinite && lo > 0 && hi > lo
    case .muLaw: return true
    case let .echo(taps):
        return !taps.isEmpty
            && taps.allSatisfy { $0.delayMilliseconds.isFinite && $0.delayMilliseconds > 0 && $0.gainDB.isFinite }
    case let .burstNoise(count, ms, db): return count >= 0 && ms.isFinite && ms >= 0 && db.isFinite
    case let .dropout(count, ms): return count >= 0 && ms.isFinite && ms >= 0
    case let .wow(percent, hz), let .flutter(percent, hz): return percent.isFinite && hz.isFinite
    case let .reverb(seconds, db): return seconds.isFinite && db.isFinite
    }
}

/// Steps whose work grows with a parameter, capped so that one input stays in milliseconds.
private func cheap(_ step: Impairment) -> Bool {
    switch step {
    case let .padding(ms): return ms <= 100
    case let .echo(taps): return taps.count <= 16
    case let .burstNoise(count, ms, _): return count <= 200 && ms <= 100
    case let .dropout(count, ms): return count <= 200 && ms <= 100
    case let .reverb(seconds, _): return seconds <= 0.2
    default: return true
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzChannelSpec(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let spec = try? ChannelSpec.parse(text) else { return 0 }

    let kinds = spec.impairments.map(\.defaultRank)
    fuzzCheck(kinds == kinds.sorted(), "impairments out of the default order: \(spec.impairments)")
    // One step per key; `snr` and `ebn0` are two keys for AWGN.
    let names = spec.impairments.map(\.name)
    fuzzCheck(names.filter { $0 == "awgn" }.count <= 2, "three AWGN steps from one spec: \(spec.impairments)")
    fuzzCheck(
        Set(names.filter { $0 != "awgn" }).count == names.filter { $0 != "awgn" }.count,
        "two steps of one kind from one spec: \(spec.impairments)")
    for step in spec.impairments {
        fuzzCheck(finiteNumbers(step), "'\(text)' parsed to \(step)")
    }
    let description = spec.description
    do {
        let again = try ChannelSpec.parse(description)
        fuzzCheck(again == spec, "'\(text)' → '\(description)' → \(again), not \(spec)")
    } catch {
        fuzzCheck(false, "'\(text)' → '\(description)', which does not parse: \(error)")
    }
    _ = spec.withDefaultBitRate(1200).description

    let rate = rates[size % rates.count]
    let filled = spec.withDefaultBitRate(1200)
    guard filled.impairments.allSatisfy({ (try? $0.validate(sampleRate: rate)) != nil && cheap($0) }) else { return 0 }
    let n = rate / 20
    let step = 2 * Double.pi * 1000 / Double(rate)
    let tone = (0..<n).map { i -> Float in Float(0.5 * sin(step * Double(i))) }
    let result: (output: [Float], report: ChannelReport)
    do {
        result = try ChannelSimulator.apply(filled, to: tone, sampleRate: rate)
    } catch ChannelError.invalidParameter(name: "noise sigma", _, _) {
        return 0  // Eb/N0 against a bit rate near 0: noise beyond Float's range, refused
    } catch {
        fuzzCheck(false, "'\(text)' validated at \(rate) Hz but applying it threw \(error)")
        return 0
    }
    var expected = Double(n)
    var slack = 0.0
    for step in filled.impairments {
        switch step {
        case let .clockDrift(ppm):
            expected /= 1 + ppm * 1e-6
            slack = 2
        case let .padding(ms): expected += 2 * (ms * Double(rate) / 1000).rounded()
        default: break
        }
    }
    let count = result.output.count
    fuzzCheck(abs(Double(count) - expected) <= slack + 0.5, "\(count) samples out, expected \(expected) for '\(text)'")
    fuzzCheck(result.report.outputSamples == count, "report says \(result.report.outputSamples) samples, \(count) out")
    fuzzCheck(result.report.inputSamples == n, "report says \(result.report.inputSamples) samples in")
    if let bad = result.output.firstIndex(where: { !$0.isFinite }) {
        fuzzCheck(false, "sample \(bad) is \(result.output[bad]) for '\(text)' at \(rate) Hz")
    }
    _ = result.report.summaryLines
    return 0
}
