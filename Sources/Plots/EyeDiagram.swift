#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Eye diagram: the receiver's soft value — (E₁ − E₀)/(E₁ + E₀) of a one-symbol
/// matched filter sliding along the signal (for M tones, the energy-weighted tone
/// index scaled to −1…1) — cut into two-symbol pieces centred on each symbol's
/// nominal centre and overlaid, drawn as a density (darker = more traces). A wide-open eye at 0 means clean decisions; noise
/// closes it vertically, timing error horizontally.
///
///     let c = try EyeDiagram.render(samples, sampleRate: 48000, shape: shape, frames: marks)
public enum EyeDiagram {
    /// The overlaid traces: x in symbol periods (−1…1), y the soft value.
    public static func traces(
        _ samples: [Float], sampleRate: Double, shape: SignalShape,
        frames: [FrameMark], stepsPerSymbol: Int = 32
    ) throws(PlotError) -> [[(x: Double, y: Double)]] {
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

    /// Draws the eye diagram of the frames in `samples` (see the type's discussion).
    /// - Parameters:
    ///   - samples: The recording.
    ///   - sampleRate: Samples per second.
    ///   - shape: The mode's tones and symbol rate.
    ///   - frames: The frames whose symbols are overlaid.
    ///   - from: Start time in seconds (nil: the start of the recording).
    ///   - to: End time in seconds (nil: the end).
    ///   - width: Picture width in pixels.
    ///   - height: Picture height in pixels.
    ///   - title: Text above the chart.
    /// - Returns: The picture.
    /// - Throws: ``PlotError`` for a bad size, an empty span or no symbols to draw.
    public static func render(
        _ samples: [Float], sampleRate: Double, shape: SignalShape, frames: [FrameMark],
        from: Double? = nil, to: Double? = nil, width: Int = 1000, height: Int = 500,
        title: String = "Eye diagram"
    ) throws(PlotError) -> Canvas {
        var c = Canvas(width: width, height: height)
        try c.validate()
        let span = try SampleSpan(count: samples.count, sampleRate: sampleRate, from: from, to: to)
        let inSpan = frames.filter { $0.endSample > span.start && $0.startSample < span.end }
        guard !inSpan.isEmpty else { throw .noData("no decoded frames to take the symbol timing from") }
        let all = try traces(samples, sampleRate: sampleRate, shape: shape, frames: inSpan)
        guard !all.isEmpty else { throw .noData("the frames are too short for an eye diagram") }
        let area = Layout.plotArea(width: width, height: height)
        let m = shape.channelCount
        let chart = Chart(
            area: area, x: Axis(min: -1, max: 1, label: "time from symbol centre (symbol periods)", tickCount: 8),
            y: Axis(
                min: -1.15, max: 1.3, label: m == 2 ? "soft value (E1-E0)/(E1+E0)" : "soft value (tone index)",
                tickCount: 8))
        Layout.title(
            "\(title): \(shape.name), \(all.count) symbols in \(inSpan.count) frame\(inSpan.count == 1 ? "" : "s")",
            into: &c)
        c.add(.image(density(all, chart: chart), in: area))
        chart.drawAxes(into: &c, grid: false)
        var es = [Element]()
        es.append(
            .line(
                chart.point(0, -1.15), chart.point(0, 1.3), Stroke(Color.failed.opacity(0.7), width: 1.5, dash: [6, 4]))
        )
        for k in 0..<m {
            let level = m > 1 ? 2 * Double(k) / Double(m - 1) - 1 : 0
            es.append(
                .line(
                    chart.point(-1, level), chart.point(1, level), Stroke(.axis.opacity(0.35), width: 1, dash: [3, 5])))
        }
        let label = "decision instant", style = TextStyle(size: 20, color: .failed)
        es.append(.text(label, at: Point(chart.px(0) + 8, area.y + 14), style: style))
        c.add(chart.clip(es))
        return c
    }

    /// How many traces pass through each 2×2-pixel cell of the plot area, as a picture:
    /// white where none pass, then light to dark blue with the square root of the count — an
    /// oscilloscope's persistence display. Each trace counts once per cell.
    static func density(_ traces: [[(x: Double, y: Double)]], chart: Chart) -> RGBImage {
        let gw = max(16, Int(chart.area.width / 2)), gh = max(16, Int(chart.area.height / 2))
        var hits = [Int](repeating: 0, count: gw * gh)
        var stamp = [Int](repeating: -1, count: gw * gh)
        func cell(_ p: (x: Double, y: Double)) -> (Double, Double) {
            (chart.x.fraction(p.x) * Double(gw), (1 - chart.y.fraction(p.y)) * Double(gh))
        }
        hits.withUnsafeMutableBufferPointer { h in
            stamp.withUnsafeMutableBufferPointer { st in
                for (t, tr) in traces.enumerated() where tr.count > 1 {
                    for i in 1..<tr.count {
                        let (x0, y0) = cell(tr[i - 1]), (x1, y1) = cell(tr[i])
                        let n = max(1, Int(max(abs(x1 - x0), abs(y1 - y0)).rounded(.up)))
                        for k in 0...n {
                            let f = Double(k) / Double(n)
                            let cx = Int(x0 + (x1 - x0) * f), cy = Int(y0 + (y1 - y0) * f)
                            guard cx >= 0, cx < gw, cy >= 0, cy < gh else { continue }
                            let j = cy * gw + cx
                            if st[j] != t { st[j] = t; h[j] += 1 }
                        }
                    }
                }
            }
        }
        let top = Double(hits.max() ?? 1)
        var img = RGBImage(width: gw, height: gh)
        let ink = (r: 8.0, g: 48.0, b: 107.0), paper = (r: 200.0, g: 220.0, b: 240.0)
        for y in 0..<gh {
            for x in 0..<gw where hits[y * gw + x] > 0 {
                let t = top > 0 ? (Double(hits[y * gw + x]) / top).squareRoot() : 1
                func mix(_ a: Double, _ b: Double) -> UInt8 { UInt8((a + (b - a) * t).rounded()) }
                img[x, y] = Color(r: mix(paper.r, ink.r), g: mix(paper.g, ink.g), b: mix(paper.b, ink.b))
            }
        }
        return img
    }
}
