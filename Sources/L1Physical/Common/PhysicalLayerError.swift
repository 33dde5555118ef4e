/// What can go wrong at the physical layer.
public enum PhysicalLayerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The mode's parameters make no sense (the text says which).
    case invalidMode(String)
    /// A tone of the mode lies at or above the Nyquist frequency of the sample rate.
    case modeNeedsHigherRate(mode: String, tone: Double, sampleRate: Double)
    /// A payload longer than one physical frame can carry.
    case payloadTooLong(length: Int, limit: Int)
    /// An unknown mode name.
    case unknownMode(String)
    /// An unknown line-code name.
    case unknownLineCode(String)

    public var description: String {
        switch self {
        case .invalidMode(let why): return "invalid mode: \(why)"
        case let .modeNeedsHigherRate(mode, tone, rate):
            return
                "mode \(mode) has a \(Int(tone)) Hz tone, above the \(Int(rate / 2)) Hz Nyquist limit of \(Int(rate)) Hz audio; use a higher --rate"
        case let .payloadTooLong(length, limit):
            return "payload of \(length) bytes is longer than one physical frame carries (\(limit))"
        case .unknownMode(let name):
            return "unknown mode '\(name)'; `soundstack modes` lists them"
        case .unknownLineCode(let name):
            return "unknown line code '\(name)'; use nrz, nrzi, manchester or diff-manchester"
        }
    }
}
