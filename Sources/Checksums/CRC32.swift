/// CRC-32 as IEEE 802.3 (Ethernet FCS), zlib and PNG compute it: polynomial
/// 0x04C11DB7 processed reflected (0xEDB88320), initial value and final XOR
/// 0xFFFFFFFF. The check value of the ASCII bytes "123456789" is `0xCBF43926`.
///
///     var crc = CRC32()
///     crc.update(Array("123456789".utf8))
///     crc.value // 0xCBF43926
///
/// Slicing-by-8: eight bytes per step through eight 256-entry tables.
/// - Complexity: O(n) in the number of bytes.
public struct CRC32: Sendable, Hashable {
    /// The running register (before the final XOR).
    @usableFromInline var register: UInt32 = 0xFFFF_FFFF

    /// A CRC-32 with nothing fed yet.
    public init() {}

    /// The CRC of everything passed to `update` so far.
    @inlinable public var value: UInt32 { register ^ 0xFFFF_FFFF }

    /// The CRC-32 of `bytes` in one call.
    @inlinable public static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }

    /// Feeds more bytes.
    @inlinable public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(buffer: $0) }
        if done == nil {
            let copy = Array(bytes)
            copy.withUnsafeBufferPointer { update(buffer: $0) }
        }
    }

    /// Feeds bytes from a buffer: the loop the other `update` calls end in.
    /// - Complexity: O(*n*) for *n* bytes, eight bytes per step.
    @inlinable public mutating func update(buffer: UnsafeBufferPointer<UInt8>) {
        var crc = register
        var i = 0
        let n = buffer.count
        CRC32Tables.tables.withUnsafeBufferPointer { t in
            while i + 8 <= n {
                let lo =
                    crc
                    ^ (UInt32(buffer[i]) | UInt32(buffer[i + 1]) << 8
                        | UInt32(buffer[i + 2]) << 16 | UInt32(buffer[i + 3]) << 24)
                let hi =
                    UInt32(buffer[i + 4]) | UInt32(buffer[i + 5]) << 8
                    | UInt32(buffer[i + 6]) << 16 | UInt32(buffer[i + 7]) << 24
                crc =
                    t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                i += 8
            }
            while i < n {
                crc = t[Int((crc ^ UInt32(buffer[i])) & 0xFF)] ^ (crc >> 8)
                i += 1
            }
        }
        register = crc
    }
}

/// The eight slicing tables, 8 × 256 entries, built once.
public enum CRC32Tables {
    /// The eight slicing tables, table `k` at indices `256·k ..< 256·(k+1)`.
    public static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for b in 0..<256 {
            var c = UInt32(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
            t[b] = c
        }
        for b in 0..<256 {
            for k in 1..<8 {
                let prev = t[(k - 1) * 256 + b]
                t[k * 256 + b] = t[Int(prev & 0xFF)] ^ (prev >> 8)
            }
        }
        return t
    }()
}
