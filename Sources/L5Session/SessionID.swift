/// A session's identity: 64 random bits, printed as 16 hex digits.
///
///     var rng = SystemRandomNumberGenerator()
///     let id = SessionID.random(using: &rng)
///     print(id)                       // e.g. 5f0c9a12d4e6b873
///     SessionID(0x1122).description   // "0000000000001122"
public struct SessionID: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public init(_ value: UInt64) { rawValue = value }

    /// A fresh identifier drawn from `rng`.
    public static func random<R: RandomNumberGenerator>(using rng: inout R) -> SessionID {
        SessionID(rng.next())
    }

    public var description: String {
        let hex = String(rawValue, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    public static func < (a: SessionID, b: SessionID) -> Bool { a.rawValue < b.rawValue }
}

/// What a session PDU is for. The sender emits OPEN, DATA, CHECKPOINT and CLOSE; the receiver
/// answers with RESUME (resend after this checkpoint) or ACK (delivered).
///
/// A closed enum rather than an open set: a type this code does not know cannot be acted on,
/// so parsing refuses it (`SessionError.unknownType`).
public enum SPDUType: UInt8, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case open = 1, data = 2, checkpoint = 3, close = 4, resume = 5, ack = 6

    public var description: String {
        switch self {
        case .open: "OPEN"
        case .data: "DATA"
        case .checkpoint: "CHECKPOINT"
        case .close: "CLOSE"
        case .resume: "RESUME"
        case .ack: "ACK"
        }
    }
}

/// SPDU flag bits.
public struct SPDUFlags: OptionSet, Hashable, Sendable, Codable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Sent again after the receiver asked to resume.
    public static let resent = SPDUFlags(rawValue: 0x01)
}
