import Foundation
import Testing

@testable import Plots

@Suite struct DemodPlotTests {
    @Test func matchedFilterSeesTheRightTone() throws {
        let syms = try DemodPlot.symbols(
            TestSignal.samples, sampleRate: TestSignal.rate, shape: TestSignal.shape,
            frames: TestSignal.frames)
        #expect(syms.count == 96)
        #expect(syms.map { UInt8($0.decision) } == TestSignal.bits)
        // A full-scale-0.7 tone has energy 0.49; the other, orthogonal tone almost none.
        let e = syms[10].energies
        #expect(abs(e.max()! - 0.49) < 0.01)
        #expect(e.min()! < 1e-3)
    }

    @Test func eyeIsOpenAtTheCentreOfACleanSignal() throws {
        let traces = try EyeDiagram.traces(
            TestSignal.samples, sampleRate: TestSignal.rate, shape: TestSignal.shape,
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

@Suite struct ZoomedOutTests {
    @Test func demodAggregatesWhenSymbolsAreNarrowerThanAPixel() throws {
        let c = try DemodPlot.render(
            TestSignal.samples, sampleRate: TestSignal.rate, shape: TestSignal.shape,
            frames: TestSignal.frames, width: 240, height: 400)
        let check = SVGCheck(try c.svg())
        #expect(check.error == nil)
        #expect(check.hasText("zoom in"))
        let png = try DecodedPNG(c.png())
        #expect(png.width == 240 && png.height == 400 && png.drawnPixels > 240 * 400 / 50)
    }

    @Test func xTicksThinOutToFit() {
        let narrow = Chart(
            area: Rect(x: 0, y: 0, width: 200, height: 100), x: Axis(min: 0.1, max: 0.1025, tickCount: 8),
            y: Axis(min: 0, max: 1))
        let a = narrow.fittedX()
        let labels = a.ticks().map { a.tickLabel($0) }
        #expect(Double(labels.count) * (Double(labels.map(\.count).max() ?? 0) * 12 + 18) <= 200)
        #expect(labels.count >= 2)
    }
}
