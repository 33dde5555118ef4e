/// One line code's level trace for the line-code picture.
public struct LineCodeTrace: Sendable, Hashable {
    /// Shown left of the trace (`NRZ-L`, `Manchester (IEEE 802.3)`, …).
    public var name: String
    /// Levels 0/1, `chipsPerBit` per data bit.
    public var chips: [UInt8]
    /// Chips per data bit: 1 for NRZ codes, 2 for Manchester codes.
    public var chipsPerBit: Int
    /// A short rule written small under the name (`1 = low-to-high mid-bit`).
    public var note: String
    /// A trace of `chips`, `chipsPerBit` per data bit.
    public init(name: String, chips: [UInt8], chipsPerBit: Int, note: String = "") {
        self.name = name; self.chips = chips; self.chipsPerBit = chipsPerBit; self.note = note
    }
}

/// The FSK audio of one of the traces, drawn under them on the same bit axis.
public struct ToneTrace: Sendable, Hashable {
    /// Shown left of the audio trace.
    public var title: String
    /// The audio samples of the whole bit sequence.
    public var samples: [Float]
    /// Chip value of each chip (to label the tone used).
    public var chips: [UInt8]
    /// Chips per data bit, as in the traces above it.
    public var chipsPerBit: Int
    /// Label per chip value, e.g. ["1200 Hz", "2400 Hz"].
    public var toneLabels: [String]
    /// An audio trace with its chips and the label of each chip value's tone.
    public init(title: String, samples: [Float], chips: [UInt8], chipsPerBit: Int, toneLabels: [String]) {
        self.title = title; self.samples = samples; self.chips = chips; self.chipsPerBit = chipsPerBit;
        self.toneLabels = toneLabels
    }
}

/// A picture a student can read: the same bits drawn as level traces under several
/// line codes, with bit boundaries (solid) and mid-bit instants (dotted), each bit's
/// value on top, and the FSK waveform of one of the codes at the bottom.
///
///     let c = try LineCodePlot.render(bits: [1,0,1,1,0,0,1,0], traces: traces, tone: fsk)
public enum LineCodePlot {
    /// Draws the bits, each line code's level trace and, optionally, the FSK audio on one bit axis.
    /// - Parameters:
    ///   - bits: The data bits, 0 or 1.
    ///   - traces: One level trace per line code.
    ///   - tone: The audio of one trace, drawn underneath (nil: none).
    ///   - width: Picture width in pixels.
    ///   - height: Picture height in pixels.
    ///   - title: Text above the traces.
    /// - Returns: The picture.
    /// - Throws: ``PlotError`` for a bad size, or no bits or no traces.
    public static func render(
        bits: [UInt8], traces: [LineCodeTrace], tone: ToneTrace?,
        width: Int = 1000, height: Int = 760,
        title: String = "Line codes"
    ) throws(PlotError) -> Canvas {
        var c = Canvas(width: width, height: height)
        try c.validate()
        guard !bits.isEmpty, !traces.isEmpty else { throw .noData("no bits to draw") }
        let n = Double(bits.count)
        let left = 10 + TextStyle(size: 20).width(of: "Diff. Manchester") + 16
        let area = Layout.plotArea(width: width, height: height, left: left, right: 24, top: 78, bottom: 72)
        var weights = [Double](repeating: 1, count: traces.count)
        if tone != nil { weights.append(1.6) }
        let panels = Layout.stack(area, weights: weights, gap: 18)
        Layout.title(title + ": bits " + bits.map(String.init).joined(), into: &c)
        let xAxis = Axis(min: 0, max: n, label: "bit", tickCount: bits.count)

        // Bit values over the first panel.
        let head = Chart(area: panels[0], x: xAxis, y: Axis(min: 0, max: 1))
        for (i, b) in bits.enumerated() {
            c.text(
                String(b), head.px(Double(i) + 0.5), area.y - 16,
                TextStyle(size: 30, color: .text, anchor: .middle, bold: true))
        }
        for (p, panel) in panels.enumerated() {
            let chart = Chart(area: panel, x: xAxis, y: Axis(min: -0.35, max: 1.35))
            c.add(.rect(panel, fill: Color(hex: 0xFAFAFA), stroke: Stroke(.axis, width: 1)))
            var grid = [Element]()
            for i in 0...bits.count {
                grid.append(
                    .line(
                        Point(chart.px(Double(i)), panel.y), Point(chart.px(Double(i)), panel.maxY),
                        Stroke(.axis.opacity(0.45), width: 1)))
                if i < bits.count {
                    let x = chart.px(Double(i) + 0.5)
                    grid.append(.line(Point(x, panel.y), Point(x, panel.maxY), Stroke(.grid, width: 1, dash: [2, 4])))
                }
            }
            c.add(chart.clip(grid))
            if p < traces.count {
                let t = traces[p]
                let cpb = Double(max(1, t.chipsPerBit))
                var pts = [Point]()
                for (k, chip) in t.chips.enumerated() {
                    let y = chart.py(chip == 0 ? 0 : 1)
                    pts.append(Point(chart.px(Double(k) / cpb), y))
                    pts.append(Point(chart.px(Double(k + 1) / cpb), y))
                }
                c.add(chart.clip([.polyline(pts, Stroke(.series(p), width: 3))]))
                c.text(t.name, 10, panel.midY - 9, TextStyle(size: 20, color: .series(p), bold: true))
                for (j, line) in t.note.split(separator: "\n").enumerated() {
                    c.text(String(line), 10, panel.midY + 13 + 12 * Double(j), TextStyle(size: 10, color: .axis))
                }
            } else if let tone {
                let lim = Double(tone.samples.map { abs($0) }.max() ?? 1) * 1.1
                let wave = Chart(area: panel, x: xAxis, y: Axis(min: -lim, max: lim))
                let count = tone.samples.count
                let pts = tone.samples.enumerated().map {
                    wave.point(Double($0.offset) / Double(max(1, count)) * n, Double($0.element))
                }
                c.add(wave.clip([.polyline(pts, Stroke(.axis, width: 1.5))]))
                let cpb = Double(max(1, tone.chipsPerBit))
                for (k, chip) in tone.chips.enumerated() where Int(chip) < tone.toneLabels.count {
                    let x = wave.px((Double(k) + 0.5) / cpb)
                    let style = TextStyle(size: 10, color: .series(Int(chip) == 0 ? 0 : 3), anchor: .middle)
                    c.text(tone.toneLabels[Int(chip)], x, panel.y + 10, style)
                }
                c.text("FSK audio", 10, panel.midY - 9, TextStyle(size: 20, color: .text, bold: true))
                for (j, line) in tone.title.split(separator: "\n").enumerated() {
                    c.text(String(line), 10, panel.midY + 13 + 12 * Double(j), TextStyle(size: 10, color: .axis))
                }
            }
        }
        let last = Chart(area: panels[panels.count - 1], x: xAxis, y: Axis(min: 0, max: 1))
        for i in 0...bits.count {
            c.text(String(i), last.px(Double(i)), area.maxY + 18, TextStyle(size: 20, color: .axis, anchor: .middle))
        }
        c.text(
            "time (bit periods); solid lines: bit boundaries, dotted: mid-bit", area.midX, area.maxY + 46,
            TextStyle(size: 20, anchor: .middle))
        return c
    }
}
