/// What can go wrong when configuring or running the channel simulator.
public enum ChannelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Eb/N0 or a level relative to the signal was requested, but the input is all silence.
    case noSignal
    /// Eb/N0 was requested without a bit rate or payload bit count to refer it to.
    case bitRateMissing
    /// A parameter is out of its meaningful range (`name` = `value`: `reason`).
    case invalidParameter(name: String, value: Double, reason: String)
    /// The sample rate is not positive.
    case invalidSampleRate(Int)
    /// A spec string names a key the grammar does not know.
    case unknownKey(String)
    /// A spec string gives a key a value that does not parse (`key`=`value`: `reason`).
    case badValue(key: String, value: String, reason: String)
    /// A spec string names the same key twice.
    case duplicateKey(String)

    public var description: String {
        switch self {
        case .noSignal:
            return "no signal found: the input is silent, so no level can be set relative to it"
        case .bitRateMissing:
            return "Eb/N0 needs a bit rate (bitrate=R) or a payload bit count (bits=K)"
        case let .invalidParameter(name, value, reason):
            return "invalid \(name) = \(value): \(reason)"
        case let .invalidSampleRate(rate):
            return "invalid sample rate \(rate): must be positive"
        case let .unknownKey(key):
            return "unknown channel key '\(key)' (known: \(ChannelSpec.knownKeys.joined(separator: ", ")))"
        case let .badValue(key, value, reason):
            return "bad value '\(value)' for '\(key)': \(reason)"
        case let .duplicateKey(key):
            return "channel key '\(key)' given twice"
        }
    }
}
