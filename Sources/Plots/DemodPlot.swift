#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The demodulator's view of a recording, in three stacked panels sharing a time axis:
/// the waveform; each tone's matched-filter energy (dB) for every symbol at its nominal
/// position inside each decoded frame; and the decision (strongest tone) per symbol.
/// Frames are shaded green when they passed their checks and red (with the status
/// name) when they failed.
///
///     let c = try DemodPlot.render(samples, sampleRate: 48000, shape: shape, frames: marks)
public enum DemodPlot {
    /// One symbol's measurements.
    public struct Symbol: Sendable, Hashable {
        /// First sample of the symbol in the recording.
        public var start: Int
        /// Matched-filter energy per tone (or per level for baseband), in the order of the shape's tones.
        public var energies: [Double]
        /// Index of the strongest tone (for baseband: 1 = positive level).
        public var decision: Int
    }

    /// Every symbol of every frame, at nominal positions `startSample + i × samplesPerSymbol`.
    public static func symbols(
        _ samples: [Float], sampleRate: Double, shape: SignalShape,
        frames: [FrameMark]
    ) throws(PlotError) -> [Symbol] {
        guard shape.symbolRate > 0 else { throw .noData("symbol rate must be positive") }
        let sps = sampleRate / shape.symbolRate
        var out = [Symbol]()
        for f in frames {
            let a = max(0, f.startSample), b = min(samples.count, f.endSample)
            guard b - a >= Int(sps) else { continue }
            let e = try ToneEnergies(samples, start: a, end: b, sampleRate: sampleRate, shape: shape)
            let count = Int(Double(b - a) / sps)
            for i in 0..<count {
                let s = a + Int((Double(i) * sps).rounded())
                let en = e.energies(from: s, length: Int(sps.rounded()))
                var best = 0
                for k in 1..<en.count where en[k] > en[best] { best = k }
                out.append(Symbol(start: s, energies: en, decision: best))
            }
        }
        return out
    }

    /// Draws the demodulator's view of `samples` (see the type's discussion).
    /// - Parameters:
    ///   - samples: The recording.
    ///   - sampleRate: Samples per second.
    ///   - shape: The mode's tones and symbol rate.
    ///   - frames: The frames the receiver found, shaded by result.
    ///   - from: Start time in seconds (nil: the start of the recording).
    ///   - to: End time in seconds (nil: the end).
    ///   - width: Picture width in pixels.
    ///   - height: Picture height in pixels.
    ///   - title: Text above the panels.
    /// - Returns: The picture, ready to write as SVG or PNG.
    /// - Throws: ``PlotError`` for a bad size, an empty or out-of-range span, or a non-positive symbol rate.
    public static func render(
        _ samples: [Float], sampleRate: Double, shape: SignalShape, frames: [FrameMark],
        from: Double? = nil, to: Double? = nil, width: Int = 1000, height: Int = 700,
        title: String = "Demodulator view"
    ) throws(PlotError) -> Canvas {
        var c = Canvas(width: width, height: height)
        try c.validate()
        let span = try SampleSpan(count: samples.count, sampleRate: sampleRate, from: from, to: to)
        let inSpan = frames.filter { $0.endSample > span.start && $0.startSample < span.end }
        let sps = sampleRate / shape.symbolRate
        let syms = try symbols(samples, sampleRate: sampleRate, shape: shape, frames: inSpan).filter {
            Double($0.start) + sps > Double(span.start) && $0.start < span.end
        }
        let area = Layout.plotArea(width: width, height: height, right: 40)
        let panels = Layout.stack(area, weights: [1, 2, 1.2], gap: 14)
        let xAxis = Axis(min: span.startTime, max: span.endTime, label: "time (s)")
        let ok = inSpan.filter(\.ok).count
        Layout.title(
            "\(title): \(shape.name), \(inSpan.count) frame\(inSpan.count == 1 ? "" : "s") (\(ok) ok, \(inSpan.count - ok) failed)",
            into: &c)

        // Frame shading behind everything.
        for f in inSpan {
            let color = f.ok ? Color.ok : Color.failed
            for p in panels {
                let ch = Chart(area: p, x: xAxis, y: Axis(min: 0, max: 1))
                let x0 = ch.px(Double(f.startSample) / sampleRate), x1 = ch.px(Double(f.endSample) / sampleRate)
                c.add(
                    ch.clip([
                        .rect(
                            Rect(x: x0, y: p.y, width: x1 - x0, height: p.height), fill: color.opacity(0.13),
                            stroke: nil)
                    ]))
            }
        }

        // 1: waveform.
        let peak = Double(samples[span.start..<span.end].reduce(Float(0)) { max($0, abs($1)) })
        let lim = max(0.05, peak * 1.1)
        let wave = Chart(area: panels[0], x: xAxis, y: Axis(min: -lim, max: lim, label: "signal", tickCount: 2))
        wave.drawAxes(into: &c, xLabels: false)
        c.add(wave.clip(WaveformPlot.traceElements(samples, span: span, chart: wave, color: .axis)))

        // 2: tone energies in dB, one colour per tone, a short bar across each symbol.
        let dbs = syms.flatMap { $0.energies.map { 10 * log10($0 + 1e-12) } }
        // Headroom above the loudest symbol for the frames' status labels.
        let top = ((dbs.max() ?? 0) / 10).rounded(.up) * 10 + 12
        let energy = Chart(
            area: panels[1], x: xAxis, y: Axis(min: top - 72, max: top, label: "energy (dB)", tickCount: 5))
        energy.drawAxes(into: &c, xLabels: false)
        var bars = [Element]()
        var drawn = [Point]()
        let pxPerSymbol = energy.px(span.startTime + 1 / shape.symbolRate) - energy.px(span.startTime)
        // Zoomed out, symbols become pixel-aligned dots, one per 2×2-pixel cell and tone
        // (the picture stays the same, SVG files stay small); decisions become one bar per
        // pixel column spanning the values decided there.
        let columns = Int(energy.area.width) + 1
        let m = shape.channelCount
        var decLo = [Int](repeating: Int.max, count: columns), decHi = [Int](repeating: Int.min, count: columns)
        let aggregate = pxPerSymbol < 1
        if pxPerSymbol < 3 {
            var seen = Set<Int>()
            for s in syms {
                let x = energy.px((Double(s.start) + sps / 2) / sampleRate).rounded(.down)
                let col = min(columns - 1, max(0, Int(x - energy.area.x)))
                decLo[col] = min(decLo[col], s.decision); decHi[col] = max(decHi[col], s.decision)
                for (k, e) in s.energies.enumerated() {
                    let y = energy.py(max(energy.y.min, 10 * log10(e + 1e-12))).rounded(.down)
                    guard seen.insert(((col / 2) * 4096 + Int(y) / 2) * 64 + k).inserted else { continue }
                    drawn.append(Point(x, y))
                    bars.append(.rect(Rect(x: x - 1, y: y - 1, width: 3, height: 3), fill: .series(k), stroke: nil))
                }
            }
        }
        for s in syms where pxPerSymbol >= 3 {
            let t0 = Double(s.start) / sampleRate, t1 = t0 + sps / sampleRate
            for (k, e) in s.energies.enumerated() {
                let y = energy.py(max(energy.y.min, 10 * log10(e + 1e-12)))
                drawn.append(Point(energy.px((t0 + t1) / 2), y))
                bars.append(
                    .line(Point(energy.px(t0) + 0.5, y), Point(energy.px(t1) - 0.5, y), Stroke(.series(k), width: 2.5)))
            }
        }
        c.add(energy.clip(bars))
        let toneNames = shape.tones.isEmpty ? ["level -", "level +"] : shape.tones.map { "\(Int($0.rounded())) Hz" }
        let legend = toneNames.enumerated().prefix(8).map { LegendEntry($0.element, color: .series($0.offset)) }
        // Keep the legend off the data and off the frames' status names along the top.
        for f in inSpan {
            let x = energy.px(Double(f.startSample) / sampleRate)
            for dx in stride(from: 0.0, through: 200, by: 10) {
                drawn.append(Point(x + dx, energy.area.y + 14)); drawn.append(Point(x + dx, energy.area.y + 34))
            }
        }
        energy.drawLegend(Array(legend), corner: energy.quietestCorner(for: Array(legend), avoiding: drawn), into: &c)

        // 3: decisions as a step trace; symbol values written when there is room.
        let decide = Chart(
            area: panels[2], x: xAxis,
            y: Axis(min: -0.5, max: Double(m) - 0.5, label: m == 2 ? "decision" : "tone index", tickCount: min(4, m)))
        decide.drawAxes(into: &c)
        var steps = [Element]()
        var run = [Point]()
        var lastEnd = -1
        if aggregate {
            for col in 0..<columns where decLo[col] <= decHi[col] {
                let y0 = decide.py(Double(decHi[col])), y1 = decide.py(Double(decLo[col]))
                steps.append(
                    .rect(
                        Rect(x: decide.area.x + Double(col), y: y0 - 1, width: 1, height: y1 - y0 + 2),
                        fill: .series(0), stroke: nil))
            }
            steps.append(
                .text(
                    "zoom in (from/to) to see single symbols", at: Point(decide.area.midX, decide.area.y + 10),
                    style: TextStyle(size: 10, color: .axis, anchor: .middle)))
        }
        for s in syms where !aggregate {
            if s.start - lastEnd > 2, run.count > 1 {
                steps.append(.polyline(run, Stroke(.series(0), width: 2))); run = []
            }
            let x0 = decide.px(Double(s.start) / sampleRate), x1 = decide.px((Double(s.start) + sps) / sampleRate)
            let y = decide.py(Double(s.decision))
            run.append(Point(x0, y)); run.append(Point(x1, y))
            lastEnd = s.start + Int(sps.rounded())
            if pxPerSymbol >= 14 {
                steps.append(
                    .text(
                        String(s.decision), at: Point((x0 + x1) / 2, panels[2].y + 10),
                        style: TextStyle(size: 10, color: .text, anchor: .middle)))
            }
        }
        if run.count > 1 { steps.append(.polyline(run, Stroke(.series(0), width: 2))) }
        c.add(decide.clip(steps))

        // Status names on the frames.
        for f in inSpan {
            let x0 = max(wave.area.x, wave.px(Double(f.startSample) / sampleRate))
            guard x0 < wave.area.maxX - 20 else { continue }
            let label = f.ok ? "ok" : f.status
            c.add(
                energy.clip([
                    .text(
                        label, at: Point(x0 + 6, panels[1].y + 14),
                        style: TextStyle(size: 20, color: f.ok ? .ok : .failed, bold: true)),
                    .text(
                        f.note, at: Point(x0 + 6, panels[1].y + 34),
                        style: TextStyle(size: 10, color: f.ok ? .ok : .failed))
                ]))
        }
        if syms.isEmpty {
            c.text(
                "no decoded frames in this span", panels[1].midX, panels[1].midY,
                TextStyle(size: 20, color: .failed, anchor: .middle))
        }
        return c
    }
}
