import Foundation
import L1Physical

/// How AX.25 line bits are put on the air: audio FSK tones, or G3RUH scrambled baseband.
///
///     AX25Modem(baud: 300)    // .afsk(.hf300): 1600/1800 Hz, HF
///     AX25Modem(baud: 1200)   // .afsk(.bell202): 1200/2200 Hz, VHF APRS
///     AX25Modem(baud: 9600)   // .g3ruh(baud: 9600): scrambled NRZI baseband
public enum AX25Modem: Sendable, Hashable, CustomStringConvertible {
    /// AFSK with these tones and bit rate.
    case afsk(FSKSignalling)
    /// NRZ baseband through the G3RUH scrambler (x^17 + x^12 + 1) at this bit rate.
    case g3ruh(baud: Double)

    /// The bit rates with a standard modem: 300, 1200 and 9600.
    public static let standardBauds = [300, 1200, 9600]

    /// The standard modem of a bit rate (as Dire Wolf's `-B`), or nil for another rate.
    public init?(baud: Int) {
        switch baud {
        case 300: self = .afsk(.hf300)
        case 1200: self = .afsk(.bell202)
        case 9600: self = .g3ruh(baud: 9600)
        default: return nil
        }
    }

    /// Bits per second.
    public var baud: Double {
        switch self {
        case .afsk(let s): s.baud
        case .g3ruh(let b): b
        }
    }

    /// The lowest sample rate the transmitter renders at: 5 samples per bit for baseband
    /// (48 kHz at 9600 Bd), twice the upper tone plus the bit rate for AFSK.
    public var minimumTransmitRate: Double {
        switch self {
        case .afsk(let s): 2 * (max(s.mark, s.space) + s.baud)
        case .g3ruh(let b): 5 * b
        }
    }

    /// The lowest sample rate the receiver takes: 4 samples per bit for baseband.
    public var minimumReceiveRate: Double {
        switch self {
        case .afsk(let s): 2 * (max(s.mark, s.space) + s.baud / 2)
        case .g3ruh(let b): 4 * b
        }
    }

    public var description: String {
        switch self {
        case .afsk(let s): "AFSK \(s)"
        case .g3ruh(let b): String(format: "G3RUH %g Bd scrambled baseband", b)
        }
    }
}
