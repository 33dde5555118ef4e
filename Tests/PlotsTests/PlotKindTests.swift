import Foundation
import Testing
@testable import Plots

/// A short synthetic BFSK burst (1200/2400 Hz, 1200 Bd at 48 kHz) with silence around it,
/// and the frame marks a receiver would report for it.
enum TestSignal {
    static let rate = 48000.0
    static let sps = 40
    static let bits: [UInt8] = (0..<96).map { UInt8(($0 * 5 + $0 / 3) % 2) }
    static let lead = 2400
    static let shape = SignalShape(tones: [1200, 2400], symbolRate: 1200, name: "fsk1200")

    static let samples: [Float] = {
        var s = [Float](repeating: 0, count: lead)
        var phase = 0.0
        for b in bits {
            for _ in 0..<sps {
                s.append(Float(0.7 * sin(phase)))
                phase += 2 * Double.pi * (b == 1 ? 2400 : 1200) / rate
            }
        }
        return s + [Float](repeating: 0, count: lead)
    }()

    static let frames = [
        FrameMark(startSample: lead, endSample: lead + 48 * sps, ok: true, status: "ok"),
        FrameMark(startSample: lead + 48 * sps, endSample: lead + 96 * sps, ok: false, status: "crc-mismatch"),
    ]
}

/// Every plot kind, by name, at a requested size.
enum Kinds {
    static let names = ["waveform", "waveform-zoom", "spectrogram", "demod", "eye", "ber", "linecodes"]

    static func canvas(_ name: String, width: Int, height: Int) throws -> Canvas {
        let s = TestSignal.samples, r = TestSignal.rate
        switch name {
        case "waveform": return try WaveformPlot.render(s, sampleRate: r, width: width, height: height)
        case "waveform-zoom": return try WaveformPlot.render(s, sampleRate: r, from: 0.06, to: 0.0605, width: width, height: height)
        case "spectrogram": return try SpectrogramPlot.render(s, sampleRate: r, maxFrequency: 5000, toneLines: [1200, 2400],
                                                              width: width, height: height)
        case "demod": return try DemodPlot.render(s, sampleRate: r, shape: TestSignal.shape, frames: TestSignal.frames,
                                                  width: width, height: height)
        case "eye": return try EyeDiagram.render(s, sampleRate: r, shape: TestSignal.shape, frames: TestSignal.frames,
                                                 width: width, height: height)
        case "ber":
            let table = try ErrorRateTable(csv: "mode,ebn0_db,ber,fer\nfsk1200,4,0.1,0.9\nfsk1200,8,0.01,0.3\nmfsk4,8,0.002,0.1\n")
            return try ErrorRatePlot.render(table: table, toneCount: { $0 == "mfsk4" ? 4 : 2 }, width: width, height: height)
        default:
            let bits: [UInt8] = [1, 0, 1, 1, 0, 0, 1, 0]
            let fsk = Array(TestSignal.samples[TestSignal.lead..<(TestSignal.lead + 8 * TestSignal.sps)])
            return try LineCodePlot.render(bits: bits, traces: [LineCodeTrace(name: "NRZ-L", chips: bits, chipsPerBit: 1)],
                                           tone: ToneTrace(title: "fsk1200", samples: fsk, chips: bits, chipsPerBit: 1,
                                                           toneLabels: ["1200 Hz", "2400 Hz"]),
                                           width: width, height: height)
        }
    }

    /// Text every kind's SVG must carry (axis titles and the like).
    static func labels(_ name: String) -> [String] {
        switch name {
        case "waveform", "waveform-zoom": return ["time (s)", "amplitude"]
        case "spectrogram": return ["time (s)", "frequency (Hz)", "dB", "2400 Hz"]
        case "demod": return ["time (s)", "energy (dB)", "decision", "crc-mismatch", "1200 Hz"]
        case "eye": return ["time from symbol centre (symbol periods)", "soft value"]
        case "ber": return ["Eb/N0 (dB)", "1e-1", "fsk1200 BER", "theory: coherent BFSK"]
        default: return ["NRZ-L", "FSK audio", "2400 Hz", "bits 10110010"]
        }
    }
}

@Suite struct PlotKindTests {
    @Test(arguments: Kinds.names)
    func pngDecodesAtTheRequestedSize(kind: String) throws {
        let png = try DecodedPNG(Kinds.canvas(kind, width: 640, height: 480).png())
        #expect(png.width == 640 && png.height == 480)
        // Something beyond the background: at least 2 % of the pixels.
        #expect(png.drawnPixels > 640 * 480 / 50)
    }

    @Test(arguments: Kinds.names)
    func svgIsWellFormedAndLabelled(kind: String) throws {
        let c = try Kinds.canvas(kind, width: 1000, height: 700)
        let check = SVGCheck(try c.svg())
        #expect(check.error == nil)
        #expect(check.root == "svg" && check.width == "1000" && check.height == "700")
        for label in Kinds.labels(kind) { #expect(check.hasText(label), "missing label '\(label)'") }
        #expect((check.elements["line"] ?? 0) + (check.elements["polyline"] ?? 0) > 10)
    }

    @Test func writesByExtension() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("plots-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = try Kinds.canvas("waveform", width: 300, height: 200)
        try c.write(to: dir.appendingPathComponent("w.png").path)
        try c.write(to: dir.appendingPathComponent("w.svg").path)
        let png = try Data(contentsOf: dir.appendingPathComponent("w.png"))
        let svg = try String(contentsOf: dir.appendingPathComponent("w.svg"), encoding: .utf8)
        #expect(Array(png.prefix(8)) == PNGEncoder.signature)
        #expect(svg.hasPrefix("<?xml"))
        #expect(throws: PlotError.unsupportedFormat(path: "w.gif")) { try c.write(to: "w.gif") }
    }

    @Test func emptyOrInvertedSpansAreErrors() {
        #expect(throws: PlotError.self) { try WaveformPlot.render([], sampleRate: 48000) }
        #expect(throws: PlotError.invalidRange(from: 0.2, to: 0.1)) {
            try WaveformPlot.render(TestSignal.samples, sampleRate: 48000, from: 0.2, to: 0.1)
        }
        #expect(throws: PlotError.self) { try EyeDiagram.render(TestSignal.samples, sampleRate: 48000, shape: TestSignal.shape, frames: []) }
    }
}

@Suite struct MeasurementTests {
    @Test func matchedFilterSeesTheRightTone() throws {
        let syms = try DemodPlot.symbols(TestSignal.samples, sampleRate: TestSignal.rate, shape: TestSignal.shape,
                                         frames: TestSignal.frames)
        #expect(syms.count == 96)
        #expect(syms.map { UInt8($0.decision) } == TestSignal.bits)
        // A full-scale-0.7 tone has energy 0.49; the other, orthogonal tone almost none.
        let e = syms[10].energies
        #expect(abs(e.max()! - 0.49) < 0.01)
        #expect(e.min()! < 1e-3)
    }

    @Test func eyeIsOpenAtTheCentreOfACleanSignal() throws {
        let traces = try EyeDiagram.traces(TestSignal.samples, sampleRate: TestSignal.rate, shape: TestSignal.shape,
                                           frames: TestSignal.frames)
        #expect(!traces.isEmpty)
        for t in traces {
            let centre = t.min { abs($0.x) < abs($1.x) }!
            #expect(abs(centre.y) > 0.95)
        }
    }

    @Test func softValueOfTones() {
        #expect(ToneEnergies.soft([1, 0]) == -1)
        #expect(ToneEnergies.soft([0, 1]) == 1)
        #expect(ToneEnergies.soft([0, 0, 0, 1]) == 1)
        #expect(abs(ToneEnergies.soft([0, 1, 0, 0]) + 1.0 / 3) < 1e-12)
    }
}

@Suite struct ErrorRateTests {
    @Test func theoryValues() {
        #expect(abs(ErrorRateTheory.nonCoherentBFSK(ebn0dB: 10) - 0.5 * exp(-5)) < 1e-15)
        #expect(abs(ErrorRateTheory.coherentBFSK(ebn0dB: 0) - 0.158655) < 1e-6)
        // The exact M-ary formula with M = 2 is the binary one.
        for db in stride(from: 0.0, through: 12, by: 2) {
            #expect(abs(ErrorRateTheory.nonCoherentMFSK(tones: 2, ebn0dB: db) - ErrorRateTheory.nonCoherentBFSK(ebn0dB: db)) < 1e-12)
        }
        // More tones need less Eb/N0 for the same BER (orthogonal FSK).
        #expect(ErrorRateTheory.nonCoherentMFSK(tones: 16, ebn0dB: 8) < ErrorRateTheory.nonCoherentMFSK(tones: 4, ebn0dB: 8))
        #expect(abs(ErrorRateTheory.frameErrorRate(ber: 0.01, bits: 100) - (1 - pow(0.99, 100))) < 1e-12)
    }

    @Test func csvParses() throws {
        let t = try ErrorRateTable(csv: "# sweep\nmode, ebn0_db, ber, fer\r\nfsk1200,4,0.1,0.9\n\nmfsk4,6,0.01,\n")
        #expect(t.modes == ["fsk1200", "mfsk4"])
        #expect(t.rows[1].fer == nil && t.rows[1].ber == 0.01)
    }

    @Test func csvErrorsNameTheLine() {
        #expect(throws: PlotError.badCSV(line: 1, reason: "header needs a 'ber' column (mode,ebn0_db,ber,fer)")) {
            try ErrorRateTable(csv: "mode,ebn0_db\n")
        }
        #expect(throws: PlotError.badCSV(line: 3, reason: "ber must be a number in 0…1")) {
            try ErrorRateTable(csv: "mode,ebn0_db,ber\nfsk1200,1,0.1\nfsk1200,2,abc\n")
        }
        #expect(throws: PlotError.noData("the CSV has no measurements")) { try ErrorRateTable(csv: "mode,ebn0_db,ber\n") }
    }
}
