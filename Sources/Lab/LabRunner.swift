import AudioIO
import ChannelSimulator
import Foundation
import L1Physical
import L2DataLink
import L3Network
import L7Application
import Plots
import SoundStack

/// The lab's work, without a server: send a message down the stack, through the channel and up
/// again (resending what was lost), or decode an uploaded recording, and describe what happened.
///
/// ```swift
/// let runner = LabRunner()
/// let result = try runner.send(LabRequest.example)
/// result.rounds[0].frames.map(\.status)   // e.g. ["ok", "fcs-mismatch", "ok"]
/// result.delivered.identical              // true once a resend brought the lost bytes
/// ```
public struct LabRunner: Sendable {
    /// The worked example's noise: enough that a frame of the first transmission fails its FCS.
    public static let exampleEbN0 = 12.0
    /// The worked example's noise seed.
    public static let exampleSeed: UInt64 = 6

    /// The bounds requests are held to.
    public var limits: LabLimits

    /// A runner holding requests to `limits`.
    public init(limits: LabLimits = LabLimits()) { self.limits = limits }

    /// The modes, line codes, FEC schemes, limits and the worked example.
    public func options() -> LabOptions {
        LabOptions(
            modes: Mode.all.map { .init(name: $0.name, summary: $0.summary, bitRate: $0.bitRate) },
            lineCodes: LineCode.allCases.map(\.rawValue), fec: FECScheme.allCases.map(\.name), limits: limits,
            example: .example)
    }

    /// The sending station and the receiving one.
    static let endpoints: StackEndpoints = {
        let client = IPv4Address(10, 0, 0, 1), server = IPv4Address(10, 0, 0, 2)
        return StackEndpoints(
            sourceMAC: StackEndpoints.defaultMAC(for: client), destinationMAC: StackEndpoints.defaultMAC(for: server),
            sourceIP: client, destinationIP: server, sourcePort: 49152, destinationPort: 8080)
    }()

    /// Segments are kept small so a short message makes several frames, and one lost frame
    /// costs one short resend.
    static let mss = 128

    /// Sends `request` down the stack, through its channel and up again.
    /// - Throws: ``LabError`` for a bad field or a message over the limit.
    public func send(_ request: LabRequest) throws(LabError) -> LabResult {
        let message = try Self.message(of: request, limit: limits.textBytes)
        let config = try request.physical()
        let spec = try request.channel(bitRate: config.mode.bitRate)
        let ends = Self.endpoints
        let tx = StackTransmitter(endpoints: ends, options: StackOptions(mss: Self.mss))
        let station = EthernetReceiver(address: ends.destinationMAC)
        let rate = config.sampleRate
        do {
            let plan = try tx.plan(message: message)
            var clean: [Float] = []
            let sent = try tx.transmit(plan.frames, physical: config) { clean += $0 }
            var down = plan.trace
            down.append(sent.record)

            var heard: [Float] = []
            var rounds: [LabResult.Round] = []
            var reports: [LinkFrameReport] = []
            var rx = StackReceiver()
            func carry(_ audio: [Float], round: Int, what: String) throws {
                var impaired = spec
                impaired.seed = spec.seed &+ UInt64(round)
                let noisy = try ChannelSimulator.apply(impaired, to: audio, sampleRate: rate).output
                let found = try StackLink.receive(
                    noisy, sampleRate: Double(rate), modes: [config.mode], lineCode: config.lineCode,
                    station: station, into: &rx)
                reports += found
                rounds.append(.init(round: round, what: what, frames: Self.frames(found)))
                if !heard.isEmpty { heard += [Float](repeating: 0, count: rate / 4) }
                heard += noisy
            }
            try carry(clean, round: 0, what: "first transmission: \(plan.frames.count) frames")
            let firstRound = heard
            var results = rx.finish()

            // The sender's own recording tells it which segments it sent; the receiver's
            // gaps, which of them to send again.
            var senderSide = StackReceiver()
            _ = try StackLink.receive(
                clean, sampleRate: Double(rate), modes: [config.mode], lineCode: config.lineCode,
                station: station, into: &senderSide)
            let own = senderSide.finish().first
            var round = 0
            while round < request.resends, results.first?.message == nil, let own,
                let again = try StackResend.plan(sent: own, heard: results.first)
            {
                round += 1
                var trace = StackTrace()
                let frames = try StackTransmitter(endpoints: again.endpoints, options: again.options)
                    .lowerLayers(again.segments, streamLength: 0, trace: &trace)
                var resend: [Float] = []
                _ = try tx.transmit(frames, physical: config) { resend += $0 }
                let gaps = again.missing.map { "bytes \($0.lowerBound)..<\($0.upperBound)" }
                try carry(
                    resend, round: round,
                    what: "resend: the receiver lacked "
                        + (gaps.isEmpty ? "the connection's SYN or FIN" : gaps.joined(separator: ", "))
                        + "; \(LabLayers.frames(frames.count)) sent again")
                results = rx.finish()
            }

            let result = results.first
            let got = result?.message
            // A text is shown as the body it was; an HTTP request whole.
            let shown = got.map { request.kind == .text ? Self.body(of: $0) : $0 }
            let delivered = LabResult.Delivered(
                ok: got != nil, identical: got.map { $0 == message }, bytes: shown?.count ?? 0,
                text: shown.map(Self.text) ?? "",
                error: got == nil
                    ? (result?.error?.description ?? "no frame of the message passed layer 2's check (FCS)") : nil)
            let seconds = Double(heard.count) / Double(rate)
            return LabResult(
                sent: .init(
                    bytes: message.count, text: Self.text(message), frames: plan.frames.count,
                    seconds: Double(clean.count) / Double(rate)),
                channel: spec.description,
                audio: .init(
                    received: LabWAV.base64(heard, sampleRate: rate), clean: LabWAV.base64(clean, sampleRate: rate),
                    sampleRate: rate, seconds: seconds),
                plots: Self.plots(firstRound, sampleRate: rate, mode: config.mode, lineCode: config.lineCode, rounds),
                rounds: rounds, delivered: delivered,
                layers: LabLayers.describe(down: down, up: result, reports: reports, delivered: got != nil))
        } catch let error as LabError {
            throw error
        } catch {
            throw .failed("the stack could not send it: \(error)")
        }
    }

    /// The bytes a request sends.
    static func message(of request: LabRequest, limit: Int) throws(LabError) -> [UInt8] {
        let bytes: [UInt8]
        switch request.kind {
        case .text:
            // Layer 7 is HTTP: a text goes as the body of a POST, as a chat message would.
            guard let text = request.text, !text.isEmpty else { throw .badField("text", "the message is empty") }
            guard text.utf8.count <= limit else {
                throw .tooLarge("the message is \(text.utf8.count) bytes; the lab sends at most \(limit)")
            }
            do {
                bytes = try HTTPRequest(
                    .post, url: "http://10.0.0.2:8080/messages", data: Array(text.utf8),
                    contentType: "text/plain; charset=utf-8"
                ).serialize()
            } catch {
                throw .failed("the message could not be put in a request: \(error)")
            }
        case .http:
            guard let form = request.http else { throw .badField("http", "no request given") }
            guard let method = HTTPMethod(rawValue: form.method.uppercased()) else {
                throw .badField("http.method", "\"\(form.method)\" is not an HTTP method")
            }
            do {
                var headers = HTTPHeaders()
                for pair in form.headers {
                    guard pair.count == 2 else {
                        throw LabError.badField("http.headers", "each header is [name, value]")
                    }
                    try headers.add(name: pair[0], value: pair[1])
                }
                let request =
                    form.body.isEmpty
                    ? try HTTPRequest(method, url: form.url, headers: headers)
                    : try HTTPRequest(
                        method, url: form.url, data: Array(form.body.utf8), contentType: "text/plain; charset=utf-8",
                        headers: headers)
                bytes = request.serialize()
            } catch let error as LabError {
                throw error
            } catch {
                throw .badField("http", "\(error)")
            }
        }
        guard bytes.count <= limit else {
            throw .tooLarge("the message is \(bytes.count) bytes; the lab sends at most \(limit)")
        }
        return bytes
    }

    /// The body of an HTTP message framed by Content-Length (what follows the blank line).
    static func body(of message: [UInt8]) -> [UInt8] {
        let blank: [UInt8] = [13, 10, 13, 10]
        guard message.count >= 4 else { return message }
        for i in 0...(message.count - 4) where message[i..<(i + 4)].elementsEqual(blank) {
            return Array(message[(i + 4)...])
        }
        return message
    }

    /// Bytes as text for the page: UTF-8 (invalid sequences replaced), CRLF as LF.
    static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// The page's view of frames found.
    static func frames(_ reports: [LinkFrameReport]) -> [LabResult.Frame] {
        reports.enumerated().map { i, r in
            let f = r.phy.frame
            return LabResult.Frame(
                index: i + 1, start: f.startTime, end: f.endTime, mode: r.phy.mode.name, ok: r.isOK,
                status: r.status.tag, reason: r.isOK ? "" : r.detail,
                ebn0: f.ebn0dB.isFinite ? (f.ebn0dB * 10).rounded() / 10 : nil, corrected: f.correctedBits)
        }
    }

    /// The spectrogram and the demodulator's view of `samples`; a picture that cannot be drawn
    /// is left empty.
    static func plots(
        _ samples: [Float], sampleRate: Int, mode: Mode, lineCode: LineCode, _ rounds: [LabResult.Round]
    ) -> LabResult.Plots {
        let rate = Double(sampleRate)
        let top = min(rate / 2, ((mode.tones.max() ?? rate / 8) + 2 * mode.symbolRate(lineCode: lineCode)) / 500)
        let spectrogram =
            (try? SpectrogramPlot.render(
                samples, sampleRate: rate, maxFrequency: top.rounded(.up) * 500, toneLines: mode.tones, width: 900,
                height: 360, title: "Spectrogram: what the receiver heard"
            ).svg()) ?? ""
        let marks = (rounds.first?.frames ?? []).map {
            FrameMark(
                startSample: Int($0.start * rate), endSample: Int($0.end * rate), ok: $0.ok, status: $0.status,
                note: $0.ebn0.map { String(format: "Eb/N0 %.1f dB", $0) } ?? "")
        }
        let shape = SignalShape(
            tones: mode.tones, symbolRate: mode.symbolRate(lineCode: lineCode),
            name: "\(mode.name) \(lineCode.rawValue)")
        let demod =
            (try? DemodPlot.render(
                samples, sampleRate: rate, shape: shape, frames: marks, width: 900, height: 520,
                title: "The demodulator's view"
            ).svg()) ?? ""
        return .init(spectrogram: spectrogram, demod: demod)
    }
}
