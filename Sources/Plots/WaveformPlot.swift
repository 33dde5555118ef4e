#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A span of a recording in samples, from optional start and end times in seconds.
public struct SampleSpan: Sendable, Hashable {
    /// First sample of the span.
    public var start: Int
    /// One past the last sample of the span.
    public var end: Int
    /// Samples per second of the recording.
    public var sampleRate: Double

    /// Clamps `from`…`to` (seconds; nil = the ends) to a recording of `count` samples.
    /// - Throws: ``PlotError/invalidRange(from:to:)`` when the span is empty.
    public init(count: Int, sampleRate: Double, from: Double? = nil, to: Double? = nil) throws(PlotError) {
        guard count > 0, sampleRate > 0 else { throw .noData("the recording is empty") }
        let duration = Double(count) / sampleRate
        let f = max(0, from ?? 0), t = min(duration, to ?? duration)
        guard t > f else {
            if let a = from, let b = to, b <= a { throw .invalidRange(from: a, to: b) }
            throw .outsideRecording(from: from ?? 0, to: to ?? duration, duration: duration)
        }
        start = Int((f * sampleRate).rounded(.down))
        end = min(count, max(start + 2, Int((t * sampleRate).rounded(.up))))
        self.sampleRate = sampleRate
    }

    /// Start of the span in seconds.
    public var startTime: Double { Double(start) / sampleRate }
    /// End of the span in seconds.
    public var endTime: Double { Double(end) / sampleRate }
    /// Number of samples in the span.
    public var count: Int { end - start }
}

/// Waveform: amplitude against time in seconds. When a pixel column spans many
/// samples it draws that column's minimum–maximum envelope, so an hour-long file
/// and a 2 ms zoom both read correctly; when zoomed far in, each sample is a dot.
///
///     let c = try WaveformPlot.render(samples, sampleRate: 48000, from: 0.1, to: 0.12)
public enum WaveformPlot {
    /// Draws amplitude against time; a pixel column spanning many samples shows their min–max envelope.
    /// - Parameters:
    ///   - samples: The recording.
    ///   - sampleRate: Samples per second.
    ///   - from: Start time in seconds (nil: the start).
    ///   - to: End time in seconds (nil: the end).
    ///   - width: Picture width in pixels.
    ///   - height: Picture height in pixels.
    ///   - title: Text above the chart.
    /// - Returns: The picture.
    /// - Throws: ``PlotError`` for a bad size or an empty or out-of-range span.
    public static func render(
        _ samples: [Float], sampleRate: Double, from: Double? = nil, to: Double? = nil,
        width: Int = 1000, height: Int = 500, title: String = "Waveform"
    ) throws(PlotError) -> Canvas {
        var c = Canvas(width: width, height: height)
        try c.validate()
        let span = try SampleSpan(count: samples.count, sampleRate: sampleRate, from: from, to: to)
        let area = Layout.plotArea(width: width, height: height)
        let peak = samples[span.start..<span.end].reduce(Float(0)) { max($0, abs($1)) }
        let limit = peak > 1 ? Double(peak) * 1.05 : min(1, max(0.05, Double(peak) * 1.15))
        let chart = Chart(
            area: area, x: Axis(min: span.startTime, max: span.endTime, label: "time (s)"),
            y: Axis(min: -limit, max: limit, label: "amplitude", tickCount: 6))
        Layout.title(title + "  (\(Int(sampleRate)) Hz, \(span.count) samples)", into: &c)
        chart.drawAxes(into: &c)
        c.add(chart.clip(traceElements(samples, span: span, chart: chart, color: .series(0))))
        return c
    }

    /// The trace of `samples[span]` in `chart`: an envelope, a line or dots.
    public static func traceElements(_ samples: [Float], span: SampleSpan, chart: Chart, color: Color) -> [Element] {
        let columns = max(1, Int(chart.area.width))
        let perColumn = Double(span.count) / Double(columns)
        var out = [Element]()
        out.append(
            .line(
                Point(chart.area.x, chart.py(0)), Point(chart.area.maxX, chart.py(0)),
                Stroke(.axis.opacity(0.5), width: 1)))
        if perColumn > 2 {
            samples.withUnsafeBufferPointer { s in
                var prevLast: Float? = nil
                for col in 0..<columns {
                    let a = span.start + Int(Double(col) * perColumn)
                    let b = min(span.end, span.start + Int(Double(col + 1) * perColumn))
                    guard b > a else { continue }
                    var lo = s[a], hi = s[a]
                    for i in a..<b { lo = min(lo, s[i]); hi = max(hi, s[i]) }
                    if let p = prevLast { lo = min(lo, p); hi = max(hi, p) }  // join columns
                    prevLast = s[b - 1]
                    let x = chart.area.x + Double(col) + 0.5
                    out.append(
                        .line(Point(x, chart.py(Double(hi))), Point(x, chart.py(Double(lo))), Stroke(color, width: 1)))
                }
            }
        } else {
            let pts = (span.start..<span.end).map { i in chart.point(Double(i) / span.sampleRate, Double(samples[i])) }
            out.append(.polyline(pts, Stroke(color, width: 1.5)))
            if perColumn < 1.0 / 6 {
                for p in pts { out.append(.marker(p, shape: .circle, size: 5, color: color)) }
            }
        }
        return out
    }
}
