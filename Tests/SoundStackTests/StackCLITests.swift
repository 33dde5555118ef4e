import Foundation
import Testing

/// `soundstack http …`, `decode` of HTTP over IPv4/TCP, and `demo`, through the built executable.
@Suite struct StackCLITests {
    static func run(_ path: String, _ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    static func cli(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        guard let bin = ProtocolCLITests.binary else { return (-1, "", "") }
        return try run(bin, args)
    }

    static func tempDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ss-stack-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func requestDecodesToTheExactMessageWithATraceBothWays() throws {
        guard ProtocolCLITests.binary != nil else { return }
        let dir = try Self.tempDir()
        let sent = try Self.cli(["http", "request", "POST", "http://10.0.0.2:8080/api", "--json", #"{"a":1}"#,
                                 "-H", "X-Trace: 1", "-o", "\(dir)/req.wav", "--mode", "mfsk4-6000", "--trace"])
        #expect(sent.status == 0)
        for layer in ["L7 Application", "L6 Presentation", "L5 Session", "L4 Transport", "L3 Network", "L2 Data link", "L1 Physical"] {
            #expect(sent.err.contains(layer))
        }
        let got = try Self.cli(["decode", "--ip", "10.0.0.2", "--trace", "\(dir)/req.wav"])
        #expect(got.status == 0)
        #expect(got.out == "POST /api HTTP/1.1\r\nHost: 10.0.0.2:8080\r\nX-Trace: 1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 7\r\n\r\n{\"a\":1}")
        #expect(got.err.contains("up the stack") && got.err.contains("L7 Application"))
        let reply = try Self.cli(["http", "response", "--to", "\(dir)/req.wav", "--status", "201", "--json", #"{"id":7}"#,
                                  "-o", "\(dir)/resp.wav", "--mode", "mfsk4-6000"])
        #expect(reply.status == 0)
        let answer = try Self.cli(["decode", "--ip", "10.0.0.1", "\(dir)/resp.wav"])
        #expect(answer.status == 0 && answer.out.hasPrefix("HTTP/1.1 201 Created\r\n") && answer.out.hasSuffix(#"{"id":7}"#))
    }

    @Test func tsharkSeesIPv4TCPAndTheHTTPPostWithGoodChecksums() throws {
        let tshark = "/usr/bin/tshark"
        guard ProtocolCLITests.binary != nil, FileManager.default.isExecutableFile(atPath: tshark) else { return }
        let dir = try Self.tempDir()
        #expect(try Self.cli(["http", "request", "POST", "http://10.0.0.2:8080/api", "--json", #"{"a":1}"#, "--plain",
                              "-o", "\(dir)/req.wav", "--mode", "mfsk4-6000", "--pcap", "\(dir)/sent.pcapng"]).status == 0)
        // The capture the receiver writes, from the audio.
        #expect(try Self.cli(["decode", "--ip", "10.0.0.2", "--pcap", "\(dir)/heard.pcapng", "\(dir)/req.wav"]).status == 0)
        for file in ["sent", "heard"] {
            let v = try Self.run(tshark, ["-r", "\(dir)/\(file).pcapng", "-o", "ip.check_checksum:TRUE",
                                          "-o", "tcp.check_checksum:TRUE", "-V"])
            #expect(v.out.contains("Request Method: POST"))
            #expect(v.out.contains("[Member with value: a:1]"))
            #expect(v.out.components(separatedBy: "[Header checksum status: Good]").count == 4)
            #expect(v.out.components(separatedBy: "[Checksum Status: Good]").count == 4)
            #expect(!v.out.contains("Bad"))
        }
    }

    @Test func demoRunsTheWholeMission() throws {
        guard ProtocolCLITests.binary != nil else { return }
        let dir = try Self.tempDir()
        let demo = try Self.cli(["demo", "--output-dir", dir, "--mode", "mfsk4-6000", "--ebn0", "14"])
        #expect(demo.status == 0)
        #expect(demo.out.contains("down the stack") && demo.out.contains("up the stack"))
        #expect(demo.out.contains("byte for byte identical"))
        #expect(FileManager.default.fileExists(atPath: "\(dir)/received.wav"))
    }
}
