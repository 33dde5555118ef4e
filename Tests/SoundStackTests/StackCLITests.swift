import Foundation
import TestSupport
import Testing

/// `soundstack http …`, `decode` of HTTP over IPv4/TCP, and `demo`, through the built executable.
@Suite struct StackCLITests {
    @Test(.enabled(if: SoundStackBinary.isAvailable)) func requestDecodesToTheExactMessageWithATraceBothWays() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let sent = try runCLI([
            "http", "request", "POST", "http://10.0.0.2:8080/api", "--json", #"{"a":1}"#,
            "-H", "X-Trace: 1", "-o", "\(dir.path)/req.wav", "--mode", "mfsk4-6000", "--trace"
        ])
        #expect(sent.status == 0)
        for layer in [
            "L7 Application", "L6 Presentation", "L5 Session", "L4 Transport", "L3 Network", "L2 Data link",
            "L1 Physical"
        ] {
            #expect(sent.stderr.contains(layer))
        }
        let got = try runCLI(["decode", "--ip", "10.0.0.2", "--trace", "\(dir.path)/req.wav"])
        #expect(got.status == 0)
        #expect(
            got.stdout
                == "POST /api HTTP/1.1\r\nHost: 10.0.0.2:8080\r\nX-Trace: 1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 7\r\n\r\n{\"a\":1}")
        #expect(got.stderr.contains("up the stack") && got.stderr.contains("L7 Application"))
        let reply = try runCLI([
            "http", "response", "--to", "\(dir.path)/req.wav", "--status", "201", "--json", #"{"id":7}"#,
            "-o", "\(dir.path)/resp.wav", "--mode", "mfsk4-6000"
        ])
        #expect(reply.status == 0)
        let answer = try runCLI(["decode", "--ip", "10.0.0.1", "\(dir.path)/resp.wav"])
        #expect(
            answer.status == 0 && answer.stdout.hasPrefix("HTTP/1.1 201 Created\r\n")
                && answer.stdout.hasSuffix(#"{"id":7}"#))
    }

    @Test(.enabled(if: SoundStackBinary.isAvailable && Tshark.isAvailable))
    func tsharkSeesIPv4TCPAndTheHTTPPostWithGoodChecksums() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        #expect(
            try runCLI([
                "http", "request", "POST", "http://10.0.0.2:8080/api", "--json", #"{"a":1}"#, "--plain",
                "-o", "\(dir.path)/req.wav", "--mode", "mfsk4-6000", "--pcap", "\(dir.path)/sent.pcapng"
            ]).status == 0)
        // The capture the receiver writes, from the audio.
        #expect(
            try runCLI(["decode", "--ip", "10.0.0.2", "--pcap", "\(dir.path)/heard.pcapng", "\(dir.path)/req.wav"])
                .status == 0)
        for file in ["sent", "heard"] {
            let v = try Tshark.run([
                "-r", "\(dir.path)/\(file).pcapng", "-o", "ip.check_checksum:TRUE",
                "-o", "tcp.check_checksum:TRUE", "-V"
            ])
            #expect(v.stdout.contains("Request Method: POST"))
            #expect(v.stdout.contains("[Member with value: a:1]"))
            #expect(v.stdout.components(separatedBy: "[Header checksum status: Good]").count == 4)
            #expect(v.stdout.components(separatedBy: "[Checksum Status: Good]").count == 4)
            #expect(!v.stdout.contains("Bad"))
        }
    }

    @Test(.enabled(if: SoundStackBinary.isAvailable)) func demoRunsTheWholeMission() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let demo = try runCLI(["demo", "--output-dir", dir.path, "--mode", "mfsk4-6000", "--ebn0", "14"])
        #expect(demo.status == 0)
        #expect(demo.stdout.contains("down the stack") && demo.stdout.contains("up the stack"))
        #expect(demo.stdout.contains("byte for byte identical"))
        #expect(FileManager.default.fileExists(atPath: "\(dir.path)/received.wav"))
    }
}
