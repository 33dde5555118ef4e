/// A channel described by a spec string, as the CLI takes it: impairments and a seed.
///
/// ```swift
/// let spec = try ChannelSpec.parse("ebn0=12,bitrate=1200,drift=200ppm,phone,seed=7")
/// spec.impairments   // [.clockDrift(ppm: 200), .telephone, .awgn(.ebN0(dB: 12, …))]
/// spec.seed          // 7
/// ```
///
/// Grammar: comma-separated items, each `key` or `key=value`, keys case-insensitive and at
/// most once each, spaces around items ignored. Numbers are decimal (`-6`, `0.5`, `1e3`) and
/// may carry the unit shown (units case-insensitive; the first unit listed is the default):
///
/// | item | impairment |
/// |---|---|
/// | `ebn0=12[db]` | AWGN at Eb/N0 12 dB; needs `bitrate=` or `bits=` (or ``withDefaultBitRate(_:)``) |
/// | `bitrate=1200[bps\|kbps]` | R for Eb/N0, bits/s |
/// | `bits=16000` | payload bits K for Eb/N0: R = K / active seconds |
/// | `snr=10[db][@4khz]` | AWGN at a per-sample SNR, or the SNR within a bandwidth (`hz\|khz`) |
/// | `drift=200[ppm\|%]` | sample-clock drift (`0.5%` = 5000 ppm), within ±100000 ppm |
/// | `freq=5[hz\|khz]` | frequency offset |
/// | `gain=-6[db]` | gain, clipped at full scale |
/// | `dc=0.05` | DC offset, full scale = 1 |
/// | `pad=250[ms\|s]` | silence before and after |
/// | `hum=60[hz][@-20db]` | mains hum and harmonics, level re signal (default −20 dB) |
/// | `phone` or `phone=300-3400[hz]` | telephone band-pass (default 300–3400 Hz) |
/// | `mulaw` | G.711 µ-law at 8 kHz, round trip |
/// | `echo=30[ms][@-6db][/55ms@-12db…]` | echo taps, `/`-separated (default gain −6 dB, within ±200 dB) |
/// | `wow=0.5[%]@0.55[hz]` | tape wow: speed swinging ±0.5 % at 0.55 Hz |
/// | `flutter=0.2[%]@7[hz]` | tape flutter: the same, faster |
/// | `reverb=1[s\|ms][@6db]` | room reverberation: RT60, direct-to-reverberant ratio (default 0 dB) |
/// | `burst=3x20[ms][@0db]` | N bursts of L ms of noise, level re signal (default 0 dB) |
/// | `dropout=5x20[ms]` | N erasures of L ms |
/// | `seed=7` | seed (unsigned 64-bit; default 1) |
///
/// The impairments come back in ``Impairment/defaultOrder(_:)``, whatever the order written.
public struct ChannelSpec: Sendable, Hashable, Codable {
    /// The impairments, in ``Impairment/defaultOrder(_:)``.
    public var impairments: [Impairment]
    /// The seed every random choice derives from; the same spec and seed give the same output.
    public var seed: UInt64

    /// A spec of `impairments` (put into the default order) with a seed.
    public init(impairments: [Impairment], seed: UInt64 = 1) {
        self.impairments = impairments
        self.seed = seed
    }

    /// The keys the grammar knows.
    public static let knownKeys = [
        "ebn0", "bitrate", "bits", "snr", "drift", "freq", "gain", "dc",
        "pad", "hum", "phone", "mulaw", "echo", "wow", "flutter", "reverb", "burst", "dropout", "seed"
    ]

    /// This spec with `bitsPerSecond` as the bit rate of any Eb/N0 step that has none.
    public func withDefaultBitRate(_ bitsPerSecond: Double) -> ChannelSpec {
        var copy = self
        copy.impairments = impairments.map { step in
            if case .awgn(.ebN0(let db, nil)) = step {
                return .awgn(.ebN0(dB: db, bitRate: .bitsPerSecond(bitsPerSecond)))
            }
            return step
        }
        return copy
    }

    /// Parses a spec string (grammar above).
    /// - Throws: ``ChannelError/unknownKey(_:)``, ``ChannelError/duplicateKey(_:)``,
    ///   ``ChannelError/badValue(key:value:reason:)``.
    public static func parse(_ text: String) throws -> ChannelSpec {
        var seen = Set<String>()
        var steps: [Impairment] = []
        var seed: UInt64 = 1
        var rate: BitRate?
        var ebn0: Double?
        for raw in text.split(separator: ",", omittingEmptySubsequences: true) {
            let item = raw.trimmingSpaces
            guard !item.isEmpty else { continue }
            // Never empty: "=" is ["", ""], an unknown key.
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                .map { String($0).trimmingSpaces }
            let key = parts[0].lowercased()
            let value = parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil
            guard knownKeys.contains(key) else { throw ChannelError.unknownKey(key) }
            guard seen.insert(key).inserted else { throw ChannelError.duplicateKey(key) }
            let v = ValueParser(key: key, text: value)
            switch key {
            case "ebn0": ebn0 = try v.quantity(["db": 1])
            case "bitrate": rate = .bitsPerSecond(try v.positive(["bps": 1, "kbps": 1000, "bit/s": 1]))
            case "bits": rate = .payloadBits(try v.positive(["": 1, "bits": 1]))
            case "snr":
                let (db, bw) = try v.pair(["db": 1], ["hz": 1, "khz": 1000], defaultSecond: nil)
                if let bw, !(bw > 0) { throw v.bad("bandwidth must be positive") }
                steps.append(.awgn(.snr(dB: db, bandwidth: bw)))
            case "drift": steps.append(.clockDrift(ppm: try v.quantity(["ppm": 1, "%": 10_000])))
            case "freq": steps.append(.frequencyOffset(hertz: try v.quantity(["hz": 1, "khz": 1000])))
            case "gain": steps.append(.gain(dB: try v.quantity(["db": 1])))
            case "dc": steps.append(.dcOffset(try v.quantity(["": 1])))
            case "pad": steps.append(.padding(milliseconds: try v.nonNegative(["ms": 1, "s": 1000])))
            case "hum":
                let (f, db) = try v.pair(["hz": 1], ["db": 1], defaultSecond: -20)
                guard f > 0 else { throw v.bad("hum frequency must be positive") }
                steps.append(.hum(frequency: f, levelDB: db ?? -20))
            case "phone":
                if value == nil {
                    steps.append(.telephone)
                } else {
                    let (lo, hi) = try v.range(["hz": 1, "khz": 1000])
                    steps.append(.telephoneBand(low: lo, high: hi))
                }
            case "mulaw":
                try v.none()
                steps.append(.muLaw)
            case "echo": steps.append(.echo(try v.echoTaps()))
            case "wow", "flutter":
                let (percent, hz) = try v.pair(["%": 1], ["hz": 1], defaultSecond: nil)
                guard let hz else { throw v.bad("expected percent@rate, e.g. 0.5%@0.55hz") }
                steps.append(key == "wow" ? .wow(percent: percent, hertz: hz) : .flutter(percent: percent, hertz: hz))
            case "reverb":
                let (seconds, db) = try v.pair(["s": 1, "ms": 0.001], ["db": 1], defaultSecond: 0)
                steps.append(.reverb(seconds: seconds, directToReverberantDB: db ?? 0))
            case "burst":
                let (n, ms, db) = try v.bursts(defaultLevel: 0)
                steps.append(.burstNoise(count: n, milliseconds: ms, levelDB: db ?? 0))
            case "dropout":
                let (n, ms, db) = try v.bursts(defaultLevel: nil)
                if db != nil { throw v.bad("a dropout has no level") }
                steps.append(.dropout(count: n, milliseconds: ms))
            case "seed": seed = try v.unsigned()
            default: throw ChannelError.unknownKey(key)
            }
        }
        if let ebn0 { steps.append(.awgn(.ebN0(dB: ebn0, bitRate: rate))) }
        return ChannelSpec(impairments: Impairment.defaultOrder(steps), seed: seed)
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }),
            let last = lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[first...last])
    }
}
