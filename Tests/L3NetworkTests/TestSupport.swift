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

    /// Writes raw IPv4 packets to a pcap (link type 101, raw IP) and returns tshark's field lines.
    static func fields(rawIP packets: [[UInt8]], fields: [String], extra: [String] = []) throws -> [String] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("l3-tshark-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let txt = dir.appendingPathComponent("in.txt"), pcap = dir.appendingPathComponent("out.pcap")
        try hexDump(packets).write(to: txt, atomically: true, encoding: .utf8)
        try run("/usr/bin/text2pcap", ["-q", "-l", "101", txt.path, pcap.path])
        var args = ["-r", pcap.path, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
                    "-o", "udp.check_checksum:TRUE"] + extra + ["-T", "fields", "-E", "separator=,", "-E", "occurrence=f"]
        for f in fields { args += ["-e", f] }
        return try run("/usr/bin/tshark", args).split(separator: "\n").map(String.init)
    }
}
