import Foundation
import Testing
@testable import Plots

@Suite struct FFTTests {
    @Test func sineLandsInItsBinAtZeroDB() throws {
        let fft = try FFT(size: 256)
        let samples = (0..<256).map { Float(sin(2 * Double.pi * 16 * Double($0) / 256)) }
        let p = fft.powerSpectrum(of: samples)
        #expect(p.count == 129)
        #expect(abs(p[16] - 1) < 1e-6)
        #expect(p[40] < 1e-12)
    }

    @Test func matchesDirectDFT() throws {
        let fft = try FFT(size: 16)
        var re = (0..<16).map { Double(($0 * 7) % 5) - 2 }, im = [Double](repeating: 0, count: 16)
        let x = re
        fft.transform(re: &re, im: &im)
        for k in 0..<16 {
            var r = 0.0, i = 0.0
            for n in 0..<16 { r += x[n] * cos(-2 * Double.pi * Double(k * n) / 16); i += x[n] * sin(-2 * Double.pi * Double(k * n) / 16) }
            #expect(abs(re[k] - r) < 1e-9 && abs(im[k] - i) < 1e-9)
        }
    }

    @Test func rejectsNonPowerOfTwo() {
        #expect(throws: PlotError.self) { try FFT(size: 100) }
    }
}

@Suite struct SpectrogramTests {
    @Test func automaticTopSitsAboveTheSignal() {
        // All power in the bin at 2400 Hz of a 24 kHz Nyquist, 513-bin spectrum.
        var p = [Double](repeating: 0, count: 513)
        p[Int(2400.0 / 24000 * 512)] = 1
        #expect(SpectrogramPlot.automaticTop(p, nyquist: 24000) == 3000)
        #expect(SpectrogramPlot.automaticTop([Double](repeating: 0, count: 513), nyquist: 24000) == 24000)
    }

    @Test func explicitTopIsKept() throws {
        let c = try SpectrogramPlot.render(TestSignal.samples, sampleRate: TestSignal.rate, maxFrequency: 2000, width: 400, height: 300)
        let check = SVGCheck(try c.svg())
        #expect(check.hasText("2000"))
        #expect(!check.hasText("2400 Hz"))
    }
}
