import Foundation
import Testing

@testable import Plots

@Suite struct SpectrogramTests {
    @Test func automaticTopSitsAboveTheSignal() {
        // All power in the bin at 2400 Hz of a 24 kHz Nyquist, 513-bin spectrum.
        var p = [Double](repeating: 0, count: 513)
        p[Int(2400.0 / 24000 * 512)] = 1
        #expect(SpectrogramPlot.automaticTop(p, nyquist: 24000) == 3000)
        #expect(SpectrogramPlot.automaticTop([Double](repeating: 0, count: 513), nyquist: 24000) == 24000)
    }

    @Test func explicitTopIsKept() throws {
        let c = try SpectrogramPlot.render(
            TestSignal.samples, sampleRate: TestSignal.rate, maxFrequency: 2000, width: 400, height: 300)
        let check = SVGCheck(try c.svg())
        #expect(check.hasText("2000"))
        #expect(!check.hasText("2400 Hz"))
    }
}
