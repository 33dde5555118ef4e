import Foundation
import L1Physical

/// The AX.25 chain at 9600 Bd: a ``BasebandDemodulator`` (low-pass filters, AGC, slicers with
/// their DPLLs, G3RUH descramblers), one HDLC decoder per slicer, de-duplication across slicers,
/// and a ``SlicerCombiner`` for the frames every slicer got wrong.
///
///     samples ─ low-pass × 4 ─ AGC ─ 2 loop gains ─ DPLL ─ descrambler ─ HDLC (NRZI, FCS) ─┬─ de-dup ─ frames
///                                                    (8 slicers) ─ … ──────────────────────┤
///                                        copies that failed, with their line bits ─ combiner ┘
struct AX25BasebandPipeline: Sendable {
    let sampleRate: Double
    var demod: BasebandDemodulator
    var hdlc: [HDLCDecoder]
    var deduplicator: MessageDeduplicator
    var combiner: SlicerCombiner
    /// Per slicer: its latest line bits (soft), enough for the longest frame, and the index
    /// (counted from its first line bit) of the first one kept.
    var history: [[Float]]
    var historyStart: [Int]
    /// Line bits kept per slicer for the combiner: the longest frame's.
    static let historyLength = HDLCDecoder.lineCapacity

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
        history = Array(repeating: [], count: demod.slicerCount)
        historyStart = Array(repeating: 0, count: demod.slicerCount)
    }

    mutating func process(_ block: UnsafeBufferPointer<Float>) -> [ProtocolMessage] {
        var decoders = hdlc
        hdlc = []
        var copies = deduplicator
        deduplicator = MessageDeduplicator(holdSamples: 0)
        var lines = history
        history = []
        var combining = combiner
        let rate = sampleRate
        let starts = historyStart
        demod.process(block) { k, softs, samples in
            decoders[k].push(soft: softs) { f, i in copies.offer(ax25: f, sample: samples[i], rate: rate) }
            lines[k].append(contentsOf: softs)
            let rejects = decoders[k].takeRejects()
            guard !rejects.isEmpty else { return }
            // Line bit `b` of the slicer is lines[k][b − start]; this block's first is `first`.
            let start = starts[k], first = start + lines[k].count - softs.count
            for r in rejects where r.start >= start {
                let line = Array(lines[k][(r.start - start)...(r.end - start)])
                let copy = SlicerCombiner.Copy(
                    slicer: k, sample: samples[r.end - first], line: line, startLevel: r.startLevel)
                if let bytes = combining.offer(copy) {
                    copies.offer(ax25: HDLCFrame(bytes: bytes, status: .combined), sample: copy.sample, rate: rate)
                }
            }
        }
        for k in lines.indices where lines[k].count > 2 * Self.historyLength {
            let drop = lines[k].count - Self.historyLength
            lines[k].removeFirst(drop)
            historyStart[k] += drop
        }
        history = lines
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
