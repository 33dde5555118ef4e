import L1Physical
import Measurements

/// How a link protects its frames: one scheme throughout, or chosen from what the far side's
/// frames show of the channel.
public enum LinkFEC: Sendable, Hashable, CustomStringConvertible {
    /// Every frame with this scheme.
    case fixed(FECScheme)
    /// Each station picks the scheme of its next transmission from the Eb/N0 it measured on the
    /// other's last one (``LinkFEC/policy(ebn0dB:mode:)``): none on a clean channel, stronger as it
    /// worsens; a transmission that carries a resend, or follows a timeout, goes one step
    /// stronger than the last.
    case adaptive

    public var description: String {
        switch self {
        case .fixed(let s): return s.name
        case .adaptive: return "auto"
        }
    }

    /// The scheme for a channel measured at `ebn0dB` per data bit of `mode`, from the margin
    /// over the Eb/N0 at which the uncoded mode's bit error rate is 10⁻³ (non-coherent theory;
    /// 8.35 dB for 4-FSK). The steps were set on `soundstack link --fec SCHEME --sweep` with
    /// 512-byte segments in mfsk4-6000, where each scheme delivered with no frame lost down to
    /// (rs) 8 dB, (cc3/4) 6 dB, (cc2/3) 5 dB, and (turbo1/2) below; half a dB is kept in hand:
    ///
    /// | margin | scheme | goodput of a 50 kB POST on mfsk4-6000 |
    /// |---|---|---|
    /// | ≥ 3.5 dB | none | 1,104 B/s |
    /// | 0.2 … 3.5 dB | rs | 979 B/s |
    /// | −1.8 … 0.2 dB | cc3/4 | 791 B/s |
    /// | −2.8 … −1.8 dB | cc2/3 | 713 B/s |
    /// | below −2.8 dB | turbo1/2 | 550 B/s |
    public static func policy(ebn0dB: Double, mode: Mode) -> FECScheme {
        let reference = ErrorRateSweep.theoryEbN0(mode: mode, atBER: 1e-3) ?? 10.9
        let margin = ebn0dB - reference
        switch margin {
        case 3.5...: return .none
        case 0.2..<3.5: return .rs
        case -1.8..<0.2: return .cc34
        case -2.8 ..< -1.8: return .cc23
        default: return .turbo12
        }
    }

    /// Whether `a` protects more than `b` (later in `FECScheme.allCases`).
    static func stronger(_ a: FECScheme, than b: FECScheme) -> Bool {
        let all = FECScheme.allCases
        return (all.firstIndex(of: a) ?? 0) > (all.firstIndex(of: b) ?? 0)
    }
}
