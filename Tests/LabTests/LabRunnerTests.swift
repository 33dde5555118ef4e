import Foundation
import Testing

@testable import Lab

@Suite struct LabRunnerTests {
    let runner = LabRunner()

    @Test func theWorkedExampleShowsAFrameCaughtAtLayerTwoAndTheResendThatMendsIt() throws {
        let result = try runner.send(.example)
        let first = try #require(result.rounds.first)
        #expect(first.frames.contains { $0.status == "fcs-mismatch" && !$0.ok && !$0.reason.isEmpty })
        #expect(first.frames.contains { $0.ok })
        #expect(result.rounds.count >= 2)
        #expect(result.delivered.ok && result.delivered.identical == true)
        #expect(result.delivered.text == LabRequest.example.text)
        let l2 = try #require(result.layers.first { $0.layer == 2 })
        #expect(l2.status == "failed" && (l2.error ?? "").contains("FCS"))
        #expect(result.layers.map(\.layer) == [7, 6, 5, 4, 3, 2, 1])
        #expect(result.layers.filter { $0.layer >= 3 }.allSatisfy { $0.status == "ok" })
        #expect(result.plots.spectrogram.hasPrefix("<svg") || result.plots.spectrogram.contains("<svg"))
        #expect(result.plots.demod.contains("<svg"))
        let wav = try #require(Data(base64Encoded: result.audio.received))
        #expect(wav.count == 44 + Int(result.audio.seconds * Double(result.audio.sampleRate)) * 2)
        #expect(String(decoding: wav.prefix(4), as: UTF8.self) == "RIFF")
    }

    @Test func withoutNoiseEveryFrameAndLayerPasses() throws {
        var request = LabRequest(text: "quiet channel")
        request.ebn0 = nil
        let result = try runner.send(request)
        #expect(result.rounds.count == 1)
        #expect(result.rounds[0].frames.allSatisfy { $0.ok })
        #expect(result.layers.allSatisfy { $0.status == "ok" })
        #expect(result.delivered.identical == true)
        #expect(!result.channel.contains("ebn0"))
    }

    @Test func drownedFramesAreReportedAndNothingWrongIsDelivered() throws {
        var request = LabRequest(text: "lost in the noise, and said so")
        request.ebn0 = 2
        request.resends = 0
        let result = try runner.send(request)
        #expect(!result.delivered.ok)
        #expect(result.delivered.text.isEmpty && result.delivered.error != nil)
        #expect(result.layers.contains { $0.status == "failed" })
        #expect(result.layers.first { $0.layer == 7 }?.status == "not reached")
    }

    @Test func anHTTPRequestGoesUpToLayerSeven() throws {
        var request = LabRequest(kind: .http)
        request.http = .init(
            method: "post", url: "http://10.0.0.2:8080/api/notes", headers: [["X-Class", "networks"]], body: "hello")
        request.ebn0 = 20
        let result = try runner.send(request)
        #expect(result.delivered.identical == true)
        #expect(result.delivered.text.hasPrefix("POST /api/notes HTTP/1.1\n"))
        #expect(result.delivered.text.contains("X-Class: networks"))
        #expect(result.layers.first?.protocol.contains("HTTP") == true)
    }

    @Test(arguments: ["mode", "lineCode", "fec", "drift", "ebn0", "resends", "dropouts", "text"])
    func badFieldsAreNamed(field: String) {
        var request = LabRequest(text: "x")
        switch field {
        case "mode": request.mode = "fsk9999"
        case "lineCode": request.lineCode = "morse"
        case "fec": request.fec = "magic"
        case "drift": request.drift = 1e9
        case "ebn0": request.ebn0 = .nan
        case "resends": request.resends = 11
        case "dropouts": request.dropouts = -1
        default: request.text = ""
        }
        #expect(throws: LabError.self) { try runner.send(request) }
        do { _ = try runner.send(request) } catch { #expect(error.description.hasPrefix(field)) }
    }

    @Test func aMessageOverTheLimitIsRefusedBeforeAnyWork() {
        let request = LabRequest(text: String(repeating: "a", count: LabLimits().textBytes + 1))
        #expect(throws: LabError.tooLarge("the message is 4001 bytes; the lab sends at most 4000")) {
            try runner.send(request)
        }
    }

    @Test func theRequestJSONKeepsAnExplicitNullAsNoNoise() throws {
        let noNoise = try JSONDecoder().decode(
            LabRequest.self, from: Data(#"{"kind":"text","text":"a","ebn0":null}"#.utf8))
        #expect(noNoise.ebn0 == nil)
        let defaults = try JSONDecoder().decode(LabRequest.self, from: Data(#"{"kind":"text","text":"a"}"#.utf8))
        #expect(defaults == LabRequest(text: "a"))
        let again = try JSONDecoder().decode(LabRequest.self, from: JSONEncoder().encode(LabRequest.example))
        #expect(again == .example)
    }

    @Test func anUploadedRecordingDecodesWithTheCLIsDecoder() throws {
        var request = LabRequest(text: "recorded, then uploaded")
        request.ebn0 = nil
        let sent = try runner.send(request)
        let clean = try #require(sent.audio.clean)
        let wav = try #require(Data(base64Encoded: clean))
        for mode in [nil, "fsk1200"] as [String?] {
            let heard = try runner.decode(recording: Array(wav), mode: mode)
            #expect(heard.sent == nil)
            #expect(heard.delivered.text.hasSuffix("\n\nrecorded, then uploaded"))
            #expect(heard.rounds[0].frames.count == sent.rounds[0].frames.count)
            #expect(heard.rounds[0].frames.allSatisfy { $0.ok && $0.mode == "fsk1200" })
        }
    }

    @Test func uploadsThatAreNotAudioOrTooLongAreRefused() throws {
        #expect(throws: LabError.self) { try runner.decode(recording: Array("not a recording at all".utf8)) }
        #expect(throws: LabError.notAudio("the file is empty")) { try runner.decode(recording: []) }
        var small = LabLimits()
        small.uploadSeconds = 0.5
        let long = LabWAV.bytes([Float](repeating: 0, count: 48000), sampleRate: 48000)
        #expect(throws: LabError.self) { try LabRunner(limits: small).decode(recording: long) }
        do { _ = try LabRunner(limits: small).decode(recording: long) } catch {
            guard case .tooLarge = error else { Issue.record("wanted tooLarge, got \(error)"); return }
        }
        #expect(throws: LabError.self) { try runner.decode(recording: long, mode: "nope") }
    }
}
