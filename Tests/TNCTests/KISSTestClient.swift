import Foundation
import Framings
import TNC
import TestSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A blocking KISS client on a plain socket (or any descriptor, e.g. a pty), with time limits.
final class KISSTestClient {
    let descriptor: Int32
    private var decoder = KISSDecoder()
    private var pending: [KISSFrame] = []

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Connects to 127.0.0.1:`port`.
    init(port: Int) throws {
        do {
            descriptor = try connectLoopback(port: port)
        } catch {
            throw Failure(description: "connect to port \(port): \(error)")
        }
    }

    /// Uses an open descriptor (closed with the client).
    init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            guard n > 0 else { throw Failure(description: "write: errno \(errno)") }
            offset += n
        }
    }

    func send(_ frame: KISSFrame) throws { try send(frame.bytes) }

    /// Reads until `count` frames have come or `timeLimit` seconds have passed.
    func frames(_ count: Int, timeLimit: Double = 60) -> [KISSFrame] {
        let deadline = Date().addingTimeInterval(timeLimit)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while pending.count < count, Date() < deadline {
            var p = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 50) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            pending += decoder.push(buffer[0..<n]).frames
        }
        let out = Array(pending.prefix(count))
        pending.removeFirst(out.count)
        return out
    }

    /// Whether the other end has not closed the connection.
    var isOpen: Bool {
        var p = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 0) > 0 else { return true }
        var byte: UInt8 = 0
        return recv(descriptor, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) != 0
    }
}

/// Log lines collected from the TNC's threads.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    var log: TNCLog { TNCLog { [self] line in lock.withLock { lines.append(line) } } }
    var all: [String] { lock.withLock { lines } }
    func contains(_ text: String) -> Bool { all.contains { $0.contains(text) } }
}

/// Polls `condition` every 20 ms for up to `timeLimit` seconds.
@discardableResult
func eventually(timeLimit: Double = 60, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeLimit)
    while Date() < deadline {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}

enum Corpus {
    /// `../shared/corpus` beside the package root.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/corpus").standardized.path

    static func path(_ file: String) -> String { "\(root)/\(file)" }

    static func exists(_ file: String) -> Bool { FileManager.default.fileExists(atPath: path(file)) }

    /// The AX.25 frames (no FCS) atest found in `file`, from `expected/NAME.frames.hex`.
    static func frames(_ file: String) throws -> [[UInt8]] {
        let name = (file as NSString).lastPathComponent
        let hex = try String(contentsOfFile: "\(root)/expected/\(name).frames.hex", encoding: .utf8)
        return hex.split(separator: "\n").map { line in
            stride(from: 0, to: line.count - 1, by: 2).compactMap { i in
                let start = line.index(line.startIndex, offsetBy: i)
                return UInt8(line[start..<line.index(start, offsetBy: 2)], radix: 16)
            }
        }
    }

    /// The TNC2 lines atest printed for `file`.
    static func lines(_ file: String) throws -> [String] {
        let name = (file as NSString).lastPathComponent
        return try String(contentsOfFile: "\(root)/expected/\(name).txt", encoding: .utf8)
            .split(separator: "\n").map(String.init)
    }
}

/// Dire Wolf's programs, when installed.
enum DireWolf {
    static func tool(_ name: String) -> String? {
        ["/usr/bin/\(name)", "/usr/local/bin/\(name)"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
