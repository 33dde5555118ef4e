// Big-endian (network order) reads and writes shared by the layers' header parsers and
// emitters. Callers check lengths first (every parser guards `count` before reading), so these
// index only within bounds already verified.

/// The 16-bit big-endian value at `b[i]`, `b[i + 1]`.
@inlinable @inline(__always) public func readU16(_ b: [UInt8], _ i: Int) -> UInt16 {
    UInt16(b[i]) << 8 | UInt16(b[i + 1])
}

/// The 32-bit big-endian value at `b[i]…b[i + 3]`.
@inlinable @inline(__always) public func readU32(_ b: [UInt8], _ i: Int) -> UInt32 {
    UInt32(readU16(b, i)) << 16 | UInt32(readU16(b, i + 2))
}

/// The 64-bit big-endian value at `b[i]…b[i + 7]`.
@inlinable @inline(__always) public func readU64(_ b: [UInt8], _ i: Int) -> UInt64 {
    UInt64(readU32(b, i)) << 32 | UInt64(readU32(b, i + 4))
}

/// Appends `v` as two bytes, most significant first.
@inlinable @inline(__always) public func appendU16(_ b: inout [UInt8], _ v: UInt16) {
    b.append(UInt8(v >> 8)); b.append(UInt8(v & 0xFF))
}

/// Appends `v` as four bytes, most significant first.
@inlinable @inline(__always) public func appendU32(_ b: inout [UInt8], _ v: UInt32) {
    appendU16(&b, UInt16(v >> 16)); appendU16(&b, UInt16(v & 0xFFFF))
}

/// Appends `v` as eight bytes, most significant first.
@inlinable @inline(__always) public func appendU64(_ b: inout [UInt8], _ v: UInt64) {
    appendU32(&b, UInt32(v >> 32)); appendU32(&b, UInt32(v & 0xFFFF_FFFF))
}

/// Overwrites the 16-bit big-endian value at `b[i]`, `b[i + 1]`.
@inlinable @inline(__always) public func writeU16(_ b: inout [UInt8], _ i: Int, _ v: UInt16) {
    b[i] = UInt8(v >> 8); b[i + 1] = UInt8(v & 0xFF)
}
