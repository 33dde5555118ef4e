import AudioIO
import Foundation
import L1Physical
import L2DataLink
import SoundStack

extension LabRunner {
    /// Decodes an uploaded recording with the CLI's decoder: every mode at once, or `mode`
    /// (and `lineCode`) when given.
    /// - Parameters:
    ///   - recording: the file's bytes (any format libsndfile reads).
    ///   - mode: a mode's name, or `nil` for every mode.
    ///   - lineCode: a line code's name, or `nil` for each mode's own.
    /// - Throws: ``LabError`` for a file over the limits, one that is not audio, or a bad name.
    public func decode(recording: [UInt8], mode: String? = nil, lineCode: String? = nil) throws(LabError)
        -> LabResult
    {
        guard !recording.isEmpty else { throw .notAudio("the file is empty") }
        guard recording.count <= limits.uploadBytes else {
            throw .tooLarge("the recording is \(recording.count) bytes; the lab takes at most \(limits.uploadBytes)")
        }
        var modes: [Mode] = []
        if let mode {
            guard let m = Mode.named(mode) else { throw .badField("mode", "no mode named \"\(mode)\"") }
            modes = [m]
        }
        var code: LineCode?
        if let lineCode {
            guard let c = LineCode(rawValue: lineCode.lowercased()) else {
                throw .badField("lineCode", "no line code named \"\(lineCode)\"")
            }
            code = c
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("soundstack-lab-\(UUID().uuidString)")
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false) } catch {
            throw .failed("no room for the upload: \(error)")
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("upload").path
        guard FileManager.default.createFile(atPath: path, contents: Data(recording)) else {
            throw .failed("the upload could not be stored")
        }

        // The header first: its rate and length are checked before any sample is read.
        let samples: [Float]
        let rate: Int
        do {
            var reader = try AudioFileReader(path: path)
            rate = reader.sampleRate
            guard (8000...192_000).contains(rate) else {
                throw LabError.notAudio("its sample rate, \(rate) Hz, is outside 8000…192000")
            }
            let most = Int(limits.uploadSeconds * Double(rate))
            if let frames = reader.frameCount, frames > most {
                throw LabError.tooLarge(
                    String(
                        format: "the recording is %.1f s long; the lab takes at most %g s",
                        Double(frames) / Double(rate),
                        limits.uploadSeconds))
            }
            var all: [Float] = []
            var block = [Float](repeating: 0, count: 8192)
            while true {
                let n = try block.withUnsafeMutableBufferPointer { try reader.read(into: $0) }
                if n == 0 { break }
                all += block[0..<n]
                if all.count > most {
                    throw LabError.tooLarge(String(format: "the recording is over %g s long", limits.uploadSeconds))
                }
            }
            samples = all
        } catch let error as LabError {
            throw error
        } catch {
            throw .notAudio("\(error)")
        }
        guard !samples.isEmpty else { throw .notAudio("it holds no samples") }

        var found: [LinkFrameReport] = []
        var delivered: [[UInt8]] = []
        var station = EthernetReceiver(address: LabRunner.endpoints.destinationMAC)
        station.promiscuous = true
        let decoder = RecordingDecoder(DecodeConfiguration(modes: modes, lineCode: code, station: station))
        let outcome: DecodeOutcome
        do {
            outcome = try decoder.decode([path]) { event in
                switch event {
                case .frame(let report, _): found.append(report)
                case .delivered(let bytes): delivered.append(bytes)
                default: break
                }
            }
        } catch {
            throw .notAudio("\(error)")
        }
        let connection = outcome.connections.first { $0.message != nil } ?? outcome.connections.first
        if let message = connection?.message { delivered.append(message) }
        let all = delivered.flatMap { $0 }
        let heard = LabResult.Delivered(
            ok: !delivered.isEmpty, identical: nil, bytes: all.count,
            text: delivered.map(Self.text).joined(separator: "\n"),
            error: delivered.isEmpty
                ? (connection?.error?.description
                    ?? (found.isEmpty ? "no frame was found" : "no frame passed its checks")) : nil)
        let shown = found.first?.phy.mode ?? modes.first ?? .fsk1200
        let shownCode = found.first?.phy.lineCode ?? code ?? shown.defaultLineCode
        let round = LabResult.Round(round: 0, what: "the uploaded recording", frames: Self.frames(found))
        return LabResult(
            sent: nil, channel: "",
            audio: .init(
                received: LabWAV.base64(samples, sampleRate: rate), clean: nil, sampleRate: rate,
                seconds: Double(samples.count) / Double(rate)),
            plots: Self.plots(samples, sampleRate: rate, mode: shown, lineCode: shownCode, [round]),
            rounds: [round], delivered: heard,
            layers: LabLayers.describe(
                down: StackTrace(), up: connection, reports: found, delivered: !delivered.isEmpty))
    }
}
