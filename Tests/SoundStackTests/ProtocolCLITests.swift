import Foundation
import Testing

/// `soundstack encode/decode --protocol …` end to end, through the built executable.
@Suite struct ProtocolCLITests {
    static let binary: String? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return ["debug", "release"].map { root.appendingPathComponent(".build/\($0)/soundstack").path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static func run(_ args: [String]) throws -> (status: Int32, out: String) {
        guard let bin = binary else { return (-1, "") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func ax25EncodeDecodeJSONAndExitCodes() throws {
        guard Self.binary != nil else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ss-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let wav = "\(dir)/a.wav"
        #expect(try Self.run(["encode", "--protocol", "ax25", "--text", "N0CALL>APRS,WIDE1-1:hello", "-o", wav]).status == 0)
        let plain = try Self.run(["decode", "--protocol", "ax25", wav])
        #expect(plain.status == 0 && plain.out == "N0CALL>APRS,WIDE1-1:hello\n")
        let json = try Self.run(["decode", "--protocol", "auto", "--json", wav])
        #expect(json.out.hasPrefix("{\"time\":") && json.out.contains("\"protocol\":\"ax25\"")
                && json.out.contains("\"status\":\"ok\"") && json.out.contains("\"source\":\"N0CALL\""))
        #expect(try Self.run(["decode", "--protocol", "same", wav]).status == 2)
        #expect(try Self.run(["decode", "--protocol", "nonsense", wav]).status == 1)
        #expect(try Self.run(["encode", "--protocol", "ax25", "--text", "no header", "-o", "\(dir)/b.wav"]).status == 1)
    }

    @Test func sameCallerIDAndUARTThroughTheCLI() throws {
        guard Self.binary != nil else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ss-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let header = "ZCZC-WXR-RWT-020103+0030-3650000-KEAX/NWS-"
        _ = try Self.run(["encode", "--protocol", "same", "--text", header, "-o", "\(dir)/s.wav", "--rate", "16000"])
        #expect(try Self.run(["decode", "--protocol", "same", "\(dir)/s.wav"]).out == header + "\n")
        let cid = "MDMF DATE=\"01020304\" NUMBER=\"5551234\" NAME=\"X\""
        _ = try Self.run(["encode", "--protocol", "callerid", "--text", cid, "-o", "\(dir)/c.wav", "--rate", "8000"])
        #expect(try Self.run(["decode", "--protocol", "callerid", "\(dir)/c.wav"]).out == cid + "\n")
        _ = try Self.run(["encode", "--protocol", "uart", "--baud", "300", "--tones", "1070,1270",
                          "--text", "bell 103", "-o", "\(dir)/u.wav"])
        #expect(try Self.run(["decode", "--protocol", "uart", "--baud", "300", "--tones", "1070,1270",
                              "\(dir)/u.wav"]).out == "bell 103")
    }
}
