/// Asynchronous serial character format: data bits, parity, stop bits.
public struct UARTFormat: Sendable, Hashable, CustomStringConvertible {
    /// Parity bit after the data bits: none, even or odd.
    public enum Parity: String, Sendable, Hashable {
        /// No parity bit.
        case none = "N"
        /// A parity bit making the number of 1 bits even.
        case even = "E"
        /// A parity bit making the number of 1 bits odd.
        case odd = "O"
    }
    /// Data bits per character, 5…8.
    public var dataBits: Int
    /// The parity bit, if any.
    public var parity: Parity
    /// 1, 1.5 or 2.
    public var stopBits: Double

    /// A format.
    /// - Throws: ``ProtocolError/invalidFormat(_:)`` unless 5…8 data bits and 1, 1.5 or 2 stop bits.
    public init(dataBits: Int = 8, parity: Parity = .none, stopBits: Double = 1) throws(ProtocolError) {
        guard (5...8).contains(dataBits), [1, 1.5, 2].contains(stopBits) else {
            throw .invalidFormat("\(dataBits) data bits, \(stopBits) stop bits")
        }
        self.dataBits = dataBits
        self.parity = parity
        self.stopBits = stopBits
    }

    private init(unchecked d: Int, _ p: Parity, _ s: Double) { dataBits = d; parity = p; stopBits = s }
    /// 8-N-1, minimodem's default.
    public static let n81 = UARTFormat(unchecked: 8, .none, 1)
    /// 8-N-2, Kansas City Standard.
    public static let n82 = UARTFormat(unchecked: 8, .none, 2)
    /// 5-N-1.5, Baudot RTTY.
    public static let baudot = UARTFormat(unchecked: 5, .none, 1.5)

    public var description: String {
        "\(dataBits)-\(parity.rawValue)-\(stopBits == 1.5 ? "1.5" : String(Int(stopBits)))"
    }

    /// Line levels (`true` = mark) of one character: start, data LSB first, parity, stop.
    /// Half stop bits are left to the caller, which rounds them up.
    public func bits(of value: UInt8) -> [Bool] {
        var out = [false]
        var ones = 0
        for i in 0..<dataBits {
            let b = (value >> UInt8(i)) & 1 == 1
            if b { ones += 1 }
            out.append(b)
        }
        switch parity {
        case .none: break
        case .even: out.append(ones % 2 == 1)
        case .odd: out.append(ones % 2 == 0)
        }
        return out
    }
}

/// One received character.
public struct UARTCharacter: Sendable, Hashable {
    /// The character's data bits, least significant first on the wire.
    public var value: UInt8
    /// Sample index of the start bit's leading edge.
    public var sample: Int
    /// Mean |soft value| over the character's bits (0–1).
    public var confidence: Float
    /// False when the parity bit disagrees.
    public var parityOK: Bool
}

/// Asynchronous serial receiver working on per-sample soft values (positive = mark).
///
/// Idle is mark. A mark-to-space crossing (located between samples) starts a character;
/// every bit is read at its centre relative to that edge; the start bit must be space and the
/// first stop bit mark, otherwise the character is a framing error and is dropped (counted in
/// ``framingErrors``). Characters whose mean confidence is below `minConfidence` are noise.
public struct UARTDecoder: Sendable {
    /// The character format expected.
    public let format: UARTFormat
    /// Input samples per bit period.
    public let samplesPerBit: Double
    /// Mean confidence below which a character is dropped as noise (0–1).
    public var minConfidence: Float
    /// Characters dropped because a stop bit was not where it should be.
    public private(set) var framingErrors = 0

    private var previous: Float = 0
    private var inChar = false
    private var edge = 0.0  // absolute time (samples) of the start edge
    private var bitIndex = 0
    private var value: UInt32 = 0
    private var confidenceSum: Float = 0
    private var waitMark = false
    private var position = 0
    private var idle = 0  // consecutive mark samples while waiting for a start bit
    private var synced = false  // the last character was good: a short idle suffices

    /// A decoder; 8-N-1 and a minimum confidence of 0.25 unless given.
    public init(format: UARTFormat = .n81, samplesPerBit: Double, minConfidence: Float = 0.25) {
        self.format = format
        self.samplesPerBit = samplesPerBit
        self.minConfidence = minConfidence
    }

    /// Consumes the soft values of consecutive samples; calls `emit` for each good character.
    public mutating func process(_ soft: UnsafeBufferPointer<Float>, _ emit: (UARTCharacter) -> Void) {
        let spb = samplesPerBit
        let nBits = 1 + format.dataBits + (format.parity == .none ? 0 : 1) + 1  // through first stop
        for i in 0..<soft.count {
            let d = soft[i]
            let t = Double(position + i)
            if !inChar {
                if waitMark {
                    if d > 0 { waitMark = false; idle = 1 }
                } else if d > 0 {
                    idle += 1
                } else if previous > 0 && Double(idle) >= (synced ? 0.25 : 1.5) * spb {
                    let frac = Double(previous / (previous - d))
                    edge = t - 1 + (frac.isFinite ? frac : 0.5)
                    inChar = true
                    bitIndex = 0
                    value = 0
                    confidenceSum = 0
                }
                if d <= 0 { idle = 0 }
                previous = d
                continue
            }
            previous = d
            let centre = edge + spb * (Double(bitIndex) + 0.5)
            guard t >= centre else { continue }
            let mark = d > 0
            confidenceSum += abs(d)
            if bitIndex == 0 {
                if mark { inChar = false; idle = 0; continue }  // false start
            } else if bitIndex <= format.dataBits {
                if mark { value |= 1 << UInt32(bitIndex - 1) }
            } else if bitIndex < nBits - 1 {
                // parity bit: stored above the data bits
                if mark { value |= 1 << UInt32(format.dataBits) }
            } else {
                inChar = false
                idle = 1
                let conf = confidenceSum / Float(nBits)
                guard mark else {
                    if conf >= minConfidence { framingErrors += 1 }
                    waitMark = true
                    continue
                }
                guard conf >= minConfidence else { synced = false; continue }
                synced = true
                let data = UInt8(truncatingIfNeeded: value & ((1 << UInt32(format.dataBits)) - 1))
                var parityOK = true
                if format.parity != .none {
                    let ones = (value & ((1 << UInt32(format.dataBits + 1)) - 1)).nonzeroBitCount
                    parityOK = format.parity == .even ? ones % 2 == 0 : ones % 2 == 1
                }
                emit(UARTCharacter(value: data, sample: Int(edge), confidence: conf, parityOK: parityOK))
                continue
            }
            bitIndex += 1
        }
        position += soft.count
    }
}
