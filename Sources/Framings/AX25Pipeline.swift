import Foundation
import L1Physical

/// The AX.25 chain: band-pass, decimation, every demodulator and slicer in one
/// ``AFSKMultiDemodulator``, one HDLC decoder per slicer, de-duplication across slicers, and a
/// ``SlicerCombiner`` for the frames every slicer got wrong.
///
/// Same bits and messages as running the demodulators one by one; the shared loop is only faster.
struct AX25Pipeline: Sendable {
    let sampleRate: Double
    var demod: AFSKMultiDemodulator
    /// Band-pass ahead of the demodulators.
    var prefilter: BandpassFilter?
    var filtered: [Float] = []
    /// The demodulators run at `sampleRate / decimation`.
    var decimation = 1
    var hdlc: [HDLCDecoder]
    /// One FX.25 receiver per slicer, on the same bits as the HDLC decoders.
    var fx25: [FX25Decoder]
    /// Demodulator samples per bit, to date an FX.25 frame at its closing flag like its plain copy.
    var demodulatorBitSamples: Double = 1
    /// Demodulator input per call at most.
    static let slice = 1024
    /// Messages waiting for duplicates from other slicers.
    var deduplicator: MessageDeduplicator
    /// Frames every slicer got wrong, each in other bits, combined from their failed copies.
    var combining: SlicerCopies

    init(sampleRate: Double, options: ProtocolReceiverOptions) {
        self.sampleRate = sampleRate
        let sig = options.signalling ?? RealWorldProtocol.ax25.defaultSignalling
        // FX.25: a frame's block ends at most 255 bytes after its closing flag.
        deduplicator = MessageDeduplicator(
            holdSamples: Int(sampleRate / sig.baud * 24), rememberSamples: Int(sampleRate / sig.baud * (24 + 8 * 256)))
        if options.prefilterBits > 0 {
            decimation = max(1, Int(sampleRate / options.decimatedRate))
            prefilter = BandpassFilter(
                around: sig, sampleRate: sampleRate, margin: options.prefilterMargin,
                bits: options.prefilterBits)
        }
        demod = AFSKMultiDemodulator(
            signalling: sig, sampleRate: sampleRate / Double(decimation),
            gainsDB: AFSKBitDemodulator.spreadGains(count: options.slicers, maxDB: options.slicerSpanDB),
            windowsBits: options.windowsBits, loopGains: options.loopGains)
        var decoder = HDLCDecoder(repairBits: options.repairBits)
        decoder.reportsRejects = true
        hdlc = Array(repeating: decoder, count: demod.slicerCount)
        combining = SlicerCopies(
            slicers: demod.slicerCount, spread: decoder.repairSpread,
            window: Int(sampleRate / Double(decimation) / sig.baud * 3))
        fx25 = Array(repeating: FX25Decoder(), count: demod.slicerCount)
        demodulatorBitSamples = sampleRate / Double(decimation) / sig.baud
    }

    mutating func process(_ input: UnsafeBufferPointer<Float>) -> [ProtocolMessage] {
        guard var bp = prefilter else { return process(unfiltered: input) }
        if filtered.count < input.count + 1 { filtered = [Float](repeating: 0, count: input.count + 1) }
        var scratch = filtered
        filtered = []
        let n = scratch.withUnsafeMutableBufferPointer { bp.process(input, into: $0, decimation: decimation) }
        prefilter = bp
        var out = scratch.withUnsafeBufferPointer { process(unfiltered: UnsafeBufferPointer(rebasing: $0[0..<n])) }
        filtered = scratch
        rescale(&out)
        return out
    }

    mutating func process(unfiltered block: UnsafeBufferPointer<Float>) -> [ProtocolMessage] {
        var decoders = hdlc
        hdlc = []
        var fxDecoders = fx25
        fx25 = []
        var copies = deduplicator
        deduplicator = MessageDeduplicator(holdSamples: 0)
        let rate = sampleRate
        let bitSamples = demodulatorBitSamples
        var combined = combining
        combining = SlicerCopies(slicers: 0, spread: [], window: 0)  // moved out, not copied
        // In slices of `slice` samples, so the slicers' records of one call stay in the L2 cache
        // (the bits do not depend on the block size).
        var start = 0
        while start < block.count {
            let end = min(block.count, start + Self.slice)
            demod.process(UnsafeBufferPointer(rebasing: block[start..<end])) {
                (k: Int, softs: UnsafeBufferPointer<Float>, samples: UnsafeBufferPointer<Int>) in
                // Each slicer's copy of a frame is offered; only the one kept is parsed and printed.
                decoders[k].push(soft: softs) { f, i in copies.offer(ax25: f, sample: samples[i], rate: rate) }
                combined.take(k, &decoders[k], softs: softs, samples: samples) { bytes, sample in
                    copies.offer(ax25: HDLCFrame(bytes: bytes, status: .combined), sample: sample, rate: rate)
                }
                fxDecoders[k].push(soft: softs) { f, i in
                    let sample = max(0, samples[i] - Int(Double(f.trailingBits) * bitSamples))
                    copies.offer(ax25: HDLCFrame(bytes: f.bytes, status: .fx25), sample: sample, rate: rate)
                }
            }
            start = end
        }
        combined.forget(before: demod.sampleCount - Int(bitSamples * 64))
        combining = combined
        hdlc = decoders
        fx25 = fxDecoders
        deduplicator = copies
        return deduplicator.release(now: demod.sampleCount, final: false)
    }

    mutating func finish() -> [ProtocolMessage] {
        var out = deduplicator.release(now: demod.sampleCount, final: true)
        rescale(&out)
        return out
    }

    /// Sample indices of the decimated stream back to the input's.
    private func rescale(_ out: inout [ProtocolMessage]) {
        guard decimation > 1 else { return }
        for k in out.indices {
            out[k].sample *= decimation
            out[k].time = Double(out[k].sample) / sampleRate
        }
    }

}
