/// The K = 7, rate 1/2 convolutional code with generators 171 and 133 (octal), the CCSDS/NASA
/// standard, with the punctured rates 2/3 and 3/4 of DVB-S (ETSI EN 300 421).
///
/// ```
///  input bit ──►[b0][b1][b2][b3][b4][b5][b6]   b0 = newest, b6 = oldest
///                │   │   │   │   │   │   │
///      G1 = 171: 1   1   1   1   0   0   1  ──► XOR ──► X
///      G2 = 133: 1   0   1   1   0   1   1  ──► XOR ──► Y
/// ```
///
/// **Bit order.** The generator's most significant octal digit taps the newest input bit, as in
/// CCSDS 131.0-B and MATLAB's `poly2trellis(7, [171 133])`; neither output is inverted. Each input
/// bit gives the pair X (from 171) then Y (from 133), so the impulse response is
/// `11 10 11 11 00 01 11`. A block is terminated with 6 zero tail bits, so it starts and ends in
/// state 0. Bits are `UInt8` values 0 or 1.
///
/// **Puncturing** (`1` = sent), period of the pattern in input bits, sent in this order:
/// - rate 2/3: X `10`, Y `11` → X1 Y1 Y2
/// - rate 3/4: X `101`, Y `110` → X1 Y1 Y2 X3
///
/// The tail is punctured like the data; the last period may be partial.
///
/// ```swift
/// let code = ConvolutionalCode(rate: .threeQuarters)
/// let sent = code.encode([1, 0, 1, 1])           // 4 data + 6 tail bits → 14 coded bits
/// ```
public struct ConvolutionalCode: Sendable, Hashable {
    /// A code rate: the mother code or one of its punctured forms.
    public enum Rate: String, Sendable, Hashable, CaseIterable {
        /// The mother code, two coded bits per data bit.
        case half = "1/2"
        /// Punctured to three coded bits per two data bits.
        case twoThirds = "2/3"
        /// Punctured to four coded bits per three data bits.
        case threeQuarters = "3/4"

        /// The puncturing pattern as (X, Y) keep flags per data bit of one period.
        var pattern: [(x: Bool, y: Bool)] {
            switch self {
            case .half: return [(true, true)]
            case .twoThirds: return [(true, true), (false, true)]
            case .threeQuarters: return [(true, true), (false, true), (true, false)]
            }
        }
    }

    /// Constraint length: the input bit and the six before it.
    public static let constraintLength = 7
    /// Number of trellis states, 2^(K−1).
    public static let stateCount = 64
    /// Zero bits appended to every block to return the encoder to state 0.
    public static let tailBits = 6
    /// First generator, 171 octal; bit 6 taps the newest input bit.
    public static let generatorX: UInt8 = 0o171
    /// Second generator, 133 octal.
    public static let generatorY: UInt8 = 0o133

    /// The rate: 1/2, or punctured 2/3 or 3/4.
    public var rate: Rate

    /// A code of the given rate.
    public init(rate: Rate = .half) { self.rate = rate }

    /// The two output bits (X in bit 1, Y in bit 0) for a 7-bit register with the newest bit in bit 6.
    @inline(__always)
    static func outputs(register: Int) -> Int {
        let x = (register & Int(generatorX)).nonzeroBitCount & 1
        let y = (register & Int(generatorY)).nonzeroBitCount & 1
        return x << 1 | y
    }

    /// Coded bits sent for `dataBits` data bits, tail included.
    public func encodedLength(dataBits: Int) -> Int {
        let steps = dataBits + Self.tailBits
        let pattern = rate.pattern
        var kept = 0
        for (i, p) in pattern.enumerated() {
            let uses = steps / pattern.count + (i < steps % pattern.count ? 1 : 0)
            kept += uses * ((p.x ? 1 : 0) + (p.y ? 1 : 0))
        }
        return kept
    }

    /// Encodes data bits (0 or 1), appends the tail and punctures.
    ///
    /// - Parameter bits: the data bits; any nonzero value counts as 1.
    /// - Returns: ``encodedLength(dataBits:)`` coded bits.
    /// - Complexity: O(*n*).
    public func encode(_ bits: [UInt8]) -> [UInt8] {
        let pattern = rate.pattern
        var out: [UInt8] = []
        out.reserveCapacity(encodedLength(dataBits: bits.count))
        var register = 0  // bits 5…0: the previous six inputs, newest in bit 5
        let steps = bits.count + Self.tailBits
        for t in 0..<steps {
            let bit = t < bits.count && bits[t] != 0 ? 1 : 0
            let full = bit << 6 | register
            let o = Self.outputs(register: full)
            let p = pattern[t % pattern.count]
            if p.x { out.append(UInt8(o >> 1)) }
            if p.y { out.append(UInt8(o & 1)) }
            register = full >> 1
        }
        return out
    }

    /// Re-inserts the punctured positions as erasures (LLR 0): soft values of the sent bits in,
    /// soft values of the mother code (X, Y per step) out.
    ///
    /// - Throws: ``FECError/lengthMismatch(expected:actual:)`` when `llrs` is not
    ///   ``encodedLength(dataBits:)`` long.
    public func depuncture(_ llrs: [Float], dataBits: Int) throws(FECError) -> [Float] {
        let expected = encodedLength(dataBits: dataBits)
        guard llrs.count == expected else { throw .lengthMismatch(expected: expected, actual: llrs.count) }
        if rate == .half { return llrs }
        let pattern = rate.pattern
        let steps = dataBits + Self.tailBits
        var out = [Float](repeating: 0, count: 2 * steps)
        var k = 0
        for t in 0..<steps {
            let p = pattern[t % pattern.count]
            if p.x { out[2 * t] = llrs[k]; k += 1 }
            if p.y { out[2 * t + 1] = llrs[k]; k += 1 }
        }
        return out
    }
}
