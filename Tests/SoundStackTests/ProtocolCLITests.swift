import Foundation
import TestSupport
import Testing

/// `soundstack encode/decode --protocol …` end to end, through the built executable.
@Suite struct ProtocolCLITests {
    @Test(.enabled(if: SoundStackBinary.isAvailable)) func ax25EncodeDecodeJSONAndExitCodes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let wav = dir.path("a.wav")
        #expect(
            try runCLI(["encode", "--protocol", "ax25", "--text", "N0CALL>APRS,WIDE1-1:hello", "-o", wav]).status == 0)
        let plain = try runCLI(["decode", "--protocol", "ax25", wav])
        #expect(plain.status == 0 && plain.stdout == "N0CALL>APRS,WIDE1-1:hello\n")
        let json = try runCLI(["decode", "--protocol", "auto", "--json", wav])
        #expect(
            json.stdout.hasPrefix("{\"time\":") && json.stdout.contains("\"protocol\":\"ax25\"")
                && json.stdout.contains("\"status\":\"ok\"") && json.stdout.contains("\"source\":\"N0CALL\""))
        #expect(try runCLI(["decode", "--protocol", "same", wav]).status == 2)
        #expect(try runCLI(["decode", "--protocol", "nonsense", wav]).status == 1)
        #expect(
            try runCLI(["encode", "--protocol", "ax25", "--text", "no header", "-o", "\(dir.path)/b.wav"]).status == 1)
    }

    /// `--fx25` sends FX.25 that `decode --protocol ax25` reads without a flag; only 16/32/64, only AX.25.
    @Test(.enabled(if: SoundStackBinary.isAvailable)) func fx25EncodeDecode() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let wav = dir.path("fx.wav")
        let line = "N0CALL>APRS,WIDE1-1:hello FX.25"
        let sent = try runCLI(["encode", "--protocol", "ax25", "--fx25", "32", "--text", line, "-o", wav])
        #expect(sent.status == 0 && sent.stderr.contains("1 FX.25 frame (32 check bytes)"), "\(sent.stderr)")
        #expect(try runCLI(["decode", "--protocol", "ax25", wav]).stdout == line + "\n")
        #expect(try runCLI(["encode", "--protocol", "ax25", "--fx25", "20", "--text", line, "-o", wav]).status != 0)
        #expect(try runCLI(["encode", "--protocol", "uart", "--fx25", "16", "--text", "x", "-o", wav]).status == 1)
        #expect(try runCLI(["encode", "--help"]).stdout.contains("--fx25"))
    }

    @Test(.enabled(if: SoundStackBinary.isAvailable)) func sameCallerIDAndUARTThroughTheCLI() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let header = "ZCZC-WXR-RWT-020103+0030-3650000-KEAX/NWS-"
        _ = try runCLI(["encode", "--protocol", "same", "--text", header, "-o", "\(dir.path)/s.wav", "--rate", "16000"])
        #expect(try runCLI(["decode", "--protocol", "same", "\(dir.path)/s.wav"]).stdout == header + "\n")
        let cid = "MDMF DATE=\"01020304\" NUMBER=\"5551234\" NAME=\"X\""
        _ = try runCLI(["encode", "--protocol", "callerid", "--text", cid, "-o", "\(dir.path)/c.wav", "--rate", "8000"])
        #expect(try runCLI(["decode", "--protocol", "callerid", "\(dir.path)/c.wav"]).stdout == cid + "\n")
        _ = try runCLI([
            "encode", "--protocol", "uart", "--baud", "300", "--tones", "1070,1270",
            "--text", "bell 103", "-o", "\(dir.path)/u.wav"
        ])
        #expect(
            try runCLI([
                "decode", "--protocol", "uart", "--baud", "300", "--tones", "1070,1270",
                "\(dir.path)/u.wav"
            ]).stdout == "bell 103")
    }
}
