import SignalBasics

/// A calibrated, seeded simulator of the impairments of a real audio path.
///
/// ```swift
/// let spec = try ChannelSpec.parse("ebn0=12,bitrate=1200,drift=200ppm,phone,seed=7")
/// let (noisy, report) = try ChannelSimulator.apply(spec.impairments, to: samples,
///                                                  sampleRate: 48_000, seed: spec.seed)
/// report.summaryLines.forEach { print($0) }
/// ```
///
/// Calibration (the same as the shared benchmark's `channel.py`): Ps is the mean power of
/// the *clean input* over its active part (10 ms frames within 40 dB of the loudest), taken
/// before any step, so impairments never move the noise level. For Eb/N0: Eb = Ps / R,
/// N0 = Eb / 10^(Eb/N0 / 10), and white Gaussian noise of variance σ² = N0 · fs / 2 is added
/// to every sample, silence and padding included. Hum and burst levels are relative to Ps too.
///
/// Randomness: each step draws from its own stream of a xoshiro256** generator derived from
/// `seed`, the step's kind and its occurrence, so the same seed gives bit-identical output and
/// adding one step does not change the random numbers of another.
public enum ChannelSimulator {
    /// Applies `impairments` in array order to `samples` (full scale ±1) at `sampleRate`.
    ///
    /// - Parameters:
    ///   - impairments: the steps, applied in this order (see ``Impairment/defaultOrder(_:)``).
    ///   - samples: the clean signal.
    ///   - sampleRate: samples per second (> 0).
    ///   - seed: the seed of every random choice.
    ///   - silenceDB: frames quieter than the loudest by more than this are silence (−40 dB,
    ///     `channel.py`'s `--silence-db`).
    /// - Returns: the impaired signal and a report of what was done.
    /// - Throws: ``ChannelError/noSignal`` if a level relative to the signal is requested and
    ///   the input is silent, ``ChannelError/bitRateMissing`` for Eb/N0 without a bit rate,
    ///   ``ChannelError/invalidParameter(name:value:reason:)`` for out-of-range parameters,
    ///   ``ChannelError/invalidSampleRate(_:)`` for a rate ≤ 0.
    /// - Complexity: linear in the number of samples for every step but reverb, which is
    ///   O(n log L) for an impulse response of L samples (1.5 × RT60).
    public static func apply(
        _ impairments: [Impairment], to samples: [Float], sampleRate: Int,
        seed: UInt64, silenceDB: Double = -40
    ) throws
        -> (output: [Float], report: ChannelReport)
    {
        guard sampleRate > 0 else { throw ChannelError.invalidSampleRate(sampleRate) }
        guard silenceDB < 0 else {
            throw ChannelError.invalidParameter(
                name: "silence dB", value: silenceDB,
                reason: "must be negative")
        }
        for step in impairments { try step.validate(sampleRate: sampleRate) }

        let activity = SignalActivity(samples, sampleRate: sampleRate, silenceDB: silenceDB)
        var state = ChannelState(
            samples: samples, mask: activity.mask, sampleRate: sampleRate,
            signalPower: activity.power,
            activeSeconds: Double(activity.activeCount) / Double(sampleRate))
        var occurrences: [Int: UInt64] = [:]
        for step in impairments {
            let kind = step.kindIndex
            let occurrence = occurrences[kind, default: 0]
            occurrences[kind] = occurrence + 1
            var rng = SeededGenerator(seed: seed, stream: UInt64(kind) << 32 | occurrence)
            try state.apply(step, rng: &rng)
        }

        let fs = Double(sampleRate)
        let variance = state.noiseVariance
        let sigma = variance.squareRoot()
        let ps = state.signalPower
        var clipped = 0
        for v in state.samples where abs(v) >= 1 { clipped += 1 }
        let report = ChannelReport(
            sampleRate: sampleRate, seed: seed,
            inputSamples: samples.count, outputSamples: state.samples.count,
            inputSeconds: Double(samples.count) / fs, outputSeconds: Double(state.samples.count) / fs,
            activeSeconds: state.activeSeconds, signalPower: ps,
            bitRate: state.bitRate, ebN0DB: state.ebN0DB, sigma: sigma,
            snrPerSampleDB: variance > 0 && ps > 0 ? decibels(power: ps / variance) : nil,
            snrIn4kHzDB: variance > 0 && ps > 0
                ? decibels(power: ps / (variance * 4000 / (fs / 2))) : nil,
            clippedSamples: clipped,
            erasureSeconds: state.erasures.map { ($0 / fs * 10_000).rounded() / 10_000 },
            burstSeconds: state.bursts.map { ($0 / fs * 10_000).rounded() / 10_000 },
            steps: state.steps)
        return (state.samples, report)
    }

    /// Applies a parsed spec: its impairments in their order, with its seed.
    ///
    /// ```swift
    /// let spec = try ChannelSpec.parse(text).withDefaultBitRate(1200)
    /// let (y, report) = try ChannelSimulator.apply(spec, to: x, sampleRate: 48_000)
    /// ```
    public static func apply(
        _ spec: ChannelSpec, to samples: [Float], sampleRate: Int,
        silenceDB: Double = -40
    ) throws -> (output: [Float], report: ChannelReport) {
        try apply(
            spec.impairments, to: samples, sampleRate: sampleRate, seed: spec.seed,
            silenceDB: silenceDB)
    }

    /// The noise standard deviation σ that `level` means for a clean signal of active power
    /// `signalPower` lasting `activeSeconds` at `sampleRate` — the calibration of
    /// ``apply(_:to:sampleRate:seed:silenceDB:)``, exposed so that callers can quote it.
    /// - Returns: σ and, for Eb/N0, the bit rate R used.
    /// - Throws: ``ChannelError/noSignal`` if `signalPower` is 0, ``ChannelError/bitRateMissing``,
    ///   ``ChannelError/invalidParameter(name:value:reason:)`` when σ would be beyond 10¹⁸.
    public static func sigma(
        for level: NoiseLevel, signalPower: Double, activeSeconds: Double,
        sampleRate: Int
    ) throws -> (sigma: Double, bitRate: Double?) {
        guard signalPower > 0 else { throw ChannelError.noSignal }
        let fs = Double(sampleRate)
        switch level {
        case let .ebN0(db, rate):
            let r: Double
            switch rate {
            case nil: throw ChannelError.bitRateMissing
            case let .bitsPerSecond(bps)?: r = bps
            case let .payloadBits(k)?: r = k / activeSeconds
            }
            let eb = signalPower / r
            let n0 = eb / powerRatio(dB: db)
            return (try bounded((n0 * fs / 2).squareRoot()), r)
        case let .snr(db, bandwidth):
            let share = bandwidth.map { min(1, $0 / (fs / 2)) } ?? 1
            return (try bounded((signalPower / powerRatio(dB: db) / share).squareRoot()), nil)
        }
    }

    /// The largest noise σ applied (full scale = 1): −300 dB SNR on a full-scale signal is
    /// 10¹⁵; beyond 10¹⁸ the samples would overflow `Float` (a bit rate or bit count near 0).
    static let maxSigma = 1e18

    private static func bounded(_ sigma: Double) throws -> Double {
        guard sigma.isFinite, sigma <= maxSigma else {
            throw ChannelError.invalidParameter(
                name: "noise sigma", value: sigma,
                reason: "must be at most 1e18 full scale (is the bit rate or bit count near 0?)")
        }
        return sigma
    }
}
