import Foundation

/// curl on this machine, if any.
public let curlPath: String? = ["/usr/bin/curl", "/usr/local/bin/curl"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

/// What one curl run got.
public struct CurlResult: Sendable {
    public var exitCode: Int32
    public var status: Int
    /// The final response's fields (after any `100 Continue`), names lowercased.
    public var fields: [(name: String, value: String)]
    public var body: [UInt8]
    public var seconds: Double

    public func field(_ name: String) -> String? { fields.first { $0.name == name.lowercased() }?.value }
}

public struct CurlTimedOut: Error {}

/// Runs curl with `arguments` (plus -q -s -S, -D and -o to files). Waits at most `limit` s,
/// polling with `Task.sleep` so no thread is held while the bridge works.
public func curl(_ arguments: [String], limit: Double = 60) async throws -> CurlResult {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let headersPath = dir.path + "/headers", bodyPath = dir.path + "/body"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: curlPath ?? "/usr/bin/curl")
    process.arguments = ["-q", "-s", "-S", "-m", String(Int(limit)), "-D", headersPath, "-o", bodyPath] + arguments
    process.environment = ["PATH": "/usr/bin:/bin", "HOME": dir.path]
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let start = Date()
    try process.run()
    while process.isRunning, Date().timeIntervalSince(start) < limit + 5 {
        try await Task.sleep(nanoseconds: 20_000_000)
    }
    if process.isRunning {
        process.terminate()
        throw CurlTimedOut()
    }
    let seconds = Date().timeIntervalSince(start)
    let headerBytes = [UInt8](FileManager.default.contents(atPath: headersPath) ?? Data())
    var status = 0
    var fields: [(name: String, value: String)] = []
    for rawLine in headerBytes.split(separator: UInt8(ascii: "\n")) {
        let line = String(decoding: rawLine.filter { $0 != UInt8(ascii: "\r") }, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            let parts = line.split(separator: " ")
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            fields = []
        } else if let colon = line.firstIndex(of: ":") {
            fields.append(
                (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
    }
    let body = [UInt8](FileManager.default.contents(atPath: bodyPath) ?? Data())
    return CurlResult(exitCode: process.terminationStatus, status: status, fields: fields, body: body, seconds: seconds)
}
