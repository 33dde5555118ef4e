/// How data bits become channel chips.
///
/// | code | chips per bit | rule |
/// |---|---|---|
/// | `nrzL` | 1 | chip = bit |
/// | `nrzi` | 1 | NRZ-M: a 1 toggles the level, a 0 keeps it |
/// | `manchester` | 2 | IEEE 802.3 convention: 0 = high→low (chips 1,0), 1 = low→high (0,1). G. E. Thomas is the inverse. |
/// | `differentialManchester` | 2 | always a transition mid-bit; a 0 also transitions at the start of the bit, a 1 does not |
///
/// Every code starts from level 0. Decoding works on soft chips (positive = 1,
/// magnitude = confidence) and gives soft bits, so later stages can still weigh them.
public enum LineCode: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// NRZ-L: chip = bit (`nrz` on the command line).
    case nrzL = "nrz"
    /// NRZI (NRZ-M): a 1 toggles the level, a 0 keeps it.
    case nrzi
    /// Manchester, IEEE 802.3 convention: 0 is high→low, 1 is low→high; two chips per bit.
    case manchester
    /// Differential Manchester: a transition mid-bit always, and at the start of a 0 bit (`diff-manchester`).
    case differentialManchester = "diff-manchester"

    /// Chips sent for each data bit.
    public var chipsPerBit: Int {
        switch self {
        case .nrzL, .nrzi: return 1
        case .manchester, .differentialManchester: return 2
        }
    }

    /// Whether the code guarantees level transitions by itself (so needs no scrambler for timing).
    public var isSelfClocking: Bool { chipsPerBit == 2 }

    public var description: String {
        switch self {
        case .nrzL: return "NRZ-L"
        case .nrzi: return "NRZI (NRZ-M)"
        case .manchester: return "Manchester (IEEE 802.3)"
        case .differentialManchester: return "differential Manchester"
        }
    }

    /// Parses a command-line name (`nrz`, `nrz-l`, `nrzi`, `manchester`, `diff-manchester`, …).
    public init(name: String) throws(PhysicalLayerError) {
        switch name.lowercased() {
        case "nrz", "nrz-l", "nrzl": self = .nrzL
        case "nrzi", "nrz-i", "nrzm", "nrz-m": self = .nrzi
        case "manchester", "ieee", "manchester-ieee": self = .manchester
        case "diff-manchester", "differential-manchester", "dmanchester", "diffmanchester":
            self = .differentialManchester
        default: throw .unknownLineCode(name)
        }
    }

    /// Encodes bits (0/1) into chips (0/1).
    public func encode(_ bits: [UInt8]) -> [UInt8] {
        var chips = [UInt8]()
        chips.reserveCapacity(bits.count * chipsPerBit)
        var level: UInt8 = 0
        for b in bits {
            switch self {
            case .nrzL:
                chips.append(b & 1)
            case .nrzi:
                level ^= b & 1
                chips.append(level)
            case .manchester:
                if b & 1 == 0 { chips.append(1); chips.append(0) } else { chips.append(0); chips.append(1) }
            case .differentialManchester:
                if b & 1 == 0 { level ^= 1 }
                chips.append(level)
                level ^= 1
                chips.append(level)
            }
        }
        return chips
    }

    /// Decodes soft chips into soft bits (`chips.count / chipsPerBit` of them).
    public func decodeSoft(_ chips: [Float]) -> [Float] {
        let n = chips.count / chipsPerBit
        var bits = [Float](repeating: 0, count: n)
        switch self {
        case .nrzL:
            for i in 0..<n { bits[i] = chips[i] }
        case .nrzi:
            var prev: Float = -1  // starts at level 0, known
            for i in 0..<n {
                // A 1 is a change of level: chips of opposite sign.
                bits[i] = -prev * chips[i]
                prev = chips[i]
            }
        case .manchester:
            for i in 0..<n { bits[i] = (chips[2 * i + 1] - chips[2 * i]) / 2 }
        case .differentialManchester:
            var prevLast: Float = -1  // level 0 before the first bit
            for i in 0..<n {
                let first = (chips[2 * i] - chips[2 * i + 1]) / 2  // estimate of the first chip's level
                // A 1 keeps the level across the bit boundary.
                bits[i] = first * prevLast
                prevLast = -first
            }
        }
        return bits
    }
}
