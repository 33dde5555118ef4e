import Foundation
import TestSupport
import Testing

@testable import L7Application

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The path of `curl` on this machine, if any.
let curlPath: String? = ["/usr/bin/curl", "/usr/local/bin/curl", "/bin/curl"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

/// A one-connection HTTP server on 127.0.0.1 and an ephemeral port, built on POSIX sockets.
struct OneShotServer {
    let listener: Int32
    let port: UInt16

    init() throws {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 1) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { close(fd); throw POSIXError(.EIO) }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    /// Waits up to `timeout` milliseconds for `fd` to become readable.
    private func readable(_ fd: Int32, timeout: Int32) -> Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, timeout) > 0
    }

    /// Accepts one connection, reads one request with `HTTPParser`, answers `response`, closes.
    func serveOne(response: [UInt8]) throws -> (HTTPParsed<HTTPRequest>?, [UInt8]) {
        defer { close(listener) }
        guard readable(listener, timeout: 10_000) else { return (nil, []) }
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return (nil, []) }
        defer { close(connection) }
        var parser = HTTPParser<HTTPRequest>()
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while readable(connection, timeout: 10_000) {
            let count = chunk.withUnsafeMutableBytes { read(connection, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            received += chunk[0..<count]
            if let parsed = try parser.feed(chunk[0..<count]) {
                _ = response.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
                return (parsed, received)
            }
        }
        return (nil, received)
    }
}

/// The curl tests' time limit. Swift Testing counts it from when a test is started, which on
/// two cores can be minutes before a thread runs it (the whole suite takes about four); the
/// exchange itself is bounded by its own waits (10 s for curl to connect, 10 s per read, 15 s
/// for curl to exit), so this limit only catches a hang.
let curlTestMinutes = 5

/// What one curl run sent and printed.
struct CurlExchange {
    var parsed: HTTPParsed<HTTPRequest>?
    var received: [UInt8]
    var printed: String
    var port: UInt16
}

/// Runs curl against a one-shot server answering `response`.
///
/// curl's upload and output go through files, not pipes: a pipe end that leaks into a child
/// another test spawns at the same moment would hold EOF back until that child exits.
/// `{upload}` in the arguments is replaced by the path of a file holding `stdin`.
func exchangeWithCurl(
    _ arguments: (UInt16) -> [String], stdin: [UInt8]? = nil, response: HTTPResponse
) throws -> CurlExchange {
    let server = try OneShotServer()
    let dir = try TemporaryDirectory(prefix: "curl")
    defer { dir.remove() }
    let upload = dir.path("upload")
    let printedPath = dir.path("printed")
    try Data(stdin ?? []).write(to: URL(fileURLWithPath: upload))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: curlPath ?? "curl")
    process.arguments =
        arguments(server.port).map { $0.replacingOccurrences(of: "{upload}", with: upload) }
        + ["-o", printedPath]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let (parsed, received) = try server.serveOne(response: response.serialize())
    // Bounded wait (curl itself stops after -m 5): an unbounded waitUntilExit can stall when
    // many tests start processes at once. curl has written its file before it exits.
    let start = Date()
    while process.isRunning, Date().timeIntervalSince(start) < 15 { usleep(20_000) }
    if process.isRunning { process.terminate() }
    let printed = FileManager.default.contents(atPath: printedPath) ?? Data()
    return CurlExchange(
        parsed: parsed, received: received, printed: String(decoding: printed, as: UTF8.self),
        port: server.port)
}

@Test(.enabled(if: curlPath != nil, "curl is not installed"), .timeLimit(.minutes(curlTestMinutes)))
func curlJSONPostParses() throws {
    let answer = try HTTPResponse(status: .created, json: #"{"id":7}"#)
    let exchange = try exchangeWithCurl(
        { port in
            ["-s", "-m", "5", "-X", "POST", "--json", #"{"a":1}"#, "http://127.0.0.1:\(port)/api"]
        }, response: answer)
    let request = try #require(exchange.parsed?.message)
    #expect(request.method == .post)
    #expect(request.target == "/api")
    #expect(request.version == .http1_1)
    #expect(request.headers["Host"] == "127.0.0.1:\(exchange.port)")
    #expect(request.headers["Content-Type"] == "application/json")
    #expect(request.headers["Content-Length"] == "7")
    #expect(request.body == bytes(#"{"a":1}"#))
    #expect(exchange.parsed?.rawBytes == exchange.received)
    #expect(request.serialize() == exchange.received)  // curl's request, rebuilt byte for byte
    #expect(exchange.printed == #"{"id":7}"#)  // and curl read our response
}

@Test(.enabled(if: curlPath != nil, "curl is not installed"), .timeLimit(.minutes(curlTestMinutes)))
func curlChunkedUploadParsesAndReadsOurChunkedResponse() throws {
    let text = String(repeating: "chunk me ", count: 50)
    let answer = try HTTPResponse(status: .ok, text: "thanks\n", framing: .chunked(chunkSize: 3))
    let exchange = try exchangeWithCurl(
        { port in
            [
                "-s", "-m", "5", "-H", "Transfer-Encoding: chunked", "-H", "Content-Type: text/plain",
                "--data-binary", "@{upload}", "http://127.0.0.1:\(port)/upload?x=1"
            ]
        }, stdin: bytes(text), response: answer)
    let request = try #require(exchange.parsed?.message)
    #expect(request.method == .post)
    #expect(request.target == "/upload?x=1")
    #expect(request.isChunked)
    #expect(request.body == bytes(text))
    #expect(exchange.parsed?.rawBytes == exchange.received)
    #expect(exchange.printed == "thanks\n")
}
