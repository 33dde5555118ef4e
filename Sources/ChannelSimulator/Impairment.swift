/// One impairment of an audio path, with its calibration.
///
/// ``ChannelSimulator/apply(_:to:sampleRate:seed:silenceDB:)`` applies an array of them in array
/// order. ``Impairment/defaultOrder(_:)`` is the order of a physical path and the one
/// ``ChannelSpec`` produces; it extends `channel.py`'s (clock, frequency offset, padding,
/// erasures, AWGN, gain):
///
/// 1. ``clockDrift(ppm:)`` — the sender's and recorder's sample clocks disagree; then
///    ``wow(percent:hertz:)`` and ``flutter(percent:hertz:)`` — a tape's speed swinging about it
/// 2. ``frequencyOffset(hertz:)`` — a mistuned SSB radio
/// 3. ``echo(_:)`` — multipath / room or line echo; then ``reverb(seconds:directToReverberantDB:)``
///    — a room's diffuse tail
/// 4. ``telephoneBand(low:high:)`` — a phone line's band-pass
/// 5. ``muLaw`` — a G.711 codec at 8 kHz
/// 6. ``padding(milliseconds:)`` — silence before and after
/// 7. ``dropout(count:milliseconds:)`` — signal erased in bursts (noise continues)
/// 8. ``hum(frequency:levelDB:)`` — mains hum at the recorder
/// 9. ``burstNoise(count:milliseconds:levelDB:)`` — bursts of strong noise
/// 10. ``awgn(_:)`` — white Gaussian noise over every sample
/// 11. ``dcOffset(_:)`` — a DC offset of the recorder's input
/// 12. ``gain(dB:)`` — level change with hard clipping at full scale
///
/// Levels "relative to the signal" refer to Ps, the mean power of the clean input over its
/// active part (10 ms frames within 40 dB of the loudest), measured before any step.
public enum Impairment: Sendable, Hashable, Codable {
    /// White Gaussian noise added to every sample, at an Eb/N0 or an SNR.
    case awgn(NoiseLevel)
    /// Sample-clock mismatch: the signal is time-scaled by 1/(1 + ppm·10⁻⁶); every frequency
    /// and the symbol rate are multiplied by 1 + ppm·10⁻⁶, the length divided by it.
    case clockDrift(ppm: Double)
    /// Every frequency shifted by `hertz` (analytic signal × e^{j2πft}); timing unchanged.
    case frequencyOffset(hertz: Double)
    /// Gain in dB, then hard clipping at ±1 (full scale); clipped samples are counted.
    case gain(dB: Double)
    /// A constant added to every sample (full scale = 1).
    case dcOffset(Double)
    /// Silence of `milliseconds` before and after the signal.
    case padding(milliseconds: Double)
    /// Mains hum at `frequency` (50 or 60 Hz, any positive value allowed) with its 2nd, 3rd
    /// and 5th harmonics; total hum power `levelDB` relative to Ps. Phases from the seed.
    case hum(frequency: Double, levelDB: Double)
    /// A telephone band-pass: 6th-order Butterworth high-pass at `low` and low-pass at `high`.
    case telephoneBand(low: Double, high: Double)
    /// Resampling to 8 kHz, G.711 µ-law encoding and decoding, resampling back.
    case muLaw
    /// Multipath: each tap adds the signal delayed by its delay at its gain. Length unchanged.
    case echo([EchoTap])
    /// Tape wow: the playing speed swings sinusoidally by ±`percent` % at `hertz` about the
    /// recorded one; every frequency and the symbol rate swing with it. Length unchanged.
    case wow(percent: Double, hertz: Double)
    /// Tape flutter: the same as ``wow(percent:hertz:)``, a separate step so that one path can
    /// have a slow swing (wow, below a few Hz) and a fast one (flutter, several Hz) at once.
    case flutter(percent: Double, hertz: Double)
    /// A room's reverberation: the direct sound plus a diffuse tail starting 5 ms after it,
    /// seeded Gaussian noise under an envelope falling 60 dB in `seconds` (RT60), with
    /// `directToReverberantDB` of direct over tail energy (0 dB: the critical distance; a
    /// microphone near the speaker is above it). Length unchanged.
    case reverb(seconds: Double, directToReverberantDB: Double)
    /// `count` bursts of `milliseconds` of Gaussian noise at `levelDB` relative to Ps, at
    /// seeded random places inside the active part.
    case burstNoise(count: Int, milliseconds: Double, levelDB: Double)
    /// `count` bursts of `milliseconds` where the signal is zeroed, at seeded random places
    /// inside the active part (noise added later continues).
    case dropout(count: Int, milliseconds: Double)

    /// The standard telephone band, 300–3400 Hz.
    public static let telephone = Impairment.telephoneBand(low: 300, high: 3400)

    /// A short name of the step, as used in reports and spec strings.
    public var name: String {
        switch self {
        case .awgn: return "awgn"
        case .clockDrift: return "drift"
        case .frequencyOffset: return "freq"
        case .gain: return "gain"
        case .dcOffset: return "dc"
        case .padding: return "pad"
        case .hum: return "hum"
        case .telephoneBand: return "phone"
        case .muLaw: return "mulaw"
        case .echo: return "echo"
        case .wow: return "wow"
        case .flutter: return "flutter"
        case .reverb: return "reverb"
        case .burstNoise: return "burst"
        case .dropout: return "dropout"
        }
    }

    /// Position in ``defaultOrder(_:)`` (0-based).
    public var defaultRank: Int {
        switch self {
        case .clockDrift, .wow, .flutter: return 0
        case .frequencyOffset: return 1
        case .echo, .reverb: return 2
        case .telephoneBand: return 3
        case .muLaw: return 4
        case .padding: return 5
        case .dropout: return 6
        case .hum: return 7
        case .burstNoise: return 8
        case .awgn: return 9
        case .dcOffset: return 10
        case .gain: return 11
        }
    }

    /// A number of its own for each kind of step (AWGN one for both levels): the random
    /// stream a step draws from is derived from it, so a kind added later leaves every other
    /// kind's output for a seed as it was.
    public var kindIndex: Int {
        switch self {
        case .wow: return 12
        case .flutter: return 13
        case .reverb: return 14
        default: return defaultRank
        }
    }

    /// `impairments` sorted into the default order (stable for equal ranks).
    public static func defaultOrder(_ impairments: [Impairment]) -> [Impairment] {
        impairments.enumerated().sorted {
            ($0.element.defaultRank, $0.offset) < ($1.element.defaultRank, $1.offset)
        }.map(\.element)
    }

    /// Checks the parameters against their meaningful ranges for `sampleRate`.
    /// - Throws: ``ChannelError/invalidParameter(name:value:reason:)``.
    public func validate(sampleRate: Int) throws {
        let nyquist = Double(sampleRate) / 2
        func check(_ ok: Bool, _ name: String, _ value: Double, _ reason: String) throws {
            if !ok { throw ChannelError.invalidParameter(name: name, value: value, reason: reason) }
        }
        func finite(_ name: String, _ value: Double) throws {
            try check(value.isFinite, name, value, "must be finite")
        }
        switch self {
        case let .awgn(level):
            try level.validate()
        case let .clockDrift(ppm):
            try finite("drift ppm", ppm)
            try check(abs(ppm) <= 100_000, "drift ppm", ppm, "must be within ±100000 ppm")
        case let .frequencyOffset(hz):
            try finite("frequency offset Hz", hz)
            try check(abs(hz) < nyquist, "frequency offset Hz", hz, "must be below fs/2 in magnitude")
        case let .gain(db):
            try finite("gain dB", db)
            try check(abs(db) <= 200, "gain dB", db, "must be within ±200 dB")
        case let .dcOffset(dc):
            try finite("dc offset", dc)
            try check(abs(dc) <= 1, "dc offset", dc, "must be within ±1 (full scale)")
        case let .padding(ms):
            try finite("padding ms", ms)
            try check(ms >= 0, "padding ms", ms, "must not be negative")
            try check(ms <= 3_600_000, "padding ms", ms, "must be at most one hour")
        case let .hum(f, db):
            try finite("hum Hz", f)
            try finite("hum level dB", db)
            try check(abs(db) <= 200, "hum level dB", db, "must be within ±200 dB")
            try check(f > 0 && 5 * f < nyquist, "hum Hz", f, "must be positive, 5th harmonic below fs/2")
        case let .telephoneBand(lo, hi):
            try finite("band low Hz", lo)
            try finite("band high Hz", hi)
            try check(lo > 0, "band low Hz", lo, "must be positive")
            try check(hi > lo, "band high Hz", hi, "must be above the low edge")
            try check(hi < nyquist, "band high Hz", hi, "must be below fs/2")
        case .muLaw:
            break
        case let .echo(taps):
            try check(!taps.isEmpty, "echo taps", 0, "need at least one tap")
            for tap in taps {
                try finite("echo delay ms", tap.delayMilliseconds)
                try finite("echo gain dB", tap.gainDB)
                try check(
                    tap.delayMilliseconds > 0, "echo delay ms", tap.delayMilliseconds,
                    "must be positive")
                try check(
                    tap.delayMilliseconds <= 10_000, "echo delay ms", tap.delayMilliseconds,
                    "must be at most 10 s")
                try check(abs(tap.gainDB) <= 200, "echo gain dB", tap.gainDB, "must be within ±200 dB")
            }
        case let .wow(percent, hz), let .flutter(percent, hz):
            try finite("\(name) %", percent)
            try finite("\(name) Hz", hz)
            try check(percent > 0 && percent <= 10, "\(name) %", percent, "must be above 0 and at most 10 %")
            try check(hz > 0 && hz <= 1000, "\(name) Hz", hz, "must be above 0 and at most 1000 Hz")
        case let .reverb(seconds, db):
            try finite("reverb RT60 s", seconds)
            try finite("reverb direct-to-reverberant dB", db)
            try check(seconds > 0 && seconds <= 10, "reverb RT60 s", seconds, "must be above 0 and at most 10 s")
            try check(abs(db) <= 200, "reverb direct-to-reverberant dB", db, "must be within ±200 dB")
        case let .burstNoise(count, ms, db):
            try check(count >= 0, "burst count", Double(count), "must not be negative")
            try finite("burst ms", ms)
            try finite("burst level dB", db)
            try check(abs(db) <= 200, "burst level dB", db, "must be within ±200 dB")
            try check(ms >= 0, "burst ms", ms, "must not be negative")
            try check(ms <= 3_600_000, "burst ms", ms, "must be at most one hour")
            try check(count <= 1_000_000, "burst count", Double(count), "must be at most 1000000")
        case let .dropout(count, ms):
            try check(count >= 0, "dropout count", Double(count), "must not be negative")
            try finite("dropout ms", ms)
            try check(ms >= 0, "dropout ms", ms, "must not be negative")
            try check(ms <= 3_600_000, "dropout ms", ms, "must be at most one hour")
            try check(count <= 1_000_000, "dropout count", Double(count), "must be at most 1000000")
        }
    }
}

/// One path of a multipath echo: the signal again, `delayMilliseconds` later, `gainDB` louder.
public struct EchoTap: Sendable, Hashable, Codable {
    /// How much later the echo arrives than the direct signal, in milliseconds.
    public var delayMilliseconds: Double
    /// The echo's level relative to the direct signal, in dB (negative: quieter).
    public var gainDB: Double
    /// A tap from its delay in milliseconds and gain in dB.
    public init(delayMilliseconds: Double, gainDB: Double) {
        self.delayMilliseconds = delayMilliseconds
        self.gainDB = gainDB
    }
}

/// The level of additive white Gaussian noise.
public enum NoiseLevel: Sendable, Hashable, Codable {
    /// Eb/N0 in dB, as `channel.py` defines it: Eb = Ps / R, N0 = Eb / 10^(dB/10),
    /// σ² = N0 · fs / 2. `bitRate` nil means "not known yet": applying it then throws
    /// ``ChannelError/bitRateMissing``.
    case ebN0(dB: Double, bitRate: BitRate?)
    /// Signal-to-noise ratio Ps/σ² in dB per sample (`bandwidth` nil, noise over 0…fs/2), or
    /// within `bandwidth` Hz: Ps / (σ² · bandwidth / (fs/2)).
    case snr(dB: Double, bandwidth: Double?)

    func validate() throws {
        switch self {
        case let .ebN0(db, rate):
            guard db.isFinite, abs(db) <= 300 else {
                throw ChannelError.invalidParameter(name: "Eb/N0 dB", value: db, reason: "must be within ±300 dB")
            }
            try rate?.validate()
        case let .snr(db, bw):
            guard db.isFinite, abs(db) <= 300 else {
                throw ChannelError.invalidParameter(name: "SNR dB", value: db, reason: "must be within ±300 dB")
            }
            if let bw, !(bw > 0 && bw.isFinite) {
                throw ChannelError.invalidParameter(
                    name: "SNR bandwidth Hz", value: bw,
                    reason: "must be positive")
            }
        }
    }
}

/// What Eb refers to: a modulation bit rate, or a payload bit count over the active time.
public enum BitRate: Sendable, Hashable, Codable {
    /// R bits per second: Eb = Ps / R.
    case bitsPerSecond(Double)
    /// K payload bits: R = K / T_active, so Eb = total active signal energy / K.
    case payloadBits(Double)

    func validate() throws {
        switch self {
        case let .bitsPerSecond(r):
            guard r > 0, r.isFinite else {
                throw ChannelError.invalidParameter(name: "bit rate", value: r, reason: "must be positive")
            }
        case let .payloadBits(k):
            guard k > 0, k.isFinite else {
                throw ChannelError.invalidParameter(name: "payload bits", value: k, reason: "must be positive")
            }
        }
    }
}
