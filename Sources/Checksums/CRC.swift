/// A table-driven CRC of 8 or 16 bits, described by the usual Rocksoft/Williams
/// parameters, for the short checks the layers use: the physical header's CRC-8
/// and HDLC/AX.25's FCS-16.
///
///     CRC16.x25.checksum(Array("123456789".utf8))   // 0x906E
///     CRC8.smbus.checksum(Array("123456789".utf8))  // 0xF4
public struct CRC16: Sendable {
    /// Width of the CRC in bits: 8 or 16.
    public let width: Int
    /// The generator polynomial, normal (not reflected) form, without the top bit.
    public let polynomial: UInt16
    /// The register's initial value.
    public let initial: UInt16
    /// Whether bytes are processed least significant bit first (and the result reflected).
    public let reflected: Bool
    /// The value XORed into the register at the end.
    public let xorOut: UInt16
    @usableFromInline let table: [UInt16]
    @usableFromInline let mask: UInt16

    /// - Parameters:
    ///   - width: 8 or 16 bits.
    ///   - polynomial: the generator without its top bit, in normal (not reflected) form.
    ///   - initial: the register's initial value.
    ///   - reflected: whether bytes are processed least significant bit first (and the result reflected).
    ///   - xorOut: the value XORed into the register at the end.
    public init(width: Int = 16, polynomial: UInt16, initial: UInt16, reflected: Bool, xorOut: UInt16) {
        precondition(width == 8 || width == 16, "CRC16 supports widths 8 and 16")
        self.width = width
        self.polynomial = polynomial
        self.initial = initial
        self.reflected = reflected
        self.xorOut = xorOut
        let mask: UInt32 = width == 16 ? 0xFFFF : 0xFF
        self.mask = UInt16(mask)
        var table = [UInt16](repeating: 0, count: 256)
        if reflected {
            var poly: UInt32 = 0
            for i in 0..<width where UInt32(polynomial) & (1 << UInt32(i)) != 0 {
                poly |= 1 << UInt32(width - 1 - i)
            }
            for b in 0..<256 {
                var c = UInt32(b)
                for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ poly : c >> 1 }
                table[b] = UInt16(c & mask)
            }
        } else {
            let top = UInt32(1) << UInt32(width - 1)
            for b in 0..<256 {
                var c = UInt32(b) << UInt32(width - 8)
                for _ in 0..<8 { c = (c & top) != 0 ? ((c << 1) ^ UInt32(polynomial)) & mask : (c << 1) & mask }
                table[b] = UInt16(c)
            }
        }
        self.table = table
    }

    /// The CRC of `bytes`.
    @inlinable public func checksum<C: Sequence>(_ bytes: C) -> UInt16 where C.Element == UInt8 {
        var reg = initial
        update(&reg, bytes)
        return finalize(reg)
    }

    /// Feeds bytes into a running register that started at `initial`.
    @inlinable public func update<C: Sequence>(_ reg: inout UInt16, _ bytes: C) where C.Element == UInt8 {
        if reflected {
            for byte in bytes {
                reg = (table[Int((reg ^ UInt16(byte)) & 0xFF)] ^ (width == 16 ? reg >> 8 : 0)) & mask
            }
        } else {
            let top = UInt16(width - 8)
            for byte in bytes {
                let idx = Int(((reg >> top) ^ UInt16(byte)) & 0xFF)
                reg = (table[idx] ^ (width == 16 ? reg << 8 : 0)) & mask
            }
        }
    }

    /// Applies the final XOR to a running register.
    @inlinable public func finalize(_ reg: UInt16) -> UInt16 { reg ^ xorOut }

    /// CRC-16/X-25 (HDLC, AX.25 FCS): poly 0x1021 reflected, init and xorout 0xFFFF. Check 0x906E.
    public static let x25 = CRC16(polynomial: 0x1021, initial: 0xFFFF, reflected: true, xorOut: 0xFFFF)
    /// CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, not reflected. Check 0x29B1.
    public static let ccittFalse = CRC16(polynomial: 0x1021, initial: 0xFFFF, reflected: false, xorOut: 0)
}

/// 8-bit CRCs, as ``CRC16`` values of width 8.
public enum CRC8 {
    /// CRC-8/SMBUS: poly 0x07, init 0, not reflected. Check 0xF4.
    public static let smbus = CRC16(width: 8, polynomial: 0x07, initial: 0, reflected: false, xorOut: 0)
    /// CRC-8/AUTOSAR: poly 0x2F, init and xorout 0xFF. Check 0xDF. Hamming distance 4 up to 119 data bits.
    public static let autosar = CRC16(width: 8, polynomial: 0x2F, initial: 0xFF, reflected: false, xorOut: 0xFF)
}
