import Foundation

/// The RFC 1071 sum written the slow, obvious way, so tests do not trust the code under test.
func naiveChecksum(_ bytes: [UInt8]) -> UInt16 {
    var sum: UInt32 = 0
    var i = 0
    while i < bytes.count {
        let hi = UInt32(bytes[i])
        let lo = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
        sum += hi * 256 + lo
        i += 2
    }
    while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
    return UInt16(0xFFFF - sum)
}
