/// A session's identity: 64 random bits, printed as 16 hex digits.
///
///     var rng = SystemRandomNumberGenerator()
///     let id = SessionID.random(using: &rng)
///     print(id)                       // e.g. 5f0c9a12d4e6b873
///     SessionID(0x1122).description   // "0000000000001122"
public struct SessionID: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The 64-bit identifier, carried big-endian in every SPDU.
    public var rawValue: UInt64
    /// An identifier from its 64-bit value.
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// An identifier from its 64-bit value.
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
    /// OPEN (1): starts a session and announces its shape.
    case open = 1
    /// DATA (2): one slice of the message.
    case data = 2
    /// CHECKPOINT (3): the CRC-32 of every unit up to it, so the receiver can confirm a prefix.
    case checkpoint = 3
    /// CLOSE (4): the end, with the CRC-32 of the whole message.
    case close = 4
    /// RESUME (5): receiver to sender, "send again after this checkpoint".
    case resume = 5
    /// ACK (6): receiver to sender, "I have the whole message".
    case ack = 6

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
    /// The flags byte.
    public var rawValue: UInt8
    /// Flags from the flags byte; unknown bits are kept.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Sent again after the receiver asked to resume.
    public static let resent = SPDUFlags(rawValue: 0x01)
}
