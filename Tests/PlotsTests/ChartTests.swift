import Foundation
import Testing

@testable import Plots

@Suite struct ChartTests {
    @Test func niceTicks() {
        let t = Ticks.linear(0, 1, count: 5)
        #expect(t.count == 6 && zip(t, [0, 0.2, 0.4, 0.6, 0.8, 1]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(Ticks.step(0, 10, count: 5) == 2)
        #expect(Ticks.step(0, 0.37, count: 8) == 0.05)
        #expect(Ticks.format(0.25, step: 0.05) == "0.25")
        #expect(Ticks.format(-1.5, step: 0.5) == "-1.5")
        let d = Ticks.decades(1e-4, 1)
        #expect(d.count == 5 && zip(d, [1e-4, 1e-3, 1e-2, 1e-1, 1]).allSatisfy { abs($0 / $1 - 1) < 1e-12 })
    }

    @Test func logAxisMapsDecadesEvenly() {
        let a = Axis(min: 1e-4, max: 1, scale: .log10)
        #expect(abs(a.fraction(1e-2) - 0.5) < 1e-12)
        #expect(a.tickLabel(1e-3) == "1e-3")
        #expect(a.minorTicks().count == 32)
    }
}
