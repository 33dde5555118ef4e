import Foundation
import TestSupport
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
        FrameMark(startSample: lead + 48 * sps, endSample: lead + 96 * sps, ok: false, status: "crc-mismatch")
    ]
}

/// Every plot kind, by name, at a requested size.
enum Kinds {
    static let names = ["waveform", "waveform-zoom", "spectrogram", "demod", "eye", "ber", "linecodes"]

    static func canvas(_ name: String, width: Int, height: Int) throws -> Canvas {
        let s = TestSignal.samples, r = TestSignal.rate
        switch name {
        case "waveform": return try WaveformPlot.render(s, sampleRate: r, width: width, height: height)
        case "waveform-zoom":
            return try WaveformPlot.render(s, sampleRate: r, from: 0.06, to: 0.0605, width: width, height: height)
        case "spectrogram":
            return try SpectrogramPlot.render(
                s, sampleRate: r, maxFrequency: 5000, toneLines: [1200, 2400],
                width: width, height: height)
        case "demod":
            return try DemodPlot.render(
                s, sampleRate: r, shape: TestSignal.shape, frames: TestSignal.frames,
                width: width, height: height)
        case "eye":
            return try EyeDiagram.render(
                s, sampleRate: r, shape: TestSignal.shape, frames: TestSignal.frames,
                width: width, height: height)
        case "ber":
            let table = try ErrorRateTable(
                csv: "mode,ebn0_db,ber,fer\nfsk1200,4,0.1,0.9\nfsk1200,8,0.01,0.3\nmfsk4,8,0.002,0.1\n")
            let theory = [
                TheoryCurve(name: "theory: non-coherent BFSK 0.5 exp(-Eb/2N0)", color: Color(hex: 0x444444)) {
                    0.5 * exp(-pow(10, $0 / 10) / 2)
                },
                TheoryCurve(name: "theory: coherent BFSK Q(sqrt(Eb/N0))", color: Color(hex: 0x9467BD)) {
                    0.5 * erfc(pow(10, $0 / 20) / 2.0.squareRoot())
                }
            ]
            return try ErrorRatePlot.render(table: table, theory: theory, width: width, height: height)
        default:
            let bits: [UInt8] = [1, 0, 1, 1, 0, 0, 1, 0]
            let fsk = Array(TestSignal.samples[TestSignal.lead..<(TestSignal.lead + 8 * TestSignal.sps)])
            return try LineCodePlot.render(
                bits: bits, traces: [LineCodeTrace(name: "NRZ-L", chips: bits, chipsPerBit: 1)],
                tone: ToneTrace(
                    title: "fsk1200", samples: fsk, chips: bits, chipsPerBit: 1,
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
        let dir = try TemporaryDirectory(prefix: "plots")
        defer { dir.remove() }
        let c = try Kinds.canvas("waveform", width: 300, height: 200)
        try c.write(to: dir.url("w.png").path)
        try c.write(to: dir.url("w.svg").path)
        let png = try Data(contentsOf: dir.url("w.png"))
        let svg = try String(contentsOf: dir.url("w.svg"), encoding: .utf8)
        #expect(Array(png.prefix(8)) == PNGEncoder.signature)
        #expect(svg.hasPrefix("<?xml"))
        #expect(throws: PlotError.unsupportedFormat(path: "w.gif")) { try c.write(to: "w.gif") }
    }

    @Test func emptyOrInvertedSpansAreErrors() {
        #expect(throws: PlotError.self) { try WaveformPlot.render([], sampleRate: 48000) }
        #expect(throws: PlotError.invalidRange(from: 0.2, to: 0.1)) {
            try WaveformPlot.render(TestSignal.samples, sampleRate: 48000, from: 0.2, to: 0.1)
        }
        #expect(throws: PlotError.self) {
            try EyeDiagram.render(TestSignal.samples, sampleRate: 48000, shape: TestSignal.shape, frames: [])
        }
    }
}
