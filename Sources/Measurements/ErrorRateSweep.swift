import Foundation
import L1Physical
import Plots

/// Which layer's check a sweep ends at.
public enum ErrorRateLayer: String, Sendable, Hashable, Codable, CaseIterable {
    /// Raw PHY frames of random bytes, checked by the PHY header CRC-8 and payload CRC-32.
    case phy
    /// Ethernet II frames sent as PHY payloads with the PHY CRC off, checked by the FCS.
    case ethernet
}

/// What went wrong setting up or running a sweep.
public enum ErrorRateError: Error, Sendable, CustomStringConvertible {
    /// A parameter is out of range: which, its value, why.
    case invalidParameter(name: String, value: String, reason: String)
    /// The physical layer refused the mode or a frame.
    case physical(PhysicalLayerError)
    /// The channel simulator refused the noise (its message).
    case channel(String)
    /// An Ethernet frame could not be built (its message).
    case ethernet(String)

    public var description: String {
        switch self {
        case let .invalidParameter(name, value, reason): return "\(name) \(value): \(reason)"
        case let .physical(e): return "physical layer: \(e)"
        case let .channel(m): return "channel: \(m)"
        case let .ethernet(m): return "ethernet: \(m)"
        }
    }
}

/// Error-rate sweeps against Eb/N0: random frames through the modulator, AWGN at each
/// point, the demodulator and the checks, counted frame by frame.
///
///     let config = try ErrorRateSweep.Config(mode: .named("fsk1200")!, ebn0Points: [8, 10, 12],
///                                            frameBytes: 64, framesPerPoint: 200)
///     let result = try ErrorRateSweep.run(config)
///     result.points.map(\.ber)           // before any check
///     result.totals.damagedDelivered     // 0, or a check failed to catch an error
///     result.gapToTheoryDB               // measured − theory at BER 1e-3, dB
///
/// Work is split into batches ("files" of up to ~30 s of audio with silence between frames),
/// each with its own seeds derived from the sweep seed, the Eb/N0 value and the batch number,
/// so results do not depend on `jobs` or on the other points of the sweep.
public enum ErrorRateSweep {
    /// One sweep's settings.
    public struct Config: Sendable {
        /// The modulation mode measured.
        public var mode: Mode
        /// The line code (the mode's default unless given).
        public var lineCode: LineCode
        /// The Eb/N0 values to measure at, in dB.
        public var ebn0Points: [Double]
        /// Raw payload bytes (`phy`) or Ethernet payload bytes (`ethernet`).
        public var frameBytes: Int
        /// Frames sent at each Eb/N0.
        public var framesPerPoint: Int
        /// Raw PHY frames or Ethernet frames.
        public var layer: ErrorRateLayer
        /// Seed of the noise and the payloads; the same seed gives the same result.
        public var seed: UInt64
        /// Audio samples per second.
        public var sampleRate: Int
        /// Worker threads (≥ 1).
        public var jobs: Int
        /// Silence between frames and before the first / after the last, in seconds.
        public var gapSeconds: Double
        /// Longest audio of one batch, in seconds (at least one frame per batch).
        public var batchSeconds: Double
        /// Forward error correction of every frame sent.
        public var fec: FECScheme
        /// Whether Eb is the energy per payload bit (the whole frame's energy — preamble,
        /// header, parity, CRC — over `frameBytes` × 8, as the shared bench's `channel.py
        /// --payload-bits`), rather than per data bit of the mode.
        public var perPayloadBit: Bool

        /// A sweep's settings; 64-byte raw frames, 100 per point, 48 kHz, one job per core unless given.
        /// - Throws: ``ErrorRateError`` when the mode cannot run at the sample rate, no Eb/N0 lies in
        ///   -20…100 dB, or a count or size is out of range.
        public init(
            mode: Mode, lineCode: LineCode? = nil, ebn0Points: [Double], frameBytes: Int = 64,
            framesPerPoint: Int = 100, layer: ErrorRateLayer = .phy, seed: UInt64 = 1,
            sampleRate: Int = 48000, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
            gapSeconds: Double = 0.05, batchSeconds: Double = 30, fec: FECScheme = .none, perPayloadBit: Bool = false
        ) throws(ErrorRateError) {
            self.mode = mode
            self.lineCode = lineCode ?? mode.defaultLineCode
            self.ebn0Points = ebn0Points.sorted()
            self.frameBytes = frameBytes
            self.framesPerPoint = framesPerPoint
            self.layer = layer
            self.seed = seed
            self.sampleRate = sampleRate
            self.jobs = jobs
            self.gapSeconds = gapSeconds
            self.batchSeconds = batchSeconds
            self.fec = fec
            self.perPayloadBit = perPayloadBit
            try validate()
        }

        func validate() throws(ErrorRateError) {
            do { try mode.validate(sampleRate: Double(sampleRate), lineCode: lineCode) } catch {
                throw .physical(error)
            }
            guard !ebn0Points.isEmpty, ebn0Points.allSatisfy({ $0.isFinite && $0 > -20 && $0 < 100 }) else {
                throw .invalidParameter(
                    name: "Eb/N0", value: "\(ebn0Points)", reason: "need at least one point in -20…100 dB")
            }
            guard framesPerPoint >= 1 else {
                throw .invalidParameter(
                    name: "frames per point", value: "\(framesPerPoint)", reason: "must be at least 1")
            }
            guard jobs >= 1 else {
                throw .invalidParameter(name: "jobs", value: "\(jobs)", reason: "must be at least 1")
            }
            guard gapSeconds >= 0.01, batchSeconds > 0 else {
                throw .invalidParameter(
                    name: "gap", value: "\(gapSeconds) s", reason: "needs at least 10 ms of silence between frames")
            }
            switch layer {
            case .phy:
                guard (1...PhysicalFrame.maxPayload).contains(frameBytes) else {
                    throw .invalidParameter(
                        name: "frame bytes", value: "\(frameBytes)", reason: "must be 1…\(PhysicalFrame.maxPayload)")
                }
            case .ethernet:
                guard (1...1500).contains(frameBytes) else {
                    throw .invalidParameter(
                        name: "frame bytes", value: "\(frameBytes)", reason: "an Ethernet payload is 1…1500 bytes")
                }
            }
        }

        /// Bytes of each PHY payload: the raw bytes, or the whole Ethernet frame.
        public var phyPayloadBytes: Int {
            layer == .phy ? frameBytes : 14 + max(frameBytes, 46) + 4
        }

        /// Bits that must all arrive right: PHY payload, plus its CRC-32 at layer 1.
        public var checkedBits: Int { 8 * (phyPayloadBytes + (layer == .phy ? 4 : 0)) }

        /// Frames per batch: as many as fit in `batchSeconds`, at most 100.
        public var framesPerBatch: Int {
            let encoder = FrameEncoder(mode: mode, lineCode: lineCode, payloadCRC: layer == .phy, fec: fec)
            let symbols = (try? encoder.frame(payload: [UInt8](repeating: 0, count: phyPayloadBytes)).layout.total) ?? 1
            let seconds = Double(symbols) / mode.symbolRate(lineCode: lineCode) + gapSeconds
            return max(1, min(100, Int(batchSeconds / seconds)))
        }
    }

    /// Runs the sweep on `config.jobs` threads.
    /// - Parameters:
    ///   - config: The sweep's settings.
    ///   - progress: called after each batch with (batches done, batches in all), from any thread.
    public static func run(
        _ config: Config,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws(ErrorRateError) -> ErrorRateSweepResult {
        try config.validate()
        let perBatch = config.framesPerBatch
        let batchesPerPoint = (config.framesPerPoint + perBatch - 1) / perBatch
        var items = [ErrorRateBatch]()
        for (p, e) in config.ebn0Points.enumerated() {
            for b in 0..<batchesPerPoint {
                let count = min(perBatch, config.framesPerPoint - b * perBatch)
                items.append(ErrorRateBatch(pointIndex: p, ebn0dB: e, batch: b, frames: count))
            }
        }
        let state = SweepState(points: config.ebn0Points.count)
        let work = items
        DispatchQueue.concurrentPerform(iterations: min(config.jobs, work.count)) { _ in
            while let i = state.claim(limit: work.count) {
                do {
                    let counts = try work[i].run(config)
                    let done = state.finish(point: work[i].pointIndex, counts: counts)
                    progress?(done, work.count)
                } catch {
                    state.fail(error)
                }
            }
        }
        if let e = state.error { throw e }
        let points = config.ebn0Points.enumerated().map { p, e in
            ErrorRatePoint(ebn0dB: e, counts: state.counts[p], mode: config.mode, checkedBits: config.checkedBits)
        }
        return ErrorRateSweepResult(
            mode: config.mode.name, lineCode: config.lineCode.rawValue, layer: config.layer,
            frameBytes: config.frameBytes, phyPayloadBytes: config.phyPayloadBytes,
            checkedBits: config.checkedBits, framesPerPoint: config.framesPerPoint,
            seed: config.seed, sampleRate: config.sampleRate, points: points, fec: config.fec.name,
            ebPerPayloadBit: config.perPayloadBit)
    }

    // MARK: Theory

    /// Non-coherent M-FSK BER for the mode's tone count; nil for baseband.
    public static func theoryBER(mode: Mode, ebn0dB: Double) -> Double? {
        mode.isBaseband ? nil : ErrorRateTheory.nonCoherentMFSK(tones: mode.symbolCount, ebn0dB: ebn0dB)
    }

    /// The Eb/N0 (dB) at which the mode's theoretical BER equals `ber`, by bisection.
    public static func theoryEbN0(mode: Mode, atBER ber: Double) -> Double? {
        guard !mode.isBaseband, ber > 0, ber < 0.5 else { return nil }
        var lo = -10.0, hi = 40.0
        for _ in 0..<80 {
            let mid = (lo + hi) / 2
            if let b = theoryBER(mode: mode, ebn0dB: mid), b > ber { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// Where a measured curve first falls through `target`: log10 BER interpolated linearly
    /// in dB between the two bracketing points. Points with BER 0 cannot be interpolated on
    /// a log scale and end the search.
    public static func crossing(_ curve: [(ebn0dB: Double, ber: Double)], at target: Double) -> Double? {
        let pts = curve.sorted { $0.ebn0dB < $1.ebn0dB }
        guard target > 0 else { return nil }
        for (a, b) in zip(pts, pts.dropFirst()) where a.ber >= target && b.ber < target {
            if a.ber == target { return a.ebn0dB }
            guard b.ber > 0 else { return nil }
            let la = log10(a.ber), lb = log10(b.ber), lt = log10(target)
            return a.ebn0dB + (la - lt) / (la - lb) * (b.ebn0dB - a.ebn0dB)
        }
        return nil
    }
}

/// Shared by the worker threads: the next batch to run, the sums, the first error.
final class SweepState: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var done = 0
    private(set) var counts: [ErrorRateCounts]
    private(set) var error: ErrorRateError?

    init(points: Int) { counts = Array(repeating: ErrorRateCounts(), count: points) }

    func claim(limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard error == nil, next < limit else { return nil }
        next += 1
        return next - 1
    }

    func finish(point: Int, counts c: ErrorRateCounts) -> Int {
        lock.lock(); defer { lock.unlock() }
        counts[point].add(c)
        done += 1
        return done
    }

    func fail(_ e: Error) {
        lock.lock(); defer { lock.unlock() }
        if error == nil { error = (e as? ErrorRateError) ?? .channel("\(e)") }
    }
}

extension ErrorRateSweep {
    /// Eb/N0 points from `a:b:step` (both ends included when on the grid) or a comma list.
    ///
    ///     try ErrorRateSweep.points("6:14:2")    // [6, 8, 10, 12, 14]
    ///     try ErrorRateSweep.points("9,10.5")    // [9, 10.5]
    public static func points(_ text: String) throws(ErrorRateError) -> [Double] {
        let bad = ErrorRateError.invalidParameter(
            name: "--ebn0", value: "'\(text)'",
            reason: "expected a:b:step (e.g. 6:14:1) or a list (e.g. 8,10,12)")
        let t = text.filter { !$0.isWhitespace }
        if t.contains(":") {
            let parts = t.split(separator: ":", omittingEmptySubsequences: false).map { Double($0) }
            guard parts.count == 3, let a = parts[0], let b = parts[1], let step = parts[2],
                a.isFinite, b.isFinite, step.isFinite, step > 0, b >= a
            else { throw bad }
            let n = Int(((b - a) / step + 1e-9).rounded(.down))
            guard n < 1000 else { throw bad }
            return (0...n).map { (((a + Double($0) * step) * 1e6).rounded()) / 1e6 }
        }
        let list = t.split(separator: ",").map { Double($0) }
        guard !list.isEmpty else { throw bad }
        var out = [Double]()
        for v in list {
            guard let v, v.isFinite else { throw bad }
            out.append(v)
        }
        return Array(Set(out)).sorted()
    }
}
