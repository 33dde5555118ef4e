import Foundation
import L2DataLink
import L6Presentation
import L7Application
import SoundStack
import TestSupport
import Testing

/// `scripts/wireshark/soundstack.lua` through the real tshark: osi-framed captures (S5 SPDUs around
/// the P6 header) show the SPDUs, the P6 header and, through Wireshark's own HTTP dissector, the POST.
@Suite struct WiresharkLuaTests {
    /// tshark is there and was built with Lua (`tshark -v` says so).
    static let available: Bool = {
        guard Tshark.isAvailable, let v = try? Tshark.run(["-v"], timeLimit: 60) else { return false }
        return v.stdout.contains("Lua")
    }()

    /// The dissector, found from this file: Tests/SoundStackTests/ → the repository root.
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/wireshark/soundstack.lua").path

    /// Writes `frames` to a pcapng and returns `tshark -V` of it, checksums checked, with the
    /// dissector loaded (or not).
    static func dissect(_ frames: [[UInt8]], lua: Bool = true) throws -> TsharkOutput {
        var w = PcapNGWriter()
        for (i, f) in frames.enumerated() { w.append(frame: f, timestamp: UInt64(i) * 100_000) }
        let dir = try TemporaryDirectory(prefix: "ss-wslua")
        defer { dir.remove() }
        let file = dir.path("capture.pcapng")
        try w.write(toFile: file)
        let args =
            (lua ? ["-X", "lua_script:\(script)"] : [])
            + ["-r", file, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-V"]
        let r = try Tshark.run(args, timeLimit: 60)
        #expect(r.status == 0, "tshark: \(r.stderr)")
        #expect(!r.stderr.contains("Lua"), "the dissector failed to load: \(r.stderr)")
        #expect(!r.stdout.contains("Lua Error"), "the dissector raised an error")
        return TsharkOutput(text: r.stdout)
    }

    static func count(_ text: TsharkOutput, _ needle: String) -> Int {
        text.text.components(separatedBy: needle).count - 1
    }

    /// The S5 SPDUs the plan put in the TCP stream.
    static func spduCount(_ plan: StackPlan) -> Int { plan.trace.records.first { $0.layer == 5 }?.units ?? 0 }

    /// The L6 bytes (P6 header and body) the session carries.
    static func sessionMessageLength(_ plan: StackPlan) -> Int {
        plan.trace.records.first { $0.layer == 6 }?.bytesOut ?? 0
    }

    @Test(.enabled(if: available, "needs tshark built with Lua"))
    func smallPostShowsTheSPDUsTheP6HeaderAndTheHTTPPost() throws {
        let plan = try StackTransmitter(endpoints: stackClient).plan(message: try stackRequest())
        #expect(plan.frames.count == 3)  // SYN, data, FIN
        let v = try Self.dissect(plan.frames)
        #expect(v.contains("SoundStack Session (S5), OPEN 1 units"))
        #expect(v.contains("SoundStack Session (S5), DATA #0"))
        #expect(Self.count(v, "[SPDU CRC status: Good (1)]") == Self.spduCount(plan))
        #expect(Self.spduCount(plan) == 4)  // OPEN, DATA, CHECKPOINT, CLOSE
        #expect(Self.count(v, "[Content CRC status: Good (1)]") == 2)  // CHECKPOINT and CLOSE
        #expect(v.contains("SoundStack Presentation (P6)") && v.contains("[P6 header CRC status: Good (1)]"))
        #expect(v.contains("Compression: none (0)") && v.contains("Cipher: none (0)"))
        #expect(v.contains("POST /api HTTP/1.1\\r\\n") && v.contains("Request Method: POST"))
        #expect(v.contains("X-Trace: 1\\r\\n"))
        #expect(v.contains("[Member with value: a:1]") && v.contains("[Member with value: name:ada]"))
        #expect(Self.count(v, "[Header checksum status: Good]") == 3)  // IPv4, one per frame
        #expect(Self.count(v, "[Checksum Status: Good]") == 3)  // TCP
        #expect(!v.contains("Bad"))
        // Without the dissector tshark sees TCP payload, not the POST: the script is what shows it.
        #expect(!(try Self.dissect(plan.frames, lua: false)).contains("Request Method: POST"))
    }

    @Test(.enabled(if: available, "needs tshark built with Lua"))
    func twentyKilobyteBodyIsReassembledFromUnitsSplitAcrossSegments() throws {
        let items = (0..<450).map { #"{"id":\#($0),"text":"item \#($0) of the long body"}"# }
        let json = #"{"items":["# + items.joined(separator: ",") + "]}"
        #expect(json.utf8.count > 20_000)
        let message = try stackRequest(json)
        let plan = try StackTransmitter(endpoints: stackClient).plan(message: message)
        #expect(plan.frames.count > 16)
        let v = try Self.dissect(plan.frames)
        #expect(v.contains("Reassembled TCP Segments"))  // SPDUs split across segments
        #expect(Self.count(v, "[SPDU CRC status: Good (1)]") == Self.spduCount(plan))
        let l6 = Self.sessionMessageLength(plan)
        #expect(v.contains("Message: \((l6 + 1023) / 1024) DATA units, \(l6) B"))
        #expect(v.contains("Content-Length: \(json.utf8.count)\\r\\n"))
        #expect(v.contains("File Data: \(json.utf8.count) bytes"))
        #expect(v.contains("[Member with value: id:0]") && v.contains("[Member with value: id:449]"))
        #expect(Self.count(v, "[Header checksum status: Good]") == plan.frames.count)
        #expect(Self.count(v, "[Checksum Status: Good]") == plan.frames.count)
        #expect(!v.contains("Bad"))
    }

    /// The script takes the HTTP ports: plain HTTP on them still goes to Wireshark's HTTP
    /// dissector, reassembly across segments included.
    @Test(.enabled(if: available, "needs tshark built with Lua"))
    func plainHTTPOnTheSamePortStillReachesTheHTTPDissector() throws {
        let json = #"{"items":["# + (0..<200).map { #"{"id":\#($0)}"# }.joined(separator: ",") + "]}"
        let plan = try StackTransmitter(endpoints: stackClient, options: StackOptions(framing: .plain))
            .plan(message: try stackRequest(json))
        #expect(plan.frames.count > 3)
        let v = try Self.dissect(plan.frames)
        #expect(!v.contains("SoundStack Session (S5)"))
        #expect(v.contains("Request Method: POST") && v.contains("File Data: \(json.utf8.count) bytes"))
        #expect(v.contains("[Member with value: id:199]"))
        #expect(!v.contains("Bad"))
    }

    @Test(.enabled(if: available, "needs tshark built with Lua"))
    func deflatedContentIsInflatedAndShown() throws {
        let json = #"{"log":["# + Array(repeating: #""all quiet on the link""#, count: 60).joined(separator: ",") + "]}"
        let message = try stackRequest(json)
        let plan = try StackTransmitter(endpoints: stackClient, options: StackOptions(compressionLevel: 6)).plan(
            message: message)
        #expect(plan.stream.count < message.count)  // it did compress
        let v = try Self.dissect(plan.frames)
        #expect(v.contains("Compression: deflate (zlib, RFC 1950) (1)"))
        #expect(v.contains("[Inflated length: \(message.count)]"))
        #expect(v.contains("Request Method: POST") && v.contains("File Data: \(json.utf8.count) bytes"))
        #expect(Self.count(v, "String value: all quiet on the link") == 60)
        #expect(!v.contains("Bad"))
    }

    @Test(.enabled(if: available, "needs tshark built with Lua"))
    func encryptedContentIsShownAsEncrypted() throws {
        let options = StackOptions(passphrase: "correct horse", scrypt: try ScryptParameters(log2N: 10, r: 8, p: 1))
        let plan = try StackTransmitter(endpoints: stackClient, options: options).plan(message: try stackRequest())
        let v = try Self.dissect(plan.frames)
        #expect(v.contains("Cipher: ChaCha20-Poly1305 (1)") && v.contains("KDF: scrypt (1)"))
        #expect(v.contains("Encrypted: encrypted (ChaCha20-Poly1305), key needed"))
        #expect(v.contains("Authentication tag:"))
        #expect(v.contains("[P6 header CRC status: Good (1)]"))
        #expect(!v.contains("Request Method"))
        #expect(!v.contains("Bad"))
    }

    @Test(.enabled(if: available, "needs tshark built with Lua"))
    func damagedSPDUShowsCRCBadAndNoMessage() throws {
        let tx = StackTransmitter(endpoints: stackClient)
        var plan = try tx.plan(message: try stackRequest())
        // One bit of the DATA unit's payload (OPEN is 40 bytes, DATA's header 40 more), TCP and IP
        // checksums recomputed: only the S5 CRC can see it.
        plan.segments[1].payload[100] ^= 0x01
        var trace = StackTrace()
        let frames = try tx.lowerLayers(plan.segments, streamLength: plan.stream.count, trace: &trace)
        let v = try Self.dissect(frames)
        #expect(v.contains("DATA #0 \(Self.sessionMessageLength(plan)) B [CRC bad]"))
        #expect(Self.count(v, "[SPDU CRC status: Bad (0)]") == 1)
        #expect(v.contains("[incorrect, should be 0x"))
        #expect(v.contains("Expert Info (Error/Checksum): S5 SPDU CRC-32 bad"))
        #expect(Self.count(v, "[Checksum Status: Good]") == 3)  // TCP is fine
        #expect(!v.contains("Request Method"))  // the damaged unit is not used
        #expect(v.contains("[Content CRC status: Unverified (2)]"))
    }
}

/// tshark's `-V` text; a failed expectation names its size rather than printing all of it.
struct TsharkOutput: CustomTestStringConvertible {
    var text: String
    func contains(_ s: String) -> Bool { text.contains(s) }
    var testDescription: String { "tshark -V output (\(text.split(separator: "\n").count) lines)" }
}
