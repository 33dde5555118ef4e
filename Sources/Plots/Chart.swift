#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How values map onto an axis.
public enum Scale: String, Sendable, Hashable {
    /// Equal distances for equal differences.
    case linear
    /// Equal distances for equal ratios (decades); values must be positive.
    case log10
}

/// One axis: a value range, a scale and a title.
public struct Axis: Sendable, Hashable {
    /// The lowest value on the axis.
    public var min: Double
    /// The highest value on the axis.
    public var max: Double
    /// Linear or base-10 logarithmic.
    public var scale: Scale
    /// The axis title.
    public var label: String
    /// Target number of labelled ticks (linear axes).
    public var tickCount: Int
    /// An axis over `min`…`max`; linear with about 8 ticks unless given.
    public init(min: Double, max: Double, scale: Scale = .linear, label: String = "", tickCount: Int = 8) {
        self.min = min; self.max = max; self.scale = scale; self.label = label; self.tickCount = tickCount
    }

    /// Position 0…1 of `v` along the axis.
    public func fraction(_ v: Double) -> Double {
        switch scale {
        case .linear:
            return max > min ? (v - min) / (max - min) : 0.5
        case .log10:
            guard v > 0, min > 0, max > min else { return v > 0 ? 0.5 : -10 }
            return (Foundation_log10(v) - Foundation_log10(min)) / (Foundation_log10(max) - Foundation_log10(min))
        }
    }

    /// Labelled tick values inside the range.
    public func ticks() -> [Double] {
        switch scale {
        case .linear: return Ticks.linear(min, max, count: tickCount)
        case .log10: return Ticks.decades(min, max)
        }
    }

    /// Unlabelled minor ticks (2…9 × each decade on a log axis; none on a linear one).
    public func minorTicks() -> [Double] {
        guard scale == .log10, min > 0, max > min else { return [] }
        var out = [Double]()
        var e = Foundation_log10(min).rounded(.down)
        while pow(10, e) <= max {
            for k in 2...9 {
                let v = Double(k) * pow(10, e)
                if v >= min && v <= max { out.append(v) }
            }
            e += 1
        }
        return out
    }

    /// The label of a tick value.
    public func tickLabel(_ v: Double) -> String {
        switch scale {
        case .linear: return Ticks.format(v, step: Ticks.step(min, max, count: tickCount))
        case .log10:
            let e = Int(Foundation_log10(v).rounded())
            if e == 0 { return "1" }
            if e == 1 { return "10" }
            return "1e\(e)"
        }
    }
}

@inline(__always) func Foundation_log10(_ v: Double) -> Double { log10(v) }

/// Nice tick values: steps of 1, 2 or 5 × 10^k.
public enum Ticks {
    /// The step between about `count` ticks over `lo…hi`.
    public static func step(_ lo: Double, _ hi: Double, count: Int) -> Double {
        let span = hi - lo
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(Swift.max(1, count))
        let mag = pow(10, log10(raw).rounded(.down))
        let r = raw / mag
        let nice: Double = r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10
        return nice * mag
    }

    /// Tick values inside `lo…hi`.
    public static func linear(_ lo: Double, _ hi: Double, count: Int) -> [Double] {
        let s = step(lo, hi, count: count)
        var v = (lo / s).rounded(.up) * s
        var out = [Double]()
        while v <= hi + s * 1e-9 && out.count < 100 {
            out.append(abs(v) < s * 1e-9 ? 0 : v)
            v += s
        }
        return out
    }

    /// Powers of ten inside `lo…hi`.
    public static func decades(_ lo: Double, _ hi: Double) -> [Double] {
        guard lo > 0, hi > lo else { return [] }
        var out = [Double]()
        var e = log10(lo).rounded(.up)
        while e <= log10(hi) + 1e-9 { out.append(pow(10, e)); e += 1 }
        return out
    }

    /// `v` with as many decimals as the step needs.
    public static func format(_ v: Double, step: Double) -> String {
        let decimals = step >= 1 ? 0 : Int(Swift.min(6, (-log10(step)).rounded(.up)))
        if decimals == 0 { return String(Int(v.rounded())) }
        var p = 1.0
        for _ in 0..<decimals { p *= 10 }
        let r = (v * p).rounded()
        let neg = r < 0
        let a = Int(abs(r))
        let ip = a / Int(p), fp = a % Int(p)
        var f = String(fp)
        while f.count < decimals { f = "0" + f }
        return (neg ? "-" : "") + "\(ip).\(f)"
    }
}

/// One plot area in a canvas: maps data to pixels and draws its frame, grid, ticks
/// and axis titles.
///
///     let chart = Chart(area: Rect(x: 90, y: 50, width: 880, height: 380),
///                       x: Axis(min: 0, max: 1, label: "time (s)"),
///                       y: Axis(min: -1, max: 1, label: "amplitude"))
///     chart.drawAxes(into: &canvas)
///     canvas.add(chart.clip([.polyline(points, Stroke(.series(0)))]))
public struct Chart: Sendable, Hashable {
    /// The plot area in picture coordinates (where data is drawn).
    public var area: Rect
    /// The horizontal axis.
    public var x: Axis
    /// The vertical axis.
    public var y: Axis
    /// Style of the tick labels.
    public var tickStyle = TextStyle(size: 20, color: .axis)
    /// Style of the axis titles.
    public var labelStyle = TextStyle(size: 20, color: .text)

    /// A chart mapping `x` and `y` onto `area`.
    public init(area: Rect, x: Axis, y: Axis) {
        self.area = area; self.x = x; self.y = y
    }

    /// Pixel x of a data x.
    public func px(_ v: Double) -> Double { area.x + x.fraction(v) * area.width }
    /// Pixel y of a data y.
    public func py(_ v: Double) -> Double { area.maxY - y.fraction(v) * area.height }
    /// Pixel point of a data point.
    public func point(_ dx: Double, _ dy: Double) -> Point { Point(px(dx), py(dy)) }

    /// Elements clipped to the plot area.
    public func clip(_ es: [Element]) -> Element { .clipped(area, es) }

    /// Draws grid lines, the frame, ticks with labels and the axis titles.
    /// - Parameters:
    ///   - c: The canvas to draw on.
    ///   - xLabels: Whether to write the x tick labels and title (off for stacked panels).
    ///   - grid: Whether to draw grid lines at the ticks.
    public func drawAxes(into c: inout Canvas, xLabels: Bool = true, grid: Bool = true) {
        let x = fittedX()
        let xt = x.ticks(), yt = y.ticks()
        if grid {
            for v in y.minorTicks() {
                c.add(.line(Point(area.x, py(v)), Point(area.maxX, py(v)), Stroke(Color.grid.opacity(0.5), width: 1)))
            }
            for v in xt { c.add(.line(Point(px(v), area.y), Point(px(v), area.maxY), Stroke(.grid, width: 1))) }
            for v in yt { c.add(.line(Point(area.x, py(v)), Point(area.maxX, py(v)), Stroke(.grid, width: 1))) }
        }
        c.add(.rect(area, fill: nil, stroke: Stroke(.axis, width: 1.5)))
        var ts = tickStyle
        ts.anchor = .middle
        for v in xt {
            c.add(.line(Point(px(v), area.maxY), Point(px(v), area.maxY + 6), Stroke(.axis, width: 1.5)))
            if xLabels {
                // Keep the last label inside the picture.
                let label = x.tickLabel(v), half = ts.width(of: label) / 2
                c.text(label, min(px(v), Double(c.width) - half - 2), area.maxY + 20, ts)
            }
        }
        ts.anchor = .end
        var widest = 0.0
        for v in yt {
            c.add(.line(Point(area.x - 6, py(v)), Point(area.x, py(v)), Stroke(.axis, width: 1.5)))
            let label = y.tickLabel(v)
            widest = max(widest, ts.width(of: label))
            c.text(label, area.x - 10, py(v), ts)
        }
        for v in y.minorTicks() {
            c.add(.line(Point(area.x - 3, py(v)), Point(area.x, py(v)), Stroke(.axis, width: 1)))
        }
        var ls = labelStyle
        ls.anchor = .middle
        if xLabels, !x.label.isEmpty { c.text(x.label, area.midX, area.maxY + 46, ls) }
        if !y.label.isEmpty {
            ls.vertical = true
            c.text(y.label, area.x - 22 - widest, area.midY, ls)
        }
    }
}

extension Chart {
    /// The x axis with as many ticks as fit without their labels touching.
    func fittedX() -> Axis {
        var a = x
        while a.scale == .linear, a.tickCount > 1 {
            let ticks = a.ticks()
            let widest = ticks.map { tickStyle.width(of: a.tickLabel($0)) }.max() ?? 0
            if Double(ticks.count) * (widest + 18) <= area.width { break }
            a.tickCount -= 1
        }
        return a
    }
}

/// Page layout helpers shared by the plot kinds.
public enum Layout {
    /// Writes a bold title centred at the top.
    public static func title(_ t: String, into c: inout Canvas) {
        guard !t.isEmpty else { return }
        c.text(t, Double(c.width) / 2, 22, TextStyle(size: 20, anchor: .middle, bold: true))
    }

    /// The plot area left after margins for a title, y tick labels and an x axis title.
    public static func plotArea(
        width: Int, height: Int, left: Double = 110, right: Double = 30,
        top: Double = 48, bottom: Double = 72
    ) -> Rect {
        Rect(
            x: left, y: top, width: max(10, Double(width) - left - right),
            height: max(10, Double(height) - top - bottom))
    }

    /// Splits `area` into stacked panels with the given relative heights and a gap between.
    public static func stack(_ area: Rect, weights: [Double], gap: Double = 16) -> [Rect] {
        let total = weights.reduce(0, +)
        guard total > 0 else { return [] }
        let usable = area.height - gap * Double(max(0, weights.count - 1))
        var y = area.y
        return weights.map { w in
            let h = usable * w / total
            defer { y += h + gap }
            return Rect(x: area.x, y: y, width: area.width, height: h)
        }
    }
}
