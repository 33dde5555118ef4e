import Foundation

@testable import L4Transport

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

/// The checksum over an IPv4 pseudo-header and `segment` (whose checksum field must be zero).
func naivePseudoChecksum(source: [UInt8], destination: [UInt8], protocolNumber: UInt8, segment: [UInt8]) -> UInt16 {
    naiveChecksum(
        source + destination + [0, protocolNumber, UInt8(segment.count >> 8), UInt8(segment.count & 0xFF)] + segment)
}

/// A minimal IPv4 header in front of `payload`, built by hand (this target does not import L3).
func naiveIPv4(source: [UInt8], destination: [UInt8], protocolNumber: UInt8, payload: [UInt8]) -> [UInt8] {
    let total = 20 + payload.count
    var h: [UInt8] = [0x45, 0, UInt8(total >> 8), UInt8(total & 0xFF), 0x12, 0x34, 0x40, 0, 64, protocolNumber, 0, 0]
    h += source + destination
    let c = naiveChecksum(h)
    h[10] = UInt8(c >> 8); h[11] = UInt8(c & 0xFF)
    return h + payload
}
