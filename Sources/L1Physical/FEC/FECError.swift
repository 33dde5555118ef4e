/// What can go wrong in an error-correcting code.
public enum FECError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A code's parameters make no sense (the text says which).
    case invalidParameters(String)
    /// A block whose length is not the one the code expects.
    case lengthMismatch(expected: Int, actual: Int)
    /// More errors and erasures than the code corrects, detected by the decoder.
    case uncorrectable(erasures: Int, parity: Int)

    public var description: String {
        switch self {
        case .invalidParameters(let why): return "invalid code parameters: \(why)"
        case let .lengthMismatch(expected, actual):
            return "block of \(actual) symbols where the code expects \(expected)"
        case let .uncorrectable(erasures, parity):
            return "uncorrectable block (\(erasures) erasures, \(parity) parity symbols)"
        }
    }
}
