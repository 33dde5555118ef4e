import Foundation
import TestSupport
import Testing

// Outputs never destroy inputs or old files: through the real `soundstack`, an output naming an
// input (any spelling of it) is a usage error before anything is opened; a write that fails
// midway or is interrupted leaves the old file byte for byte and no temporary behind.

@Suite("CLI output safety", .serialized)
struct OutputSafetyTests {
    /// A decodable recording of `text` (fsk1200, Ethernet) in `dir`.
    static func recording(_ dir: TemporaryDirectory, name: String = "rec.wav", text: String = "keep me") throws
        -> String
    {
        let path = dir.path + "/" + name
        let run = try CLI.run(["encode", "-q", "--text", text, "-o", path])
        try #require(run.status == 0, "encode failed: \(run.stderr)")
        return path
    }

    static func bytes(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map { [UInt8]($0) } }

    static func hidden(_ dir: TemporaryDirectory) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasPrefix(".") }
    }

    /// Runs `script` in `/bin/sh -c` inside `dir` with `$0` the binary; same time limit as ``CLI/run``.
    static func shell(_ script: String, in dir: TemporaryDirectory) throws -> CLIRun {
        guard let binary = SoundStackBinary.path else { throw SoundStackBinary.NotFound() }
        return try CLI.run(["-c", "cd \"$1\" && " + script, binary, dir.path], executable: "/bin/sh")
    }

    // MARK: An output that is an input

    /// The ways of naming `rec.wav` in `dir` again: same path, `./` form, a symlink, a hard link.
    static func aliases(of path: String, in dir: TemporaryDirectory) throws -> [String] {
        let link = dir.path + "/link.wav", hard = dir.path + "/hard.wav"
        try? FileManager.default.removeItem(atPath: link)
        try? FileManager.default.removeItem(atPath: hard)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        try FileManager.default.linkItem(atPath: path, toPath: hard)
        return [
            path, dir.path + "/./rec.wav",
            dir.path + "/../" + URL(fileURLWithPath: dir.path).lastPathComponent + "/rec.wav",
            link, hard
        ]
    }

    @Test(arguments: ["-o", "--pcap", "--reply-audio"])
    func decodeRefusesToWriteOverItsInput(option: String) throws {
        let dir = try TemporaryDirectory()
        let input = try Self.recording(dir)
        let before = try #require(Self.bytes(input))
        for alias in try Self.aliases(of: input, in: dir) {
            let run = try CLI.run(["decode", "--ip", "10.0.0.2", input, option, alias])
            #expect(run.status == 64, "\(option) \(alias): exit \(run.status), stderr: \(run.stderr)")
            #expect(run.stderr.contains("is the input"), "\(run.stderr)")
            #expect(Bool(Self.bytes(input) == before), "\(option) \(alias): the recording changed")
        }
        #expect(Self.hidden(dir).isEmpty)
    }

    @Test func decodeRefusesRelativeDotSlashForm() throws {
        let dir = try TemporaryDirectory()
        let input = try Self.recording(dir)
        let before = try #require(Self.bytes(input))
        let run = try Self.shell("exec \"$0\" decode rec.wav -o ./rec.wav", in: dir)
        #expect(run.status == 64, "exit \(run.status), stderr: \(run.stderr)")
        #expect(Bool(Self.bytes(input) == before))
    }

    @Test func decodeRefusesTheSecondOfSeveralInputs() throws {
        let dir = try TemporaryDirectory()
        let first = try Self.recording(dir, name: "a.wav", text: "one")
        let second = try Self.recording(dir, name: "b.wav", text: "two")
        let before = try #require(Self.bytes(second))
        let run = try CLI.run(["decode", first, second, "-o", second])
        #expect(run.status == 64, "exit \(run.status), stderr: \(run.stderr)")
        #expect(Bool(Self.bytes(second) == before))
    }

    @Test func twoOutputsNamingOneFileAreRefused() throws {
        let dir = try TemporaryDirectory()
        let input = try Self.recording(dir)
        let out = dir.path + "/out.bin"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: out))
        let run = try CLI.run(["decode", input, "-o", out, "--pcap", dir.path + "/./out.bin"])
        #expect(run.status == 64, "exit \(run.status), stderr: \(run.stderr)")
        #expect(Self.bytes(out) == [1, 2, 3])
    }

    @Test func channelRefusesToWriteOverItsInput() throws {
        let dir = try TemporaryDirectory()
        let input = try Self.recording(dir)
        let before = try #require(Self.bytes(input))
        for alias in try Self.aliases(of: input, in: dir) {
            let run = try CLI.run(["channel", input, "-o", alias, "--ebn0", "10", "-q"])
            #expect(run.status == 64, "\(alias): exit \(run.status), stderr: \(run.stderr)")
            #expect(Bool(Self.bytes(input) == before), "\(alias): the recording changed")
        }
    }

    @Test func encodePlotAndHTTPResponseRefuseTheirInputs() throws {
        let dir = try TemporaryDirectory()
        let input = try Self.recording(dir)
        let before = try #require(Self.bytes(input))
        let note = dir.path + "/note.txt"
        try Data("hello".utf8).write(to: URL(fileURLWithPath: note))
        for args in [
            ["encode", "--input", note, "-o", note],
            ["http", "response", "--to", input, "--text", "hi", "-o", input],
            ["http", "resend", "--from", input, "--missing-from", input, "-o", input]
        ] {
            let run = try CLI.run(args)
            #expect(run.status == 64, "\(args): exit \(run.status), stderr: \(run.stderr)")
        }
        #expect(Bool(Self.bytes(input) == before))
        #expect(Bool(Self.bytes(note) == Array("hello".utf8)))
    }

    // MARK: Failed and interrupted writes

    @Test func anEncodeOverTheFileSizeLimitLeavesTheOldFile() throws {
        let dir = try TemporaryDirectory()
        let old = try Self.recording(dir, name: "out.wav", text: "the old file")
        let before = try #require(Self.bytes(old))
        let text = String(repeating: "too long for the limit ", count: 20)
        let run = try Self.shell("ulimit -f 1; exec \"$0\" encode --text '\(text)' -o out.wav", in: dir)
        #expect(run.status != 0, "exit \(run.status), stderr: \(run.stderr)")
        #expect(run.stderr.lowercased().contains("too large") || run.stderr.contains("write failed"), "\(run.stderr)")
        #expect(Bool(Self.bytes(old) == before), "the old file changed")
        #expect(Self.hidden(dir).isEmpty, "temporaries left: \(Self.hidden(dir))")
    }

    /// Starts an encode of a big file, waits for its temporary to appear, sends `signal`.
    static func interruptedEncode(signal: Int32, oldFile: Bool) throws -> (
        status: Int32, stderr: String, dir: TemporaryDirectory,
        before: [UInt8]?
    ) {
        guard let binary = SoundStackBinary.path else { throw SoundStackBinary.NotFound() }
        let dir = try TemporaryDirectory()
        let big = try dir.write("big.bin", (0..<400_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) })
        let out = dir.path + "/out.wav"
        var before: [UInt8]?
        if oldFile { before = Self.bytes(try Self.recording(dir, name: "out.wav")) }
        let errPath = dir.path + "/stderr.txt"
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["encode", "--input", big, "-o", out]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let start = Date()
        while Self.hidden(dir).isEmpty, process.isRunning, Date().timeIntervalSince(start) < CLI.timeLimit {
            usleep(10_000)
        }
        #expect(!Self.hidden(dir).isEmpty, "no temporary appeared")
        kill(process.processIdentifier, signal)
        let stop = Date()
        while process.isRunning, Date().timeIntervalSince(stop) < CLI.timeLimit { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let err = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
        return (process.terminationStatus, err, dir, before)
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalDuringEncodeLeavesTheOldFileAndNoTemporary(signal: Int32) throws {
        let r = try Self.interruptedEncode(signal: signal, oldFile: true)
        #expect(r.status == 128 + signal, "exit \(r.status), stderr: \(r.stderr)")
        #expect(r.stderr.contains("interrupted"), "\(r.stderr)")
        #expect(Bool(Self.bytes(r.dir.path + "/out.wav") == r.before), "the old file changed")
        #expect(Self.hidden(r.dir).isEmpty, "temporaries left: \(Self.hidden(r.dir))")
    }

    @Test func sigtermDuringAFirstEncodeLeavesNoFile() throws {
        let r = try Self.interruptedEncode(signal: SIGTERM, oldFile: false)
        #expect(r.status == 143, "exit \(r.status), stderr: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: r.dir.path + "/out.wav"))
        #expect(Self.hidden(r.dir).isEmpty, "temporaries left: \(Self.hidden(r.dir))")
    }

    // MARK: Successful writes are as before

    @Test func encodeOverAnOldFileWritesTheSameBytesAsAFreshOne() throws {
        let dir = try TemporaryDirectory()
        let fresh = dir.path + "/fresh.wav", over = dir.path + "/over.wav"
        try Data(repeating: 0xAB, count: 1_000_000).write(to: URL(fileURLWithPath: over))
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: over)
        for path in [fresh, over] {
            let run = try CLI.run(["encode", "-q", "--text", "same bytes", "-o", path])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let a = try #require(Self.bytes(fresh)), b = try #require(Self.bytes(over))
        #expect(Bool(a == b), "\(a.count) vs \(b.count) bytes")
        #expect(Array(a.prefix(4)) == Array("RIFF".utf8))
        let mode = (try FileManager.default.attributesOfItem(atPath: over)[.posixPermissions]) as? Int
        #expect(mode == 0o640, "the old file's permissions are kept")
        #expect(Self.hidden(dir).isEmpty)

        let decoded = dir.path + "/decoded.txt"
        try Data("old".utf8).write(to: URL(fileURLWithPath: decoded))
        let run = try CLI.run(["decode", "-q", over, "-o", decoded])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Bool(Self.bytes(decoded) == Array("same bytes".utf8)))
        let piped = try CLI.run(["encode", "-q", "--text", "same bytes", "-o", "-"])
        #expect(piped.status == 0)
        #expect(Array(piped.stdoutBytes.prefix(4)) == Array("RIFF".utf8))
    }
}
