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
    naiveChecksum(source + destination + [0, protocolNumber, UInt8(segment.count >> 8), UInt8(segment.count & 0xFF)] + segment)
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

/// A deterministic generator (SplitMix64) so property tests repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum Tshark {
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tshark")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/text2pcap")
    }

    /// Packets as `text2pcap` input: one hex dump per packet, offsets restarting at 0.
    static func hexDump(_ packets: [[UInt8]]) -> String {
        var out = ""
        for p in packets {
            for line in stride(from: 0, to: p.count, by: 16) {
                out += String(format: "%06x ", line)
                out += p[line..<min(p.count, line + 16)].map { String(format: "%02x", $0) }.joined(separator: " ")
                out += "\n"
            }
            out += "\n"
        }
        return out
    }

    @discardableResult
    static func run(_ tool: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes IPv4 packets behind a dummy Ethernet header (`text2pcap -e 0x0800`) and returns
    /// tshark's field lines, checksum validation on, absolute sequence numbers.
    static func fields(ipv4 packets: [[UInt8]], fields: [String]) throws -> [String] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("l4-tshark-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let txt = dir.appendingPathComponent("in.txt"), pcap = dir.appendingPathComponent("out.pcap")
        try hexDump(packets).write(to: txt, atomically: true, encoding: .utf8)
        try run("/usr/bin/text2pcap", ["-q", "-e", "0x0800", txt.path, pcap.path])
        var args = ["-r", pcap.path, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
                    "-o", "udp.check_checksum:TRUE", "-o", "tcp.relative_sequence_numbers:FALSE",
                    "-T", "fields", "-E", "separator=,", "-E", "occurrence=a", "-E", "aggregator=/"]
        for f in fields { args += ["-e", f] }
        return try run("/usr/bin/tshark", args).split(separator: "\n").map(String.init)
    }
}
