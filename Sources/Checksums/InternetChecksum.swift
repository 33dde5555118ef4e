/// The Internet checksum (RFC 1071): the 16-bit one's-complement of the
/// one's-complement sum of 16-bit big-endian words, as IPv4, ICMP, UDP and TCP use it.
///
///     var sum = InternetChecksum()
///     sum.add(headerBytes)          // checksum field zeroed
///     let field = sum.value         // store big-endian
///
/// A received header is valid when summing it *with* its checksum gives 0.
public struct InternetChecksum: Sendable {
    @usableFromInline var sum: UInt64 = 0
    /// Whether an odd byte is waiting for its partner (sums may be fed in pieces).
    @usableFromInline var pendingHigh: UInt8?

    /// A sum with nothing added yet.
    public init() {}

    /// Adds bytes as big-endian 16-bit words; an odd byte is held until the next one arrives.
    @inlinable public mutating func add<C: Sequence>(_ bytes: C) where C.Element == UInt8 {
        for b in bytes {
            if let hi = pendingHigh {
                sum &+= UInt64(hi) << 8 | UInt64(b)
                pendingHigh = nil
            } else {
                pendingHigh = b
            }
        }
    }

    /// Adds one 16-bit word; must not follow an odd number of bytes.
    @inlinable public mutating func add(word: UInt16) {
        precondition(pendingHigh == nil, "add(word:) after an odd number of bytes")
        sum &+= UInt64(word)
    }

    /// Adds a 32-bit value as two 16-bit words, high word first.
    @inlinable public mutating func add(word32: UInt32) {
        add(word: UInt16(word32 >> 16))
        add(word: UInt16(word32 & 0xFFFF))
    }

    /// The checksum to put in the header field.
    @inlinable public var value: UInt16 {
        var s = sum
        if let hi = pendingHigh { s &+= UInt64(hi) << 8 }
        while s >> 16 != 0 { s = (s & 0xFFFF) + (s >> 16) }
        return ~UInt16(s)
    }

    /// The checksum of `bytes` in one call.
    @inlinable public static func checksum<C: Sequence>(_ bytes: C) -> UInt16 where C.Element == UInt8 {
        var c = InternetChecksum()
        c.add(bytes)
        return c.value
    }
}
