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
    var combiner: SlicerCombiner
    /// Per slicer: the line bits (soft) of the frame it is receiving, as far as earlier blocks
    /// brought them, from line bit `held[k].start` (counted from its first) on.
    var held: [(start: Int, line: [Float])]

    init(baud: Double, sampleRate: Double, options: ProtocolReceiverOptions) {
        self.sampleRate = sampleRate
        demod = BasebandDemodulator(baud: baud, sampleRate: sampleRate, options: options.baseband)
        var decoder = HDLCDecoder(repairBits: options.repairBits)
        // A line bit the slicer got wrong comes out of the descrambler three times.
        decoder.repairSpread = [0, 12, 17]
        decoder.reportsRejects = true
        hdlc = Array(repeating: decoder, count: demod.slicerCount)
        deduplicator = MessageDeduplicator(holdSamples: Int(sampleRate / baud * 24))
        combiner = SlicerCombiner(spread: decoder.repairSpread, window: Int(sampleRate / baud * 3))
        held = Array(repeating: (0, []), count: demod.slicerCount)
    }

    mutating func process(_ block: UnsafeBufferPointer<Float>) -> [ProtocolMessage] {
        var decoders = hdlc
        hdlc = []
        var copies = deduplicator
        deduplicator = MessageDeduplicator(holdSamples: 0)
        var kept = held
        held = []
        var combining = combiner
        let rate = sampleRate
        demod.process(block) { k, softs, samples in
            // This block's line bits are the slicer's from `first` on.
            let first = kept[k].start + kept[k].line.count
            decoders[k].push(soft: softs) { f, i in copies.offer(ax25: f, sample: samples[i], rate: rate) }
            for r in decoders[k].rejects.isEmpty ? [] : decoders[k].takeRejects() where r.start >= kept[k].start {
                var line: [Float] = []
                line.reserveCapacity(r.end - r.start + 1)
                if r.start < first { line += kept[k].line[(r.start - kept[k].start)...] }
                line += softs[max(0, r.start - first)...(r.end - first)]
                let copy = SlicerCombiner.Copy(
                    slicer: k, sample: samples[r.end - first], line: line, startLevel: r.startLevel)
                if let bytes = combining.offer(copy) {
                    copies.offer(ax25: HDLCFrame(bytes: bytes, status: .combined), sample: copy.sample, rate: rate)
                }
            }
            // Keep the line bits of the frame being received (none between frames), up to the
            // longest frame's.
            let end = first + softs.count
            let from = max(decoders[k].frameInProgress ?? end, end - HDLCDecoder.lineCapacity)
            if from >= first {
                kept[k].line.removeAll(keepingCapacity: true)
                kept[k].line += softs[(from - first)...]
            } else {
                kept[k].line.removeFirst(from - kept[k].start)
                kept[k].line += softs
            }
            kept[k].start = from
        }
        held = kept
        combining.forget(before: demod.sampleCount - Int(sampleRate / demod.baud * 64))
        combiner = combining
        hdlc = decoders
        deduplicator = copies
        return deduplicator.release(now: demod.sampleCount, final: false)
    }

    mutating func finish() -> [ProtocolMessage] {
        deduplicator.release(now: demod.sampleCount, final: true)
    }
}
