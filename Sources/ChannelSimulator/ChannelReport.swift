/// What ``ChannelSimulator/apply(_:to:sampleRate:seed:silenceDB:)`` did, step by step, with the
/// calibration it used. Encodes to JSON with the field names of `channel.py`'s summary where
/// the two share a quantity (`fs`, `Ps`, `sigma`, `active_s`, `snr_per_sample_db`, …).
public struct ChannelReport: Sendable, Hashable, Codable {
    /// One parameter of a step: name, value and unit.
    public struct Parameter: Sendable, Hashable, Codable {
        /// The parameter's name, e.g. "snr".
        public var name: String
        /// The parameter's value.
        public var value: Double
        /// The unit, e.g. "dB" or "Hz" (empty when unitless).
        public var unit: String
        /// A parameter from its name, value and unit.
        public init(_ name: String, _ value: Double, _ unit: String = "") {
            self.name = name
            self.value = value
            self.unit = unit
        }
    }

    /// One applied impairment.
    public struct Step: Sendable, Hashable, Codable {
        /// The impairment's short name (``Impairment/name``).
        public var name: String
        /// The impairment's settings as applied.
        public var parameters: [Parameter]
        /// One human-readable line: what was done and its measured effect.
        public var summary: String
    }

    /// Sample rate, Hz.
    public var sampleRate: Int
    /// The seed every random choice derives from.
    public var seed: UInt64
    /// Samples in the clean input.
    public var inputSamples: Int
    /// Samples in the output (differs from the input after resampling).
    public var outputSamples: Int
    /// Duration of the input in seconds.
    public var inputSeconds: Double
    /// Duration of the output in seconds.
    public var outputSeconds: Double
    /// Duration of the clean input's active part, seconds.
    public var activeSeconds: Double
    /// Ps: mean power of the clean input over its active part (full scale = 1).
    public var signalPower: Double
    /// R used for Eb/N0, bits/s (nil without an Eb/N0 step).
    public var bitRate: Double?
    /// Requested Eb/N0, dB (nil without an Eb/N0 step).
    public var ebN0DB: Double?
    /// Standard deviation of the added white noise (all AWGN steps together; 0 if none).
    public var sigma: Double
    /// Ps / σ² in dB (nil without noise).
    public var snrPerSampleDB: Double?
    /// Ps / (σ² · 4000 / (fs/2)) in dB: the SNR within a 4 kHz band (nil without noise).
    public var snrIn4kHzDB: Double?
    /// Output samples at or beyond full scale (|y| ≥ 1), as `channel.py` counts them.
    public var clippedSamples: Int
    /// Start times of the dropouts in the output, seconds.
    public var erasureSeconds: [Double]
    /// Start times of the noise bursts in the output, seconds.
    public var burstSeconds: [Double]
    /// The steps, in the order applied.
    public var steps: [Step]

    /// One line per step, then one with the noise calibration.
    public var summaryLines: [String] {
        var lines = steps.map(\.summary)
        var last =
            "Ps \(formatted(decibels(power: signalPower), digits: 2)) dBFS over "
            + "\(formatted(activeSeconds, digits: 3)) s active"
        if let snr = snrPerSampleDB, let snr4 = snrIn4kHzDB {
            last +=
                ", sigma \(formatted(sigma, digits: 6)), SNR \(formatted(snr, digits: 2)) dB "
                + "per sample, \(formatted(snr4, digits: 2)) dB in 4 kHz"
        }
        last += "; \(inputSamples) → \(outputSamples) samples, \(clippedSamples) clipped"
        lines.append(last)
        return lines
    }

    enum CodingKeys: String, CodingKey {
        case sampleRate = "fs"
        case seed
        case inputSamples = "in_samples"
        case outputSamples = "out_samples"
        case inputSeconds = "in_s"
        case outputSeconds = "out_s"
        case activeSeconds = "active_s"
        case signalPower = "Ps"
        case bitRate = "rate_bps"
        case ebN0DB = "ebn0_db"
        case sigma
        case snrPerSampleDB = "snr_per_sample_db"
        case snrIn4kHzDB = "snr_in_band_4k_db"
        case clippedSamples = "clipped_samples"
        case erasureSeconds = "erasures_s"
        case burstSeconds = "bursts_s"
        case steps
    }
}
