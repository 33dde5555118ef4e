import Foundation
import L1Physical

/// The AX.25 chain at 9600 Bd: a ``BasebandDemodulator`` (low-pass filters, AGC, slicers with
/// their DPLLs, G3RUH descramblers), one HDLC decoder per slicer, de-duplication across slicers,
/// and a ``SlicerCombiner`` for frames that every slicer got wrong, each in other bits.
///
///     samples ─ low-pass × 4 ─ AGC ─ 2 loop gains ─ DPLL ─ descrambler ─ HDLC (NRZI, FCS) ─┬─ de-dup ─ frames
///                                                    (8 slicers) ─ … ──────────────────────┤
///                                   copies that failed, with their line bits ─ combiner ───┘
struct AX25BasebandPipeline: Sendable {
    let sampleRate: Double
    var demod: BasebandDemodulator
    var hdlc: [HDLCDecoder]
    var deduplicator: MessageDeduplicator
    var combining: SlicerCopies

    init(baud: Double, sampleRate: Double, options: ProtocolReceiverOptions) {
        self.sampleRate = sampleRate
        demod = BasebandDemodulator(baud: baud, sampleRate: sampleRate, options: options.baseband)
        var decoder = HDLCDecoder(repairBits: options.repairBits)
        // A line bit the slicer got wrong comes out of the descrambler three times.
        decoder.repairSpread = [0, 12, 17]
        decoder.reportsRejects = true
        hdlc = Array(repeating: decoder, count: demod.slicerCount)
        deduplicator = MessageDeduplicator(holdSamples: Int(sampleRate / baud * 24))
        combining = SlicerCopies(
            slicers: demod.slicerCount, spread: decoder.repairSpread, window: Int(sampleRate / baud * 3))
    }

    mutating func process(_ block: UnsafeBufferPointer<Float>) -> [ProtocolMessage] {
        var decoders = hdlc
        hdlc = []
        var copies = deduplicator
        deduplicator = MessageDeduplicator(holdSamples: 0)
        var combined = combining
        combining = SlicerCopies(slicers: 0, spread: [], window: 0)  // moved out, not copied
        let rate = sampleRate
        demod.process(block) { k, softs, samples in
            decoders[k].push(soft: softs) { f, i in copies.offer(ax25: f, sample: samples[i], rate: rate) }
            combined.take(k, &decoders[k], softs: softs, samples: samples) { bytes, sample in
                copies.offer(ax25: HDLCFrame(bytes: bytes, status: .combined), sample: sample, rate: rate)
            }
        }
        combined.forget(before: demod.sampleCount - Int(sampleRate / demod.baud * 64))
        combining = combined
        hdlc = decoders
        deduplicator = copies
        return deduplicator.release(now: demod.sampleCount, final: false)
    }

    mutating func finish() -> [ProtocolMessage] {
        deduplicator.release(now: demod.sampleCount, final: true)
    }
}
