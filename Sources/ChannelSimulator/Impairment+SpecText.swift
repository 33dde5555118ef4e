/// Spec-string text of impairments and specs: what ``ChannelSpec/parse(_:)`` reads back.
extension Impairment {
    /// This impairment as a spec-string item, e.g. `drift=200ppm` or `echo=30ms@-6db`.
    public var specText: String {
        // Six decimals when they hold the value, else every digit it needs: the text must
        // parse back to this very number.
        func n(_ x: Double) -> String {
            let short = formatted(x, digits: 6)
            return Double(short) == x ? short : "\(x)"
        }
        switch self {
        case let .awgn(.ebN0(db, rate)):
            var s = "ebn0=\(n(db))db"
            switch rate {
            case let .bitsPerSecond(r)?: s += ",bitrate=\(n(r))bps"
            case let .payloadBits(k)?: s += ",bits=\(n(k))"
            case nil: break
            }
            return s
        case let .awgn(.snr(db, bw)):
            return "snr=\(n(db))db" + (bw.map { "@\(n($0))hz" } ?? "")
        case let .clockDrift(ppm): return "drift=\(n(ppm))ppm"
        case let .frequencyOffset(hz): return "freq=\(n(hz))hz"
        case let .gain(db): return "gain=\(n(db))db"
        case let .dcOffset(dc): return "dc=\(n(dc))"
        case let .padding(ms): return "pad=\(n(ms))ms"
        case let .hum(f, db): return "hum=\(n(f))hz@\(n(db))db"
        case let .telephoneBand(lo, hi): return "phone=\(n(lo))-\(n(hi))hz"
        case .muLaw: return "mulaw"
        case let .echo(taps):
            return "echo="
                + taps.map { "\(n($0.delayMilliseconds))ms@\(n($0.gainDB))db" }
                .joined(separator: "/")
        case let .wow(percent, hz): return "wow=\(n(percent))%@\(n(hz))hz"
        case let .flutter(percent, hz): return "flutter=\(n(percent))%@\(n(hz))hz"
        case let .reverb(seconds, db): return "reverb=\(n(seconds))s@\(n(db))db"
        case let .burstNoise(count, ms, db): return "burst=\(count)x\(n(ms))ms@\(n(db))db"
        case let .dropout(count, ms): return "dropout=\(count)x\(n(ms))ms"
        }
    }
}

extension ChannelSpec: CustomStringConvertible {
    /// The spec string: items in order, then `seed=`. Parsing it gives this spec back
    /// (for specs the grammar can express: at most one step of each kind).
    public var description: String {
        (impairments.map(\.specText) + ["seed=\(seed)"]).joined(separator: ",")
    }
}
