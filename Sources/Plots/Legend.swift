/// One line of a legend.
public struct LegendEntry: Sendable, Hashable {
    /// The text next to the sample.
    public var label: String
    /// The sample's colour.
    public var color: Color
    /// Dash pattern of the sample line (empty: solid; nil: no line).
    public var dash: [Double]?
    /// The marker drawn on the sample line (nil: none).
    public var marker: MarkerShape?
    /// A filled swatch instead of a line (shaded regions).
    public var swatch: Bool
    /// An entry; a solid line without marker unless given.
    public init(_ label: String, color: Color, dash: [Double]? = [], marker: MarkerShape? = nil, swatch: Bool = false) {
        self.label = label; self.color = color; self.dash = dash; self.marker = marker; self.swatch = swatch
    }
}

/// Where a legend box sits: in a corner of the plot area, or under the x-axis title
/// (``Chart/legendHeight(_:)`` tells how much room that needs).
public enum LegendCorner: Sendable, Hashable {
    /// Inside the plot area, top right.
    case topRight
    /// Inside the plot area, top left.
    case topLeft
    /// Inside the plot area, bottom left.
    case bottomLeft
    /// Inside the plot area, bottom right.
    case bottomRight
    /// Under the x-axis title, outside the plot area.
    case below
}

extension Chart {
    /// Height of a legend box with `entries` rows.
    public static func legendHeight(_ entries: Int) -> Double { 16 + 24 * Double(entries) }

    /// The corner of the plot area whose legend-sized box covers the fewest of `points`.
    public func quietestCorner(for entries: [LegendEntry], avoiding points: [Point]) -> LegendCorner {
        let style = TextStyle(size: 20)
        let w = 58 + (entries.map { style.width(of: $0.label) }.max() ?? 0)
        let h = Chart.legendHeight(entries.count) + 8
        let corners: [(LegendCorner, Rect)] = [
            (.bottomRight, Rect(x: area.maxX - w - 8, y: area.maxY - h, width: w + 8, height: h)),
            (.topRight, Rect(x: area.maxX - w - 8, y: area.y, width: w + 8, height: h)),
            (.bottomLeft, Rect(x: area.x, y: area.maxY - h, width: w + 8, height: h)),
            (.topLeft, Rect(x: area.x, y: area.y, width: w + 8, height: h))
        ]
        var best = corners[0].0, fewest = Int.max
        for (corner, r) in corners {
            let n = points.filter { $0.x >= r.x && $0.x <= r.maxX && $0.y >= r.y && $0.y <= r.maxY }.count
            if n < fewest { fewest = n; best = corner }
        }
        return best
    }

    /// Draws a boxed legend in a corner of the plot area.
    public func drawLegend(_ entries: [LegendEntry], corner: LegendCorner = .topRight, into c: inout Canvas) {
        guard !entries.isEmpty else { return }
        let style = TextStyle(size: 20, color: .text)
        let rowH = 24.0, sample = 34.0, pad = 8.0
        let textW = entries.map { style.width(of: $0.label) }.max() ?? 0
        let w = pad * 3 + sample + textW, h = pad * 2 + rowH * Double(entries.count)
        let x: Double, y: Double
        switch corner {
        case .topRight: x = area.maxX - w - 8; y = area.y + 8
        case .topLeft: x = area.x + 8; y = area.y + 8
        case .bottomLeft: x = area.x + 8; y = area.maxY - h - 8
        case .bottomRight: x = area.maxX - w - 8; y = area.maxY - h - 8
        case .below: x = area.x; y = area.maxY + 64
        }
        c.add(
            .rect(
                Rect(x: x, y: y, width: w, height: h), fill: Color.white.opacity(0.9), stroke: Stroke(.axis, width: 1)))
        for (i, e) in entries.enumerated() {
            let cy = y + pad + rowH * (Double(i) + 0.5)
            let x0 = x + pad, x1 = x + pad + sample
            if e.swatch {
                c.add(.rect(Rect(x: x0, y: cy - 6, width: sample, height: 12), fill: e.color, stroke: nil))
            } else if let d = e.dash {
                c.add(.line(Point(x0, cy), Point(x1, cy), Stroke(e.color, width: 2, dash: d)))
            }
            if let m = e.marker { c.add(.marker(Point((x0 + x1) / 2, cy), shape: m, size: 8, color: e.color)) }
            c.text(e.label, x1 + pad, cy, style)
        }
    }
}
