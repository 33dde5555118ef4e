// Big-endian reads and writes. Callers check lengths first (every parser guards `count` before
// reading), so these helpers index only within bounds that have already been verified.

@inline(__always) func readU16(_ b: [UInt8], _ i: Int) -> UInt16 {
    UInt16(b[i]) << 8 | UInt16(b[i + 1])
}

@inline(__always) func readU32(_ b: [UInt8], _ i: Int) -> UInt32 {
    UInt32(readU16(b, i)) << 16 | UInt32(readU16(b, i + 2))
}

@inline(__always) func readU64(_ b: [UInt8], _ i: Int) -> UInt64 {
    UInt64(readU32(b, i)) << 32 | UInt64(readU32(b, i + 4))
}

@inline(__always) func appendU16(_ b: inout [UInt8], _ v: UInt16) {
    b.append(UInt8(v >> 8)); b.append(UInt8(v & 0xFF))
}

@inline(__always) func appendU32(_ b: inout [UInt8], _ v: UInt32) {
    appendU16(&b, UInt16(v >> 16)); appendU16(&b, UInt16(v & 0xFFFF))
}

@inline(__always) func appendU64(_ b: inout [UInt8], _ v: UInt64) {
    appendU32(&b, UInt32(v >> 32)); appendU32(&b, UInt32(v & 0xFFFF_FFFF))
}
