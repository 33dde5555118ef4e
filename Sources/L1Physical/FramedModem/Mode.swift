/// A modulation mode: how many tones, where, and how fast they change.
///
///     let mode = Mode.named("bell202")!     // 1200 Bd, space 2200 Hz / mark 1200 Hz
///     mode.bitRate                          // 1200
///
/// `tones[v]` is the tone sent for the channel symbol whose Gray-decoded value is `v`;
/// for a binary mode `tones[0]` carries chip 0 (space) and `tones[1]` chip 1 (mark).
/// A mode with no tones is `baseband`: the line-coded levels themselves, ±amplitude.
public struct Mode: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Name used on the command line.
    public var name: String
    /// Channel symbols per second with NRZ coding; a line code with two chips
    /// per bit (Manchester) doubles the rate on the air.
    public var baud: Double
    /// Tone frequencies in Hz, `2^k` of them; empty for baseband.
    public var tones: [Double]
    /// Line code used when none is asked for.
    public var defaultLineCode: LineCode
    /// Forward error correction used when none is asked for.
    public var defaultFEC: FECScheme
    /// One line for `soundstack modes`.
    public var summary: String

    /// A mode from its name, symbol rate in baud and tones in Hz (none for baseband); not validated until used.
    public init(
        name: String, baud: Double, tones: [Double], defaultLineCode: LineCode = .nrzL,
        defaultFEC: FECScheme = .none, summary: String = ""
    ) {
        self.name = name
        self.baud = baud
        self.tones = tones
        self.defaultLineCode = defaultLineCode
        self.defaultFEC = defaultFEC
        self.summary = summary
    }

    /// Whether the mode sends levels instead of tones.
    public var isBaseband: Bool { tones.isEmpty }
    /// Number of distinct channel symbols (2 for baseband).
    public var symbolCount: Int { isBaseband ? 2 : tones.count }
    /// Chips (line-coded bits) carried by one channel symbol.
    public var bitsPerSymbol: Int { symbolCount.trailingZeroBitCount }
    /// Data bits per second with a one-chip-per-bit line code.
    public var bitRate: Double { baud * Double(bitsPerSymbol) }
    /// Channel symbols per second on the air with `lineCode`.
    public func symbolRate(lineCode: LineCode) -> Double { baud * Double(lineCode.chipsPerBit) }
    /// Data bits per second with `lineCode`.
    public func bitRate(lineCode: LineCode) -> Double { bitRate }
    /// Spacing between adjacent tones in Hz (0 for baseband).
    public var shift: Double { tones.count > 1 ? abs(tones[1] - tones[0]) : 0 }
    /// Approximate occupied bandwidth in Hz: the tone span plus one symbol rate
    /// (baseband: the first null of NRZ, one symbol rate).
    public func bandwidth(lineCode: LineCode) -> Double {
        let rate = symbolRate(lineCode: lineCode)
        guard let lo = tones.min(), let hi = tones.max() else { return rate }
        return hi - lo + rate
    }
    /// Whether adjacent tones are orthogonal over one symbol (shift a whole multiple of the baud).
    public var isOrthogonal: Bool {
        guard !isBaseband else { return true }
        let sorted = tones.sorted()
        return zip(sorted, sorted.dropFirst()).allSatisfy { pair in
            let ratio = (pair.1 - pair.0) / baud
            return ratio >= 0.999 && abs(ratio - ratio.rounded()) < 1e-6
        }
    }

    /// Checks that the mode can be sent at `sampleRate`.
    public func validate(sampleRate: Double, lineCode: LineCode) throws(PhysicalLayerError) {
        guard baud > 0, baud.isFinite else { throw .invalidMode("baud must be positive, got \(baud)") }
        guard isBaseband || (tones.count >= 2 && tones.count.nonzeroBitCount == 1 && tones.count <= 64) else {
            throw .invalidMode("need 2, 4, 8, 16, 32 or 64 tones, got \(tones.count)")
        }
        guard Set(tones).count == tones.count else { throw .invalidMode("tones must differ: \(tones)") }
        for f in tones where !(f > 0 && f < sampleRate / 2) {
            throw .modeNeedsHigherRate(mode: name, tone: f, sampleRate: sampleRate)
        }
        let sps = sampleRate / symbolRate(lineCode: lineCode)
        guard sps >= 4 else {
            throw .invalidMode(
                "\(name) with \(lineCode) needs at least 4 samples per symbol; \(Int(sampleRate)) Hz gives \((sps * 100).rounded() / 100)"
            )
        }
    }

    public var description: String { name }

    /// A mode from `--baud` and `--tones` (comma-separated Hz, or `baseband`).
    public static func custom(baud: Double, tones: [Double]) -> Mode {
        Mode(
            name: "custom", baud: baud, tones: tones,
            summary: "custom \(tones.count)-FSK at \(baud) Bd")
    }

    /// `bell103`: Bell 103 originate: 300 Bd, space 1070 / mark 1270 Hz (shift 200 Hz, not orthogonal).
    public static let bell103 = Mode(
        name: "bell103", baud: 300, tones: [1070, 1270],
        summary: "Bell 103 originate: 300 Bd, space 1070 / mark 1270 Hz (shift 200 Hz, not orthogonal)")

    /// `bell202`: Bell 202: 1200 Bd, space 2200 / mark 1200 Hz (shift 1000 Hz, not orthogonal).
    public static let bell202 = Mode(
        name: "bell202", baud: 1200, tones: [2200, 1200],
        summary: "Bell 202: 1200 Bd, space 2200 / mark 1200 Hz (shift 1000 Hz, not orthogonal)")

    /// `fsk300`: native BFSK 300 Bd, orthogonal (shift = 1 x baud), fits a phone line.
    public static let fsk300 = Mode(
        name: "fsk300", baud: 300, tones: [1200, 1500],
        summary: "native BFSK 300 Bd, orthogonal (shift = 1 x baud), fits a phone line")

    /// `fsk1200`: native BFSK 1200 Bd, orthogonal (shift = 1 x baud), fits a phone line.
    public static let fsk1200 = Mode(
        name: "fsk1200", baud: 1200, tones: [1200, 2400],
        summary: "native BFSK 1200 Bd, orthogonal (shift = 1 x baud), fits a phone line")

    /// `fsk2400`: native BFSK 2400 Bd, orthogonal.
    public static let fsk2400 = Mode(
        name: "fsk2400", baud: 2400, tones: [2400, 4800],
        summary: "native BFSK 2400 Bd, orthogonal")

    /// `mfsk4`: 4-FSK 1200 Bd = 2400 bit/s, orthogonal, Gray-coded.
    public static let mfsk4 = Mode(
        name: "mfsk4", baud: 1200, tones: [1200, 2400, 3600, 4800],
        summary: "4-FSK 1200 Bd = 2400 bit/s, orthogonal, Gray-coded")

    /// `mfsk8`: 8-FSK 1200 Bd = 3600 bit/s, orthogonal, Gray-coded.
    public static let mfsk8 = Mode(
        name: "mfsk8", baud: 1200, tones: (0..<8).map { 1200 + 1200 * Double($0) },
        summary: "8-FSK 1200 Bd = 3600 bit/s, orthogonal, Gray-coded")

    /// `mfsk16`: 16-FSK 600 Bd = 2400 bit/s, orthogonal, Gray-coded, narrow tones.
    public static let mfsk16 = Mode(
        name: "mfsk16", baud: 600, tones: (0..<16).map { 600 + 600 * Double($0) },
        summary: "16-FSK 600 Bd = 2400 bit/s, orthogonal, Gray-coded, narrow tones")

    /// `mfsk4-6000`: 4-FSK 6000 Bd = 12000 bit/s, orthogonal; needs 48 kHz audio.
    public static let mfsk4_6000 = Mode(
        name: "mfsk4-6000", baud: 6000, tones: [3000, 9000, 15000, 21000],
        summary: "4-FSK 6000 Bd = 12000 bit/s, orthogonal; needs 48 kHz audio")

    /// `baseband`: line-coded levels themselves (a copper wire), 1200 bit/s, Manchester by default.
    public static let baseband = Mode(
        name: "baseband", baud: 1200, tones: [], defaultLineCode: .manchester,
        summary: "line-coded levels themselves (a copper wire), 1200 bit/s, Manchester by default")

    /// `voice`: codec-safe 4-FSK 400 Bd = 800 bit/s, tones under 1.3 kHz, Reed–Solomon by default.
    ///
    /// Made for a phone call: GSM 06.10 codes the excitation on a grid of every third sample, so
    /// it keeps tones below about 1.33 kHz and mangles those above; AMR-NB keeps these too. The
    /// tones are 333 Hz apart, closer than the baud (not orthogonal: a neighbour leaks 17 % of
    /// its energy), which a codec's distortion costs far more than. With `rs`, 64-byte frames
    /// carry about 350 bit/s of payload through both codecs (`scripts/bench-harsh.sh`).
    public static let voice = Mode(
        name: "voice", baud: 400, tones: [300, 633, 967, 1300], defaultFEC: .rs,
        summary: "codec-safe 4-FSK 400 Bd = 800 bit/s, tones under 1.3 kHz that GSM and AMR-NB keep; rs by default")

    /// `voice-slow`: 4-FSK 100 Bd = 200 bit/s, orthogonal tones 400 Hz apart, rate-1/2
    /// convolutional code by default: for the codecs `voice` does not get through.
    ///
    /// Opus's speech coder (SILK) at 6–12 kbit/s follows pitch and formants 20 ms at a time and
    /// loses a tone that changes every few milliseconds; 10 ms symbols, wide spacing and cc1/2
    /// survive it, at about 60 bit/s of payload in 64-byte frames.
    public static let voiceSlow = Mode(
        name: "voice-slow", baud: 100, tones: [400, 800, 1200, 1600], defaultFEC: .cc12,
        summary: "codec-safe 4-FSK 100 Bd = 200 bit/s, for Opus/SILK voice at 6-12 kbit/s; cc1/2 by default")

    /// The named modes, in the order `soundstack modes` lists them.
    public static let all: [Mode] = [
        bell103, bell202, fsk300, fsk1200, fsk2400, mfsk4, mfsk8, mfsk16, mfsk4_6000, baseband, voice, voiceSlow
    ]

    /// Looks a mode up by name (case-insensitive).
    public static func named(_ name: String) -> Mode? {
        let key = name.lowercased()
        return all.first { $0.name == key }
    }
}
