/// A TCP sequence number: 32 bits that wrap, compared modulo 2^32 (RFC 9293 §3.4).
///
///     let isn: SequenceNumber = 0xFFFF_FFF0
///     isn + 32                     // 0x0000_0010
///     (isn + 32) - isn             // 32
///     isn < isn + 32               // true, across the wrap
///
/// Deliberately not `Comparable`: "before" is only meaningful within half the number space, so the
/// relation is not transitive over all values.
public struct SequenceNumber: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible
{
    /// The 32-bit sequence number as sent on the wire.
    public var rawValue: UInt32
    /// Wraps a raw 32-bit sequence number.
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// Wraps a raw 32-bit sequence number.
    public init(_ value: UInt32) { rawValue = value }
    /// A sequence number written as an integer literal, e.g. `let isn: SequenceNumber = 1000`.
    public init(integerLiteral value: UInt32) { rawValue = value }

    /// The sequence number `n` bytes later (or earlier, for negative `n`), wrapping modulo 2^32.
    public static func + (a: SequenceNumber, n: Int) -> SequenceNumber {
        SequenceNumber(a.rawValue &+ UInt32(truncatingIfNeeded: n))
    }

    /// Advances `a` by `n` bytes, wrapping modulo 2^32.
    public static func += (a: inout SequenceNumber, n: Int) { a = a + n }

    /// The signed distance from `b` to `a`, assuming they are within 2^31 of each other.
    public static func - (a: SequenceNumber, b: SequenceNumber) -> Int {
        Int(Int32(bitPattern: a.rawValue &- b.rawValue))
    }

    /// Whether `a` comes before `b`, modulo 2^32 (valid within 2^31 of each other).
    public static func < (a: SequenceNumber, b: SequenceNumber) -> Bool { a - b < 0 }
    /// Whether `a` comes before or equals `b`, modulo 2^32.
    public static func <= (a: SequenceNumber, b: SequenceNumber) -> Bool { a - b <= 0 }
    /// Whether `a` comes after `b`, modulo 2^32.
    public static func > (a: SequenceNumber, b: SequenceNumber) -> Bool { a - b > 0 }
    /// Whether `a` comes after or equals `b`, modulo 2^32.
    public static func >= (a: SequenceNumber, b: SequenceNumber) -> Bool { a - b >= 0 }

    public var description: String { String(rawValue) }
}

/// The TCP control bits: an open set.
public struct TCPFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    /// The flags byte (byte 13 of the header): FIN is bit 0, CWR bit 7.
    public var rawValue: UInt8
    /// Flags from the header's flags byte; unknown bits are kept.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// FIN: the sender has no more data; consumes one sequence number.
    public static let fin = TCPFlags(rawValue: 0x01)
    /// SYN: synchronise sequence numbers (opens a connection); consumes one sequence number.
    public static let syn = TCPFlags(rawValue: 0x02)
    /// RST: reset the connection.
    public static let rst = TCPFlags(rawValue: 0x04)
    /// PSH: push the data to the application without waiting.
    public static let psh = TCPFlags(rawValue: 0x08)
    /// ACK: the acknowledgment number is valid.
    public static let ack = TCPFlags(rawValue: 0x10)
    /// URG: the urgent pointer is valid (never set by SoundStack).
    public static let urg = TCPFlags(rawValue: 0x20)
    /// ECE: ECN echo (RFC 3168).
    public static let ece = TCPFlags(rawValue: 0x40)
    /// CWR: congestion window reduced (RFC 3168).
    public static let cwr = TCPFlags(rawValue: 0x80)

    private static let names: [(TCPFlags, String)] = [
        (.cwr, "CWR"), (.ece, "ECE"), (.urg, "URG"), (.ack, "ACK"),
        (.psh, "PSH"), (.rst, "RST"), (.syn, "SYN"), (.fin, "FIN")
    ]

    /// Names as tcpdump would list them, e.g. `SYN|ACK`.
    public var description: String {
        let set = Self.names.reversed().filter { contains($0.0) }.map(\.1)
        return set.isEmpty ? "none" : set.joined(separator: "|")
    }
}

/// One SACK block (RFC 2018): bytes `left ..< right` arrived.
public struct SACKBlock: Hashable, Sendable {
    /// First sequence number of the block that arrived.
    public var left: SequenceNumber
    /// One past the last sequence number of the block that arrived.
    public var right: SequenceNumber
    /// A block covering sequence numbers `left ..< right`.
    public init(left: SequenceNumber, right: SequenceNumber) { self.left = left; self.right = right }
}
