import Framings

/// The KISS parameters of one radio port, as the host's parameter commands set them.
///
/// Times are in the units KISS uses on the wire (10 ms); the defaults are Dire Wolf's.
///
///     var p = KISSPortParameters()
///     p.apply(KISSFrame(command: .txDelay, payload: [50]))   // 500 ms of flags before each frame
///     p.txDelaySeconds                                       // 0.5
public struct KISSPortParameters: Sendable, Hashable {
    /// Keying-up delay, sent as flags before the frame, in 10 ms units.
    public var txDelay: UInt8 = 30
    /// P-persistence: the chance, out of 256, of sending in a free slot (p = (value + 1) / 256).
    public var persistence: UInt8 = 63
    /// The slot interval of the channel access, in 10 ms units.
    public var slotTime: UInt8 = 10
    /// Flags held after the frame, in 10 ms units.
    public var txTail: UInt8 = 10
    /// Send at once, without listening for a free channel.
    public var fullDuplex = false

    /// Dire Wolf's defaults: TXDELAY 30, P-persistence 63, SLOTTIME 10, TXTAIL 10, half duplex.
    public init() {}

    /// ``txDelay`` in seconds.
    public var txDelaySeconds: Double { Double(txDelay) / 100 }
    /// ``slotTime`` in seconds.
    public var slotTimeSeconds: Double { Double(slotTime) / 100 }
    /// ``txTail`` in seconds.
    public var txTailSeconds: Double { Double(txTail) / 100 }

    /// What a parameter command did.
    public enum Change: Sendable, Hashable {
        /// The parameter was set to the frame's value.
        case set
        /// Not a parameter this type stores (data, SETHARDWARE, exit KISS, an unknown command).
        case notAParameter
        /// A parameter command without its value byte: nothing changed.
        case missingValue
    }

    /// Stores the value of a TXDELAY, P-persistence, SLOTTIME, TXTAIL or FULLDUPLEX command.
    /// - Returns: Whether the frame set a parameter, and if not, why.
    @discardableResult
    public mutating func apply(_ frame: KISSFrame) -> Change {
        switch frame.command {
        case .txDelay, .persistence, .slotTime, .txTail, .fullDuplex: break
        default: return .notAParameter
        }
        guard let value = frame.parameter else { return .missingValue }
        switch frame.command {
        case .txDelay: txDelay = value
        case .persistence: persistence = value
        case .slotTime: slotTime = value
        case .txTail: txTail = value
        default: fullDuplex = value != 0
        }
        return .set
    }
}
