import Checksums

/// A 48-bit IEEE 802 MAC address.
///
///     let a = try MACAddress("02:00:5e:10:00:01")
///     a.isLocallyAdministered   // true
///     a.description             // "02:00:5e:10:00:01"
public struct MACAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The 48 bits, first octet in bits 47…40.
    public let value: UInt64

    /// The length of an address in bytes.
    public static let length = 6

    /// An address from its six octets in transmission order: `MACAddress(0x02, 0, 0, 0, 0, 0x01)`.
    public init(_ o0: UInt8, _ o1: UInt8, _ o2: UInt8, _ o3: UInt8, _ o4: UInt8, _ o5: UInt8) {
        value =
            UInt64(o0) << 40 | UInt64(o1) << 32 | UInt64(o2) << 24
            | UInt64(o3) << 16 | UInt64(o4) << 8 | UInt64(o5)
    }

    /// The address whose 48 bits are the low bits of `value` (higher bits are ignored).
    public init(value: UInt64) { self.value = value & 0xFFFF_FFFF_FFFF }

    /// Octet `i` (0…5) in transmission order.
    @inlinable public subscript(octet i: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: value >> UInt64(40 - 8 * i))
    }

    /// The address in the first six bytes of `bytes`, or `nil` if there are fewer.
    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        var it = bytes.makeIterator()
        guard let a = it.next(), let b = it.next(), let c = it.next(),
            let d = it.next(), let e = it.next(), let f = it.next()
        else { return nil }
        self.init(a, b, c, d, e, f)
    }

    /// Parses `aa:bb:cc:dd:ee:ff` or `aa-bb-cc-dd-ee-ff` (hex digits of either case,
    /// one separator kind throughout, exactly two digits per octet).
    /// - Throws: ``DataLinkError/invalidMACAddress(_:)``.
    public init(_ text: String) throws {
        let utf8 = Array(text.utf8)
        guard utf8.count == 17 else { throw DataLinkError.invalidMACAddress(text) }
        let separator = utf8[2]
        guard separator == UInt8(ascii: ":") || separator == UInt8(ascii: "-") else {
            throw DataLinkError.invalidMACAddress(text)
        }
        var out = [UInt8](repeating: 0, count: 6)
        for i in 0..<6 {
            let base = i * 3
            if i > 0 && utf8[base - 1] != separator { throw DataLinkError.invalidMACAddress(text) }
            guard let hi = Self.hexValue(utf8[base]), let lo = Self.hexValue(utf8[base + 1]) else {
                throw DataLinkError.invalidMACAddress(text)
            }
            out[i] = hi << 4 | lo
        }
        self.init(out[0], out[1], out[2], out[3], out[4], out[5])
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The octets as an array.
    public var bytes: [UInt8] { (0..<6).map { self[octet: $0] } }

    /// `ff:ff:ff:ff:ff:ff`.
    public static let broadcast = MACAddress(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)
    /// `00:00:00:00:00:00`.
    public static let zero = MACAddress(0, 0, 0, 0, 0, 0)

    /// Whether this is the broadcast address ff:ff:ff:ff:ff:ff.
    public var isBroadcast: Bool { self == .broadcast }
    /// The I/G bit (least significant bit of the first octet): a group address.
    /// Broadcast is a multicast address too.
    public var isMulticast: Bool { self[octet: 0] & 0x01 != 0 }
    /// Whether this is an individual (not a group) address: the I/G bit is clear.
    public var isUnicast: Bool { !isMulticast }
    /// The U/L bit (second least significant bit of the first octet).
    public var isLocallyAdministered: Bool { self[octet: 0] & 0x02 != 0 }

    /// A locally administered unicast address derived from `seed` (for example the
    /// host name), the same on every run: the CRC-32 of the seed and the CRC-32 of
    /// the reversed seed give 40 bits, the first octet gets U/L = 1 and I/G = 0.
    ///
    ///     MACAddress.stable(from: "alice") == MACAddress.stable(from: "alice") // true
    public static func stable(from seed: String) -> MACAddress {
        let bytes = Array(seed.utf8)
        let a = CRC32.checksum(bytes)
        let b = CRC32.checksum(bytes.reversed() + [0x4C, 0x32])  // "L2" keeps b ≠ a for palindromes
        let first = (UInt8(truncatingIfNeeded: b >> 24) & 0xFC) | 0x02
        return MACAddress(
            first, UInt8(truncatingIfNeeded: b >> 16),
            UInt8(truncatingIfNeeded: a >> 24), UInt8(truncatingIfNeeded: a >> 16),
            UInt8(truncatingIfNeeded: a >> 8), UInt8(truncatingIfNeeded: a))
    }

    /// Lower-case hex octets separated by `:`.
    public var description: String {
        bytes.map { byte in
            let s = String(byte, radix: 16)
            return byte < 0x10 ? "0" + s : s
        }.joined(separator: ":")
    }

    public static func < (l: MACAddress, r: MACAddress) -> Bool { l.value < r.value }
}
