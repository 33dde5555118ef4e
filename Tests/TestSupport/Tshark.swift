import Foundation

/// The real tshark (and text2pcap), the peer that checks our capture files and packet bytes.
public enum Tshark {
    static let folders = ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"]

    /// tshark, if installed.
    public static let path: String? = folders.map { "\($0)/tshark" }
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    /// text2pcap, if installed.
    public static let text2pcapPath: String? = folders.map { "\($0)/text2pcap" }
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// tshark is installed.
    public static var isAvailable: Bool { path != nil }
    /// tshark and text2pcap are installed (for ``fields(packets:text2pcap:arguments:fields:)``).
    public static var canReadHexDumps: Bool { path != nil && text2pcapPath != nil }

    /// `-o` options that make tshark check the IPv4, TCP and UDP checksums.
    public static let checksumOptions = [
        "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
        "-o", "udp.check_checksum:TRUE"
    ]

    /// Packets as `text2pcap` input: one hex dump per packet, offsets restarting at 0.
    public static func hexDump(_ packets: [[UInt8]]) -> String {
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

    /// Runs tshark with `arguments` (bounded by `timeLimit`).
    public static func run(_ arguments: [String], timeLimit: Double = 120) throws -> CLIRun {
        guard let path else { throw NotInstalled(tool: "tshark") }
        return try runProcess(path, arguments, timeLimit: timeLimit)
    }

    /// tshark's standard output for `arguments`, one array per line, split on tabs (the
    /// separator of `-T fields`).
    public static func fields(_ arguments: [String]) throws -> [[String]] {
        try run(arguments).stdout.split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Writes `packets` to a pcap through `text2pcap` (with `text2pcap` options such as
    /// `["-l", "101"]` for raw IP or `["-e", "0x0800"]` for a dummy Ethernet header), then runs
    /// `tshark -r <pcap> arguments -e field…` and returns its output lines.
    public static func fields(
        packets: [[UInt8]], text2pcap: [String], arguments: [String],
        fields: [String]
    ) throws -> [String] {
        guard let text2pcapPath else { throw NotInstalled(tool: "text2pcap") }
        let dir = try TemporaryDirectory(prefix: "tshark")
        defer { dir.remove() }
        let txt = dir.path("in.txt"), pcap = dir.path("out.pcap")
        try hexDump(packets).write(toFile: txt, atomically: true, encoding: .utf8)
        let converted = try runProcess(text2pcapPath, ["-q"] + text2pcap + [txt, pcap])
        guard converted.status == 0 else { throw Failed(tool: "text2pcap", run: converted) }
        var args = ["-r", pcap] + arguments
        for f in fields { args += ["-e", f] }
        return try run(args).stdout.split(separator: "\n").map(String.init)
    }

    /// A tool is not installed.
    public struct NotInstalled: Error, CustomStringConvertible {
        public var tool: String
        public var description: String { "\(tool) is not installed" }
    }

    /// A tool exited with an error.
    public struct Failed: Error, CustomStringConvertible {
        public var tool: String
        public var run: CLIRun
        public var description: String { "\(tool) exited \(run.status): \(run.stderr)" }
    }
}
