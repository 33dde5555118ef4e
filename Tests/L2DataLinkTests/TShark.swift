import Foundation

/// Runs the real tshark on capture files: the peer that checks our pcap output.
enum TShark {
    static let path: String? = ["/usr/bin/tshark", "/usr/local/bin/tshark", "/opt/homebrew/bin/tshark"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static var isAvailable: Bool { path != nil }

    /// tshark's standard output for `arguments`, lines split on tabs.
    static func fields(_ arguments: [String]) throws -> [[String]] {
        guard let path else { return [] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    /// A fresh path in the temporary directory.
    static func temporaryFile(_ name: String) -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("l2-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)-\(name)").path
    }
}
