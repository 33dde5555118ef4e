#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Eye diagram: the receiver's soft value — (E₁ − E₀)/(E₁ + E₀) of a one-symbol
/// matched filter sliding along the signal (for M tones, the energy-weighted tone
/// index scaled to −1…1) — cut into two-symbol pieces centred on each symbol's
/// nominal centre and overlaid. A wide-open eye at 0 means clean decisions; noise
/// closes it vertically, timing error horizontally.
///
///     let c = try EyeDiagram.render(samples, sampleRate: 48000, shape: shape, frames: marks)
public enum EyeDiagram {
    /// The overlaid traces: x in symbol periods (−1…1), y the soft value.
    public static func traces(_ samples: [Float], sampleRate: Double, shape: SignalShape,
                              frames: [FrameMark], stepsPerSymbol: Int = 32) throws(PlotError) -> [[(x: Double, y: Double)]] {
        guard shape.symbolRate > 0 else { throw .noData("symbol rate must be positive") }
        let sps = sampleRate / shape.symbolRate
        let win = max(1, Int(sps.rounded()))
        let step = max(1.0, sps / Double(stepsPerSymbol))
        var out = [[(x: Double, y: Double)]]()
        for f in frames {
            let a = max(0, f.startSample), b = min(samples.count, f.endSample)
            guard b - a > 3 * win else { continue }
            let e = try ToneEnergies(samples, start: a, end: b, sampleRate: sampleRate, shape: shape)
            let count = Int(Double(b - a) / sps)
            for i in 1..<max(1, count - 1) {
                let centre = Double(a) + (Double(i) + 0.5) * sps
                var pts = [(x: Double, y: Double)]()
                var t = centre - sps
                while t <= centre + sps + 1e-9 {
                    let from = Int((t - Double(win) / 2).rounded())
                    pts.append((x: (t - centre) / sps, y: ToneEnergies.soft(e.energies(from: from, length: win))))
                    t += step
                }
                out.append(pts)
            }
        }
        return out
    }

    public static func render(_ samples: [Float], sampleRate: Double, shape: SignalShape, frames: [FrameMark],
                              from: Double? = nil, to: Double? = nil, width: Int = 1000, height: Int = 500,
                              title: String = "Eye diagram") throws(PlotError) -> Canvas {
        var c = Canvas(width: width, height: height)
        try c.validate()
        let span = try SampleSpan(count: samples.count, sampleRate: sampleRate, from: from, to: to)
        let inSpan = frames.filter { $0.endSample > span.start && $0.startSample < span.end }
        guard !inSpan.isEmpty else { throw .noData("no decoded frames to take the symbol timing from") }
        let all = try traces(samples, sampleRate: sampleRate, shape: shape, frames: inSpan)
        guard !all.isEmpty else { throw .noData("the frames are too short for an eye diagram") }
        let area = Layout.plotArea(width: width, height: height)
        let m = shape.channelCount
        let chart = Chart(area: area, x: Axis(min: -1, max: 1, label: "time from symbol centre (symbol periods)", tickCount: 8),
                          y: Axis(min: -1.15, max: 1.15, label: m == 2 ? "soft value (E1-E0)/(E1+E0)" : "soft value (tone index)", tickCount: 8))
        Layout.title("\(title): \(shape.name), \(all.count) symbols in \(inSpan.count) frame\(inSpan.count == 1 ? "" : "s")", into: &c)
        chart.drawAxes(into: &c)
        // Fainter traces when there are many, so the density shows.
        let alpha = min(0.6, max(0.04, 12 / Double(all.count)))
        var es = [Element]()
        for tr in all {
            es.append(.polyline(tr.map { chart.point($0.x, $0.y) }, Stroke(Color.series(0).opacity(alpha), width: 1.5)))
        }
        es.append(.line(chart.point(0, -1.15), chart.point(0, 1.15), Stroke(Color.failed.opacity(0.7), width: 1.5, dash: [6, 4])))
        for k in 0..<m {
            let level = m > 1 ? 2 * Double(k) / Double(m - 1) - 1 : 0
            es.append(.line(chart.point(-1, level), chart.point(1, level), Stroke(.axis.opacity(0.35), width: 1, dash: [3, 5])))
        }
        es.append(.text("decision instant", at: Point(chart.px(0) + 8, area.y + 14), style: TextStyle(size: 20, color: .failed)))
        c.add(chart.clip(es))
        return c
    }
}
