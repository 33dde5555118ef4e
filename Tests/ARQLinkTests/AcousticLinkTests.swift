import ARQLink
import AudioIO
import ChannelSimulator
import Foundation
import L1Physical
import L2DataLink
import SoundStack
import TestSupport
import Testing

/// The ARQ engine end to end: messages through the real modulator, the channel simulator and the
/// real demodulator both ways, acknowledged and resent in audio time. Messages are small (a few
/// kB, MSS 256) so each test takes seconds in a debug build.
@Suite struct AcousticLinkTests {
    /// A link of small segments; uncoded unless `fec` says otherwise, so the tests of resends
    /// and timers meet the losses they are about.
    static func link(
        _ channel: String? = nil, window: Int = 4, rto: Double = 0.5, maxAudio: Double = 120,
        save: URL? = nil, fec: LinkFEC = .fixed(.none)
    ) throws -> AcousticLink {
        var phy = PhysicalConfig(mode: try #require(Mode.named("mfsk4-6000")))
        phy.leadSeconds = 0.05
        phy.gapSeconds = 0.01
        var configuration = AcousticLinkConfiguration(
            physical: phy, channel: try channel.map { try ChannelSpec.parse($0) }, mss: 256, window: window,
            retransmissionTimeout: rto, maxAudioSeconds: maxAudio, saveAudio: save)
        configuration.fec = fec
        return try AcousticLink(configuration)
    }

    /// Adaptive FEC: a channel where uncoded frames cannot cross carries the message exactly,
    /// the stations step up to a convolutional or turbo code, and a clean channel stays uncoded.
    @Test func forwardErrorCorrectionFollowsTheChannel() throws {
        let (clean, cleanReport) = try Self.link(fec: .adaptive).carry(Self.request, direction: .request, exchange: 1)
        #expect(clean == Self.request)
        #expect(cleanReport.fecFrames.keys.sorted() == ["none"])
        let noisy = "ebn0=6,seed=3"
        let (got, r) = try Self.link(noisy, fec: .adaptive).carry(Self.request, direction: .request, exchange: 1)
        #expect(got == Self.request)
        let strong = ["cc3/4", "cc2/3", "cc1/2", "turbo1/2", "turbo1/3"]
        #expect(r.fecFrames.keys.contains { strong.contains($0) }, "\(r.fecFrames)")
        #expect(r.fecSummary.contains("cc") || r.fecSummary.contains("turbo"))
        // The same channel without correction: the segments do not get through.
        #expect(throws: AcousticLinkError.self) {
            _ = try Self.link(noisy, maxAudio: 20).carry(Self.request, direction: .request, exchange: 1)
        }
    }

    @Test func theFECPolicySteps() throws {
        let mode = try #require(Mode.named("mfsk4-6000"))
        #expect(LinkFEC.policy(ebn0dB: 14, mode: mode) == .none)
        #expect(LinkFEC.policy(ebn0dB: 9, mode: mode) == .rs)
        #expect(LinkFEC.policy(ebn0dB: 7, mode: mode) == .cc34)
        #expect(LinkFEC.policy(ebn0dB: 6, mode: mode) == .cc23)
        #expect(LinkFEC.policy(ebn0dB: 4, mode: mode) == .turbo12)
    }

    static let request = (try? AcousticLink.samplePost(bodyBytes: 2500)) ?? []

    @Test func aCleanLinkDeliversExactlyWithNoResends() throws {
        let (got, r) = try Self.link().carry(Self.request, direction: .request, exchange: 1)
        #expect(got == Self.request)
        #expect(r.delivered)
        #expect(r.framesLost == 0 && r.framesResent == 0 && r.timeouts == 0 && r.ackFramesLost == 0)
        // SYN, the data segments (L5/L6 headers make the stream a little longer than the message), FIN.
        #expect(r.framesSent >= 2 + (Self.request.count + 255) / 256)
        // One answer per burst (the SYN alone, then bursts of at most 4), each with its ACK twice.
        let bursts = 1 + (r.framesSent - 1 + 3) / 4
        #expect(r.ackFramesSent == 2 * bursts)
        #expect(r.transmissions == 2 * bursts)
        #expect(r.audioSeconds > 0 && abs(r.goodput - Double(Self.request.count) / r.audioSeconds) < 1e-9)
    }

    /// The clean-channel goodput estimate is an upper bound a short message comes within reach of
    /// (its SYN, FIN and L5/L6 headers cost a round or two that the estimate leaves out).
    @Test func theGoodputEstimateBoundsACleanTransfer() throws {
        let link = try Self.link()
        let (_, r) = try link.carry(Self.request, direction: .request, exchange: 1)
        let estimate = link.configuration.estimatedGoodput
        #expect(r.goodput <= estimate * 1.05, "measured \(r.goodput) B/s, estimated \(estimate)")
        #expect(r.goodput >= estimate * 0.35, "measured \(r.goodput) B/s, estimated \(estimate)")
        let defaults = AcousticLinkConfiguration().estimatedGoodput
        #expect(defaults > 1000 && defaults < 1300, "\(defaults)")
    }

    @Test func theResponseGoesTheOtherWay() throws {
        var headers = [UInt8](
            "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n".utf8)
        headers += Array(#"{"id":42}"#.utf8)
        let (got, r) = try Self.link().carry(headers, direction: .response, exchange: 2)
        #expect(got == headers)
        #expect(r.direction == .response && r.exchange == 2)
    }

    @Test func framesLostInTheNoiseAreResentAndTheMessageArrivesExactly() throws {
        // Eb/N0 10 dB: about a third of the 300-byte frames fail their FCS at mfsk4-6000.
        let (got, r) = try Self.link("ebn0=10,seed=3").carry(Self.request, direction: .request, exchange: 1)
        #expect(got == Self.request)
        #expect(r.framesLost > 0)
        // Every copy lost was followed by another.
        #expect(r.framesResent >= r.framesLost)
    }

    @Test func theSegmentSizeFollowsTheChannel() throws {
        // At 9.5 dB 256-byte frames are lost often enough that new data goes in shorter segments.
        let (got, r) = try Self.link("ebn0=9.5,seed=4").carry(Self.request, direction: .request, exchange: 1)
        #expect(got == Self.request)
        let smallest = try #require(r.smallestSegment)
        #expect(smallest < 256 && smallest >= 128)
        // Off: every segment stays MSS long, and the report says so.
        var c = try Self.link("ebn0=9.5,seed=4").configuration
        c.minimumSegmentSize = nil
        let (again, fixed) = try AcousticLink(c).carry(Self.request, direction: .request, exchange: 1)
        #expect(again == Self.request)
        #expect(fixed.smallestSegment == nil)
        // A clean channel never shrinks it.
        #expect(try Self.link().carry(Self.request, direction: .request, exchange: 1).report.smallestSegment == 256)
    }

    @Test func oneAckCopyPerAnswerWhenAsked() throws {
        var c = try Self.link().configuration
        c.acknowledgmentCopies = 1
        let (_, r) = try AcousticLink(c).carry(Self.request, direction: .request, exchange: 1)
        #expect(r.ackFramesSent == r.transmissions / 2)
        c.acknowledgmentCopies = 0
        #expect(throws: AcousticLinkError.self) { try AcousticLink(c) }
    }

    @Test func lostAcknowledgementsFireTheTimer() throws {
        // At 9 dB even the short ACK frames are often lost; each lost one costs a timeout.
        let (got, r) = try Self.link("ebn0=9,seed=3").carry(Self.request, direction: .request, exchange: 1)
        #expect(got == Self.request)
        #expect(r.ackFramesLost > 0)
        #expect(r.timeouts >= r.ackFramesLost)
        // Each timeout waited: the audio clock holds at least the RTO for every one.
        #expect(r.audioSeconds > Double(r.timeouts) * 0.5)
    }

    @Test func aHopelessChannelGivesUpQuickly() throws {
        let start = Date()
        do {
            _ = try Self.link("ebn0=-10,seed=1", maxAudio: 300).carry(Self.request, direction: .request, exchange: 1)
            Issue.record("a channel at -10 dB delivered")
        } catch let AcousticLinkError.gaveUp(r, reason) {
            #expect(!r.delivered)
            #expect(r.audioSeconds >= 300)
            #expect(r.timeouts > 0 && r.goodput == 0)
            #expect(reason.contains("300 s"))
        }
        // The budget is audio seconds (checked above); the wall clock only catches a hang: about
        // 1.5 s alone and 2.3 s beside two busy cores in a debug build, so 60 s is far beyond it.
        #expect(Date().timeIntervalSince(start) < 60)
    }

    /// With a quota, saving stops at the first file pair that would go over it, the files on disk
    /// stay under it, and the notice comes once; the transfer itself is unaffected.
    @Test func savingStopsAtTheQuotaWithOneNotice() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("quota-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        final class Notices: @unchecked Sendable {
            let lock = NSLock()
            var lines: [String] = []
        }
        let notices = Notices()
        var phy = PhysicalConfig(mode: try #require(Mode.named("mfsk4-6000")))
        phy.leadSeconds = 0.05
        phy.gapSeconds = 0.01
        var configuration = AcousticLinkConfiguration(physical: phy, mss: 256, window: 4, saveAudio: dir)
        configuration.saveAudioQuotaBytes = 150_000
        configuration.saveAudioNotice = { line in notices.lock.withLock { notices.lines.append(line) } }
        let link = try AcousticLink(configuration)
        let (got, r) = try link.carry(Self.request, direction: .request, exchange: 1)
        let (_, r2) = try link.carry(Self.request, direction: .request, exchange: 2)
        #expect(got == Self.request && r.delivered && r2.delivered)
        #expect(!r.savedFiles.isEmpty)
        #expect(r.savedFiles.count < r.transmissions)
        #expect(r2.savedFiles.isEmpty)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(files.filter { $0.hasSuffix(".wav") }.count == r.savedFiles.count)
        let bytes = try files.reduce(0) { sum, name in
            let attributes = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(name).path)
            return sum + ((attributes[.size] as? Int) ?? 0)
        }
        #expect(bytes <= 150_000)
        let lines = notices.lock.withLock { notices.lines }
        #expect(lines.count == 1)
        #expect(lines.first?.contains("quota of 150000 bytes reached") == true)
    }

    @Test func savedTransmissionsHaveSidecarsAndDecodeToTheMessage() throws {
        let dir = try TemporaryDirectory(prefix: "ss-link")
        defer { dir.remove() }
        let link = try Self.link("ebn0=10,seed=5", save: dir.url)
        let (_, r) = try link.carry(Self.request, direction: .request, exchange: 7)
        #expect(r.savedFiles.count == r.transmissions)
        #expect(r.savedFiles.first?.hasSuffix("/0001-7-request-data.wav") == true)
        #expect(2 * r.savedFiles.filter { $0.hasSuffix("-ack.wav") }.count == r.ackFramesSent)
        #expect(r.savedFiles.allSatisfy { FileManager.default.fileExists(atPath: $0) })

        // Every data transmission the origin heard, decoded together as `soundstack decode` does.
        var rx = StackReceiver()
        let station = EthernetReceiver(address: StackEndpoints.defaultMAC(for: AcousticLink.origin.ip))
        var lostInFiles = 0
        for wav in r.savedFiles where wav.hasSuffix("-data.wav") {
            let sidecar = try JSONDecoder().decode(
                LinkTransmissionRecord.self,
                from: Data(contentsOf: URL(fileURLWithPath: wav.replacingOccurrences(of: ".wav", with: ".json"))))
            #expect(sidecar.kind == "data" && sidecar.exchange == 7 && sidecar.direction == .request)
            #expect(sidecar.senderIP == "10.0.0.1" && sidecar.receiverIP == "10.0.0.2" && sidecar.mode == "mfsk4-6000")
            #expect(sidecar.channel?.contains("ebn0=10db") == true && sidecar.channel?.contains("seed=5") == false)
            lostInFiles += sidecar.frames.filter { $0.status != "ok" }.count
            let audio = try AudioFile.read(path: wav)
            let reports = try StackLink.receive(
                audio.samples, sampleRate: Double(audio.sampleRate), modes: [try #require(Mode.named("mfsk4-6000"))],
                station: station, into: &rx)
            #expect(reports.filter(\.isOK).count == sidecar.frames.filter { $0.status == "ok" }.count)
        }
        #expect(lostInFiles == r.framesLost)
        let result = try #require(rx.finish().first)
        #expect(result.message == Self.request)
        // A second message numbers its files on.
        let (_, r2) = try link.carry(Array("HTTP/1.1 204 No Content\r\n\r\n".utf8), direction: .response, exchange: 7)
        #expect(
            r2.savedFiles.first?.hasSuffix("/\(String(format: "%04d", r.transmissions + 1))-7-response-data.wav")
                == true)
    }

    @Test func badConfigurationsAreRefused() throws {
        let mode = try #require(Mode.named("mfsk4-6000"))
        let bad: [AcousticLinkConfiguration] = [
            AcousticLinkConfiguration(mss: 10),
            AcousticLinkConfiguration(window: 0),
            AcousticLinkConfiguration(retransmissionTimeout: 0),
            AcousticLinkConfiguration(maxAudioSeconds: -.infinity),
            AcousticLinkConfiguration(physical: PhysicalConfig(mode: mode, sampleRate: 8000)),
            AcousticLinkConfiguration(channel: ChannelSpec(impairments: [.clockDrift(ppm: 1e6)])),
            AcousticLinkConfiguration(framing: .plain, compressionLevel: 6)
        ]
        for c in bad {
            #expect(throws: AcousticLinkError.self) { try AcousticLink(c) }
        }
        #expect(throws: AcousticLinkError.self) { try AcousticLink.samplePost(bodyBytes: 3) }
    }

    @Test func theFarSideDeliversOnlyWhatEveryLayerAccepts() throws {
        // Not an HTTP message: it crosses (TCP is satisfied), but the origin's layer 7 refuses it.
        do {
            _ = try Self.link().carry(Array(#"{"not":"http"}"#.utf8), direction: .request, exchange: 1)
            Issue.record("a message that is not HTTP was delivered")
        } catch let AcousticLinkError.gaveUp(r, reason) {
            #expect(!r.delivered && r.framesSent >= 3 && r.timeouts == 0)
            #expect(reason.contains("refused") && reason.contains("L7"))
        }
    }
}

@Suite struct AcousticLinkHEADTests {
    /// A response to HEAD announces a body it does not carry; the client's station reads it
    /// knowing the request it answers. Without the HEAD before it, the same bytes are refused.
    @Test func aResponseToHEADHasNoBody() throws {
        let head = Array("HEAD /page HTTP/1.1\r\nHost: 10.0.0.2\r\n\r\n".utf8)
        let response = Array("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1844\r\n\r\n".utf8)
        let link = try AcousticLinkTests.link()
        #expect(try link.carry(head, direction: .request, exchange: 1).delivered == head)
        #expect(try link.carry(response, direction: .response, exchange: 1).delivered == response)
        // Exchange 2 never sent a HEAD: the response is cut short by 1844 bytes.
        #expect(throws: AcousticLinkError.self) { try link.carry(response, direction: .response, exchange: 2) }
    }
}

/// How messages share the medium: side by side on the simulated channel, one at a time when
/// asked or when audio is saved.
@Suite struct AcousticLinkSharingTests {
    @Test func messagesCrossSideBySideUnlessTheMediumIsOne() throws {
        var configuration = AcousticLinkConfiguration()
        let shared = try AcousticLink(configuration)
        #expect(!shared.crossesOneAtATime)
        configuration.oneMessageAtATime = true
        let asked = try AcousticLink(configuration)
        #expect(asked.crossesOneAtATime)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        configuration.oneMessageAtATime = false
        configuration.saveAudio = dir.url
        let saving = try AcousticLink(configuration)
        #expect(saving.crossesOneAtATime)
    }

    /// Four exchanges crossing a noisy link at once meet the same channel as each alone: each
    /// transmission's noise comes from its own seed, so the reports are the same either way.
    @Test func sideBySideCrossingsAreTheSameAsAlone() async throws {
        let link = try AcousticLinkTests.link("ebn0=9,seed=4")
        let exchanges = Array(1...4)
        var alone: [Int: LinkTransferReport] = [:]
        for exchange in exchanges {
            alone[exchange] = try link.carry(AcousticLinkTests.request, direction: .request, exchange: exchange).report
        }
        let together = try await withThrowingTaskGroup(of: (Int, [UInt8], LinkTransferReport).self) { group in
            for exchange in exchanges {
                group.addTask {
                    let (got, report) = try link.carry(
                        AcousticLinkTests.request, direction: .request, exchange: exchange)
                    return (exchange, got, report)
                }
            }
            var all: [(Int, [UInt8], LinkTransferReport)] = []
            for try await one in group { all.append(one) }
            return all
        }
        #expect(together.count == 4)
        for (exchange, got, report) in together {
            #expect(got == AcousticLinkTests.request)
            #expect(report == alone[exchange])
        }
        #expect(alone.values.contains { $0.framesLost > 0 })
    }
}
