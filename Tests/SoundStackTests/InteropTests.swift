import Framings
import AudioIO
import Foundation
import L1Physical
import L2DataLink
import Testing
@testable import SoundStack

/// Our audio through the real peers (Dire Wolf's atest, multimon-ng, minimodem) and theirs through us.
@Suite struct InteropTests {
    static func tool(_ name: String) -> String? {
        ["/usr/bin/\(name)", "/usr/local/bin/\(name)"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a tool; returns stdout (stderr folded in when `mergeErr`).
    static func run(_ path: String, _ args: [String], stdin: Data? = nil, mergeErr: Bool = false) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = mergeErr ? out : FileHandle.nullDevice
        let inPipe = Pipe()
        p.standardInput = stdin == nil ? FileHandle.nullDevice : inPipe
        try p.run()
        if let d = stdin { inPipe.fileHandleForWriting.write(d); try inPipe.fileHandleForWriting.close() }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func tempDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ss-interop-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static let lines = ["N0CALL>APRS,WIDE1-1,WIDE2-1:!4903.50N/07201.75W-Test 1",
                        "N0CALL-7>APZ001:>status with 0123456789",
                        "K1ABC-15>CQ,RELAY*,WIDE2-1::N0CALL   :hello{42"]

    @Test func atestDecodesOurAX25() throws {
        guard let atest = Self.tool("atest") else { return }
        let dir = try Self.tempDir()
        let frames = try Self.lines.map { try AX25Frame(tnc2: $0) }
        try AudioFile.write(ProtocolTransmitter.ax25(frames, sampleRate: 44100), sampleRate: 44100, to: "\(dir)/ours.wav")
        let out = try Self.run(atest, ["\(dir)/ours.wav"], mergeErr: true)
        #expect(out.contains("3 packets decoded"), "\(out)")
        for l in Self.lines { #expect(out.contains(l), "\(l)") }
    }

    @Test func multimonDecodesOurAX25() throws {
        guard let mm = Self.tool("multimon-ng"), Self.tool("sox") != nil else { return }
        let dir = try Self.tempDir()
        let frames = try Self.lines.map { try AX25Frame(tnc2: $0) }
        try AudioFile.write(ProtocolTransmitter.ax25(frames, sampleRate: 22050), sampleRate: 22050, to: "\(dir)/ours.wav")
        let out = try Self.run(mm, ["-q", "-a", "AFSK1200", "-A", "-t", "wav", "\(dir)/ours.wav"])
        let got = out.split(separator: "\n").filter { $0.hasPrefix("APRS: ") }.map { String($0.dropFirst(6)) }
        #expect(got.count == 3, "\(out)")
        #expect(got.contains { $0.hasPrefix("N0CALL>APRS,WIDE1-1,WIDE2-1:!4903.50N") }, "\(out)")
    }

    @Test func weDecodeGenPackets() throws {
        guard let gen = Self.tool("gen_packets") else { return }
        let dir = try Self.tempDir()
        try (Self.lines.joined(separator: "\n") + "\n").write(toFile: "\(dir)/in.txt", atomically: true, encoding: .utf8)
        _ = try Self.run(gen, ["-r", "48000", "-o", "\(dir)/gen.wav", "\(dir)/in.txt"])
        let (samples, rate) = try AudioFile.read(path: "\(dir)/gen.wav")
        let got = ProtocolReceiver.decode(samples, sampleRate: Double(rate), protocols: [.ax25]).map(\.text)
        // gen_packets keeps each input line's newline in the information field.
        #expect(got == Self.lines.map { $0 + "<0x0a>" })
    }

    /// Dire Wolf's regression signal: 100 frames with rising noise. atest (no bit fixing) gets 66–72.
    @Test func test12HundredFramesWithRisingNoise() throws {
        guard let gen = Self.tool("gen_packets") else { return }
        let dir = try Self.tempDir()
        _ = try Self.run(gen, ["-n", "100", "-o", "\(dir)/test12.wav"])
        let (samples, rate) = try AudioFile.read(path: "\(dir)/test12.wav")
        let got = ProtocolReceiver.decode(samples, sampleRate: Double(rate), protocols: [.ax25])
        #expect(got.allSatisfy { $0.status == "ok" })
        #expect(got.count >= 80, "decoded \(got.count) of 100 (atest: 66–72, goal ≥ 78)")
    }

    static let text = "The quick brown fox jumps over the lazy dog 0123456789!\n"

    @Test(arguments: [1200.0, 300.0])
    func minimodemDecodesOurUART(baud: Double) throws {
        guard let mm = Self.tool("minimodem") else { return }
        let dir = try Self.tempDir()
        let sig: FSKSignalling = baud == 300 ? .bell103 : .bell202
        try AudioFile.write(ProtocolTransmitter.uart(Array(Self.text.utf8), signalling: sig, sampleRate: 48000),
                            sampleRate: 48000, to: "\(dir)/ours.wav")
        let out = try Self.run(mm, ["--rx", "-q", "-f", "\(dir)/ours.wav", String(Int(baud))])
        #expect(out == Self.text)
    }

    @Test(arguments: [1200.0, 300.0])
    func weDecodeMinimodemUART(baud: Double) throws {
        guard let mm = Self.tool("minimodem") else { return }
        let dir = try Self.tempDir()
        _ = try Self.run(mm, ["--tx", "-q", "-f", "\(dir)/mm.wav", String(Int(baud))], stdin: Data(Self.text.utf8))
        let (samples, rate) = try AudioFile.read(path: "\(dir)/mm.wav")
        let sig: FSKSignalling = baud == 300 ? .bell103 : .bell202
        let got = ProtocolReceiver.decode(samples, sampleRate: Double(rate), protocols: [.uart],
                                          options: ProtocolReceiverOptions(signalling: sig))
        #expect(got.flatMap(\.bytes) == Array(Self.text.utf8))
    }
}
