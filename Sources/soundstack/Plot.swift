import ArgumentParser
import AudioIO
import Foundation
import L1Physical
import Measurements
import Plots

extension SoundStackCommand {
    /// `soundstack plot`: pictures of a recording, of line codes, of error-rate curves.
    struct Plot: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plot",
            abstract: "Draw a recording, its demodulation, line codes or error-rate curves.",
            discussion: """
                The output format follows the file extension: .svg or .png. Without --kind the demodulator's view \
                (demod) is drawn.

                Kinds that read a recording:
                  waveform     amplitude against time (min/max envelope when zoomed out)
                  spectrogram  time x frequency, power in dB as colour (--max-freq)
                  demod        waveform, per-symbol tone energies, decisions; frames
                               shaded green (ok) or red (failed, with the reason)
                  eye          the soft decision value over two symbol periods,
                               every symbol overlaid (darker = more traces)
                Kinds that need no recording:
                  linecodes    --bits as NRZ-L, NRZI, Manchester, differential
                               Manchester, then FSK audio of one code (--line-code)
                  ber          BER/FER against Eb/N0 from --csv, with theory curves

                demod and eye decode the recording first; without --mode every mode is tried and the one giving \
                the most good frames is drawn.

                The --csv file has a header line and one row per measurement (fer may be empty; lines starting \
                with # are skipped):
                  mode,ebn0_db,ber,fer
                  fsk1200,6,0.026,0.85

                Examples:
                  soundstack plot hello.wav -o demod.png
                  soundstack plot hello.wav --kind waveform -o wave.png
                  soundstack plot hello.wav --kind waveform --from 0.1 --to 0.11 -o z.svg
                  soundstack plot hello.wav --kind spectrogram --mode fsk1200 -o spec.png
                  soundstack plot noisy.wav --kind eye --mode fsk1200 -o eye.png
                  soundstack plot --kind linecodes --bits 10110010 -o codes.svg
                  soundstack plot --kind ber --csv sweep.csv -o ber.svg
                """)

        enum Kind: String, ExpressibleByArgument, CaseIterable {
            case waveform, spectrogram, demod, eye, linecodes, ber
            var needsRecording: Bool { ![.linecodes, .ber].contains(self) }
            var defaultHeight: Int {
                switch self {
                case .waveform, .spectrogram, .eye: return 500
                case .demod, .ber: return 700
                case .linecodes: return 760
                }
            }
        }

        @Argument(help: "Audio file to draw (waveform, spectrogram, demod, eye).")
        var input: String?

        @Option(help: "What to draw (see above).")
        var kind: Kind = .demod

        @Option(name: .shortAndLong, help: "Picture to write: .svg or .png.")
        var output: String

        @OptionGroup var modeOptions: ModeOptions

        @Option(help: "Start of the span to draw, in seconds (0…1000000).")
        var from: Double?

        @Option(help: "End of the span to draw, in seconds (0…1000000).")
        var to: Double?

        @Option(help: "Picture width in pixels (100…20000).")
        var width: Int = 1000

        @Option(help: "Picture height in pixels, 50…20000 (default depends on --kind).")
        var height: Int?

        @Option(
            name: .customLong("max-freq"),
            help: "Spectrogram: top of the frequency axis in Hz, up to 192000 (default: just above the signal).")
        var maxFrequency: Double?

        @Option(help: "Line codes: the bits to draw, e.g. 10110010.")
        var bits: String = "10110010"

        @Option(help: "BER: CSV file with the columns mode,ebn0_db,ber,fer.")
        var csv: String?

        @Option(help: "Channel of the recording: auto, mix, or a 0-based number.")
        var channel: ChannelSelection = .auto

        @Option(help: "Title above the picture (default: one for the kind).")
        var title: String?

        func validate() throws {
            _ = try ImageFormat(path: output)
            try OutputPaths.refuseOverlap(outputs: [output], inputs: [input, csv])
            if kind.needsRecording, input == nil {
                throw ValidationError("--kind \(kind.rawValue) needs an audio file")
            }
            if !kind.needsRecording, input != nil {
                throw ValidationError("--kind \(kind.rawValue) draws no recording; drop '\(input ?? "")'")
            }
            if kind == .ber, csv == nil {
                throw ValidationError("--kind ber needs --csv FILE (columns mode,ebn0_db,ber,fer)")
            }
            if kind == .linecodes {
                guard !bits.isEmpty, bits.count <= 32, bits.allSatisfy({ $0 == "0" || $0 == "1" }) else {
                    throw ValidationError("--bits takes 1 to 32 characters 0 or 1, got '\(bits)'")
                }
            }
            if let f = from, let t = to, t <= f { throw ValidationError("--to (\(t)) must be after --from (\(f))") }
            try require(from, in: 0...1_000_000, "--from")
            try require(to, in: 0...1_000_000, "--to")
            try require(width, in: 100...20_000, "--width")
            try require(height, in: 50...20_000, "--height")
            try require(maxFrequency, in: 1...OptionRange.frequency.upperBound, "--max-freq")
        }

        func run() throws {
            let h = height ?? kind.defaultHeight
            let canvas: Canvas
            switch kind {
            case .linecodes:
                canvas = try PlotBuilder.lineCodes(
                    bits: bits.map { $0 == "1" ? 1 : 0 }, mode: try modeOptions.resolvedMode(),
                    lineCode: try modeOptions.resolvedLineCode(), width: width, height: h)
            case .ber:
                let path = csv ?? ""
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw CLIError("cannot read CSV file '\(path)'")
                }
                let table = try ErrorRateTable(csv: text)
                let tones = Set(table.modes.compactMap { Mode.named($0)?.symbolCount })
                canvas = try ErrorRatePlot.render(
                    table: table, theory: ErrorRateTheory.referenceCurves(toneCounts: tones),
                    width: width, height: h)
            case .waveform, .spectrogram, .demod, .eye:
                canvas = try recordingPlot(height: h)
            }
            var titled = canvas
            if let t = title { titled = PlotBuilder.retitled(canvas, t) }
            try AtomicFile.write(titled.encoded(as: ImageFormat(path: output)), to: output)
            note("\(output): \(kind.rawValue), \(width)×\(h)")
        }

        func recordingPlot(height h: Int) throws -> Canvas {
            let path = input ?? "-"
            let selection = channel
            let (samples, rateInt) = try AudioFile.read(path: path, channel: selection)
            let rate = Double(rateInt)
            let mode = try modeOptions.resolvedMode()
            let code = try modeOptions.resolvedLineCode()
            switch kind {
            case .waveform:
                return try WaveformPlot.render(
                    samples, sampleRate: rate, from: from, to: to, width: width, height: h,
                    title: "Waveform of \(PlotBuilder.fileName(path))")
            case .spectrogram:
                let tones = mode?.tones ?? []
                let top =
                    maxFrequency
                    ?? mode.map { m in
                        min(
                            rate / 2,
                            ((m.tones.max() ?? 0) + 2 * m.symbolRate(lineCode: code ?? m.defaultLineCode)) / 500
                        ).rounded(.up) * 500
                    }
                return try SpectrogramPlot.render(
                    samples, sampleRate: rate, from: from, to: to, maxFrequency: top,
                    toneLines: tones, width: width, height: h,
                    title: "Spectrogram of \(PlotBuilder.fileName(path))")
            default:
                let found = try PlotBuilder.decode(samples, sampleRate: rate, mode: mode, lineCode: code)
                let used = found.lineCode
                let shape = SignalShape(
                    tones: found.mode.tones, symbolRate: found.mode.symbolRate(lineCode: used),
                    name: "\(found.mode.name) \(used.rawValue)")
                let marks = found.frames.map {
                    FrameMark(
                        startSample: $0.startSample, endSample: $0.endSample, ok: $0.isOK, status: $0.status.name,
                        note: $0.ebn0dB.isFinite ? String(format: "Eb/N0 %.1f dB", $0.ebn0dB) : "")
                }
                if kind == .demod {
                    return try DemodPlot.render(
                        samples, sampleRate: rate, shape: shape, frames: marks, from: from, to: to,
                        width: width, height: h)
                }
                return try EyeDiagram.render(
                    samples, sampleRate: rate, shape: shape, frames: marks, from: from, to: to,
                    width: width, height: h)
            }
        }
    }
}

/// The CLI's glue between the physical layer and the pictures.
enum PlotBuilder {
    /// The frames of a recording in `mode`, or in the mode that gives the most good frames.
    static func decode(
        _ samples: [Float], sampleRate: Double, mode: Mode?,
        lineCode: LineCode?
    ) throws -> (mode: Mode, lineCode: LineCode, frames: [DecodedFrame]) {
        let candidates =
            mode.map { [$0] }
            ?? Mode.all.filter {
                (try? $0.validate(sampleRate: sampleRate, lineCode: lineCode ?? $0.defaultLineCode)) != nil
            }
        var best: (mode: Mode, lineCode: LineCode, frames: [DecodedFrame])?
        for m in candidates {
            var options = Demodulator.Options()
            options.lineCode = lineCode
            let demod = try Demodulator(mode: m, sampleRate: sampleRate, options: options)
            let frames = demod.process(samples) + demod.finish()
            let score = frames.filter(\.isOK).count * 1000 + frames.count
            let bestScore = best.map { b in b.frames.filter(\.isOK).count * 1000 + b.frames.count } ?? -1
            if score > bestScore { best = (m, demod.lineCode, frames) }
        }
        guard let b = best, !b.frames.isEmpty else {
            let tried = candidates.count == 1 ? "mode \(candidates[0].name)" : "\(candidates.count) modes"
            throw CLIError(
                "no frames found (listened for \(tried) at \(Int(sampleRate)) Hz); try --mode, or --kind waveform/spectrogram"
            )
        }
        return b
    }

    /// NRZ-L, NRZI, Manchester and differential Manchester of `bits`, then the FSK audio of
    /// `lineCode` (default NRZ-L) in a binary `mode` (default fsk1200).
    static func lineCodes(bits: [UInt8], mode: Mode?, lineCode: LineCode?, width: Int, height: Int) throws -> Canvas {
        let notes: [LineCode: (String, String)] = [
            .nrzL: ("NRZ-L", "level = bit"),
            .nrzi: ("NRZI", "1 = change at start\n0 = no change"),
            .manchester: ("Manchester", "IEEE 802.3: mid-bit\n0 = high-low\n1 = low-high"),
            .differentialManchester: ("Diff. Manchester", "always change mid-bit\n0 = also change\n    at start")
        ]
        let traces = LineCode.allCases.map { code in
            LineCodeTrace(
                name: notes[code]?.0 ?? code.description, chips: code.encode(bits),
                chipsPerBit: code.chipsPerBit, note: notes[code]?.1 ?? "")
        }
        var m = mode ?? Mode.named("fsk1200") ?? Mode.custom(baud: 1200, tones: [1200, 2400])
        if m.symbolCount != 2 { m = Mode.named("fsk1200") ?? m }  // one chip per symbol keeps the picture readable
        let code = lineCode ?? .nrzL
        var modulator = FSKModulator(mode: m, lineCode: code, sampleRate: 48000)
        modulator.rampSeconds = 0
        let chips = code.encode(bits)
        let labels = m.isBaseband ? ["low", "high"] : m.tones.map { "\(Int($0.rounded())) Hz" }
        let tone = ToneTrace(
            title: "\(m.name), \(notes[code]?.0 ?? code.rawValue):\nchip 0 = \(labels[0])\nchip 1 = \(labels[1])",
            samples: modulator.samples(symbols: chips), chips: chips,
            chipsPerBit: code.chipsPerBit, toneLabels: labels)
        return try LineCodePlot.render(bits: bits, traces: traces, tone: tone, width: width, height: height)
    }

    /// The canvas with its first (title) text replaced.
    static func retitled(_ c: Canvas, _ title: String) -> Canvas {
        var out = Canvas(width: c.width, height: c.height, background: c.background)
        var done = false
        for e in c.elements {
            if !done, case let .text(_, at, style) = e, style.bold, at.y < 30 {
                out.add(.text(title, at: at, style: style))
                done = true
            } else {
                out.add(e)
            }
        }
        return out
    }

    static func fileName(_ path: String) -> String { path == "-" ? "stdin" : (path as NSString).lastPathComponent }
}
