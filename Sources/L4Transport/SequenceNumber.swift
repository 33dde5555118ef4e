/// A TCP sequence number: 32 bits that wrap, compared modulo 2^32 (RFC 9293 §3.4).
///
///     let isn: SequenceNumber = 0xFFFF_FFF0
///     isn + 32                     // 0x0000_0010
///     (isn + 32) - isn             // 32
///     isn < isn + 32               // true, across the wrap
///
/// Deliberately not `Comparable`: "before" is only meaningful within half the number space, so the
/// relation is not transitive over all values.
public struct SequenceNumber: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ value: UInt32) { rawValue = value }
    public init(integerLiteral value: UInt32) { rawValue = value }

    public static func + (a: SequenceNumber, n: Int) -> SequenceNumber {
        SequenceNumber(a.rawValue &+ UInt32(truncatingIfNeeded: n))
    }

    public static func += (a: inout SequenceNumber, n: Int) { a = a + n }

    /// The signed distance from `b` to `a`, assuming they are within 2^31 of each other.
    public static func - (a: SequenceNumber, b: SequenceNumber) -> Int {
        Int(Int32(bitPattern: a.rawValue &- b.rawValue))
    }

    public static func < (a: SequenceNumber, b: SequenceNumber) -> Bool { a - b < 0 }
    public static func <= (a: SequenceNumber, b: SequenceNumber) -> Bool { a - b <= 0 }
    public static func > (a: SequenceNumber, b: SequenceNumber) -> Bool { a - b > 0 }
    public static func >= (a: SequenceNumber, b: SequenceNumber) -> Bool { a - b >= 0 }

    public var description: String { String(rawValue) }
}

/// The TCP control bits: an open set.
public struct TCPFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let fin = TCPFlags(rawValue: 0x01)
    public static let syn = TCPFlags(rawValue: 0x02)
    public static let rst = TCPFlags(rawValue: 0x04)
    public static let psh = TCPFlags(rawValue: 0x08)
    public static let ack = TCPFlags(rawValue: 0x10)
    public static let urg = TCPFlags(rawValue: 0x20)
    public static let ece = TCPFlags(rawValue: 0x40)
    public static let cwr = TCPFlags(rawValue: 0x80)

    private static let names: [(TCPFlags, String)] = [
        (.cwr, "CWR"), (.ece, "ECE"), (.urg, "URG"), (.ack, "ACK"),
        (.psh, "PSH"), (.rst, "RST"), (.syn, "SYN"), (.fin, "FIN"),
    ]

    /// Names as tcpdump would list them, e.g. `SYN|ACK`.
    public var description: String {
        let set = Self.names.reversed().filter { contains($0.0) }.map(\.1)
        return set.isEmpty ? "none" : set.joined(separator: "|")
    }
}

/// One SACK block (RFC 2018): bytes `left ..< right` arrived.
public struct SACKBlock: Hashable, Sendable {
    public var left: SequenceNumber
    public var right: SequenceNumber
    public init(left: SequenceNumber, right: SequenceNumber) { self.left = left; self.right = right }
}
