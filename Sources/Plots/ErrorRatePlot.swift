#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One named curve on an error-rate chart.
public struct CurveSeries: Sendable, Hashable {
    /// Legend text.
    public var name: String
    /// (Eb/N0 dB, rate) points; rates ≤ 0 cannot sit on a log axis and are skipped.
    public var points: [Point]
    /// Line and marker colour.
    public var color: Color
    /// Dashed for theory, empty for measurements.
    public var dash: [Double]
    /// Markers at the points (measurements) or none (theory).
    public var marker: MarkerShape?
    /// A curve; solid without markers unless `dash` or `marker` is given.
    public init(name: String, points: [Point], color: Color, dash: [Double] = [], marker: MarkerShape? = nil) {
        self.name = name; self.points = points; self.color = color; self.dash = dash; self.marker = marker
    }

    /// A theory curve sampled every 0.1 dB over `range`, dashed.
    public static func theory(
        _ name: String, range: ClosedRange<Double>, color: Color,
        _ f: (Double) -> Double
    ) -> CurveSeries {
        var pts = [Point]()
        var x = range.lowerBound
        while x <= range.upperBound + 1e-9 { pts.append(Point(x, f(x))); x += 0.1 }
        return CurveSeries(name: name, points: pts, color: color, dash: [8, 5])
    }
}

/// Measured error rates read from CSV: a header line `mode,ebn0_db,ber,fer`
/// (columns in any order; `fer` optional) and one row per measurement.
///
///     mode,ebn0_db,ber,fer
///     fsk1200,6,0.021,0.62
public struct ErrorRateTable: Sendable, Hashable {
    /// One measurement: a mode at one Eb/N0.
    public struct Row: Sendable, Hashable {
        /// The mode's name (e.g. `fsk1200`).
        public var mode: String
        /// Eb/N0 in dB.
        public var ebn0dB: Double
        /// Bit error rate, 0…1.
        public var ber: Double
        /// Frame error rate, 0…1 (nil when not measured).
        public var fer: Double?
    }
    /// The measurements in file order.
    public var rows: [Row]

    /// Mode names in order of first appearance.
    public var modes: [String] {
        var seen = Set<String>(), out = [String]()
        for r in rows where seen.insert(r.mode).inserted { out.append(r.mode) }
        return out
    }

    /// A table of `rows`.
    public init(rows: [Row]) { self.rows = rows }

    /// Parses CSV text. Blank lines and lines starting with `#` are ignored.
    public init(csv: String) throws(PlotError) {
        var header: [String]? = nil
        var rows = [Row]()
        for (i, raw) in csv.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: " \t\r")
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: " \t")
            }
            guard let h = header else {
                header = cells.map { $0.lowercased() }
                for need in ["mode", "ebn0_db", "ber"] where !(header ?? []).contains(need) {
                    throw .badCSV(line: i + 1, reason: "header needs a '\(need)' column (mode,ebn0_db,ber,fer)")
                }
                continue
            }
            func cell(_ name: String) -> String? {
                guard let k = h.firstIndex(of: name), k < cells.count, !cells[k].isEmpty else { return nil }
                return cells[k]
            }
            guard let mode = cell("mode") else { throw .badCSV(line: i + 1, reason: "no mode") }
            guard let e = cell("ebn0_db").flatMap(Double.init), e.isFinite else {
                throw .badCSV(line: i + 1, reason: "ebn0_db is not a number")
            }
            guard let b = cell("ber").flatMap(Double.init), b >= 0, b <= 1 else {
                throw .badCSV(line: i + 1, reason: "ber must be a number in 0…1")
            }
            var fer: Double? = nil
            if let s = cell("fer") {
                guard let v = Double(s), v >= 0, v <= 1 else {
                    throw .badCSV(line: i + 1, reason: "fer must be a number in 0…1")
                }
                fer = v
            }
            rows.append(Row(mode: mode, ebn0dB: e, ber: b, fer: fer))
        }
        guard !rows.isEmpty else { throw .noData("the CSV has no measurements") }
        self.rows = rows
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
extension Substring {
    func trimmingCharacters(in set: String) -> String { String(self).trimmingCharacters(in: set) }
}

/// Error rate against Eb/N0 on a log axis: measurements with markers, theory dashed.
///
///     let c = try ErrorRatePlot.render([measured, theory], title: "BER")
public enum ErrorRatePlot {
    /// Draws error rate against Eb/N0 with a log-scaled y axis.
    /// - Parameters:
    ///   - series: The curves; points with a rate ≤ 0 are skipped.
    ///   - title: Text above the chart.
    ///   - yLabel: The y axis title.
    ///   - xRange: Eb/N0 range in dB (nil: fitted to the points).
    ///   - width: Picture width in pixels.
    ///   - height: Picture height in pixels.
    /// - Returns: The picture.
    /// - Throws: ``PlotError/noData(_:)`` when no point can be drawn, or a bad size.
    public static func render(
        _ series: [CurveSeries], title: String = "Bit error rate vs Eb/N0",
        yLabel: String = "error rate", xRange: ClosedRange<Double>? = nil,
        width: Int = 1000, height: Int = 700
    ) throws(PlotError) -> Canvas {
        var c = Canvas(width: width, height: height)
        try c.validate()
        let usable = series.flatMap { $0.points }.filter { $0.y > 0 && $0.y.isFinite && $0.x.isFinite }
        guard !usable.isEmpty else { throw .noData("no error rates above zero") }
        let measured = series.filter { $0.marker != nil }.flatMap { $0.points }.filter { $0.y > 0 }
        let xs = (measured.isEmpty ? usable : measured).map(\.x)
        let lo = xRange?.lowerBound ?? ((xs.min() ?? 0) - 1).rounded(.down)
        let hi = xRange?.upperBound ?? ((xs.max() ?? 10) + 1).rounded(.up)
        let minY = (measured.isEmpty ? usable : measured).map(\.y).min() ?? 1e-6
        let yMin = max(1e-9, pow(10, (log10(minY) - 0.5).rounded(.down)))
        let legendRoom = Chart.legendHeight(series.count) + 8
        let area = Layout.plotArea(width: width, height: height, bottom: 72 + legendRoom)
        guard area.height > 80 else { throw .invalidSize(width: width, height: height) }
        let chart = Chart(
            area: area, x: Axis(min: lo, max: max(hi, lo + 1), label: "Eb/N0 (dB)", tickCount: 10),
            y: Axis(min: yMin, max: 1, scale: .log10, label: yLabel))
        Layout.title(title, into: &c)
        chart.drawAxes(into: &c)
        var es = [Element]()
        for s in series {
            let pts = s.points.filter { $0.y > 0 && $0.y.isFinite }.map { chart.point($0.x, $0.y) }
            if pts.count > 1 {
                es.append(.polyline(pts, Stroke(s.color, width: s.marker == nil ? 2 : 1.5, dash: s.dash)))
            }
            if let m = s.marker { for p in pts { es.append(.marker(p, shape: m, size: 9, color: s.color)) } }
        }
        c.add(chart.clip(es))
        chart.drawLegend(
            series.map { LegendEntry($0.name, color: $0.color, dash: $0.dash, marker: $0.marker) },
            corner: .below, into: &c)
        return c
    }

    /// The standard chart for a sweep table: for each mode its measured BER (and FER
    /// when present), and the theory curves given (dashed), in their order.
    /// - Parameters:
    ///   - table: The measurements, one series per mode.
    ///   - theory: Reference curves sampled over the table's Eb/N0 range.
    ///   - width: Picture width in pixels.
    ///   - height: Picture height in pixels.
    /// - Returns: The picture.
    /// - Throws: ``PlotError`` for a bad size or when nothing can be drawn.
    public static func render(
        table: ErrorRateTable, theory: [TheoryCurve],
        width: Int = 1000, height: Int = 700
    ) throws(PlotError) -> Canvas {
        var series = [CurveSeries]()
        let xs = table.rows.map(\.ebn0dB)
        let range = ((xs.min() ?? 0) - 1).rounded(.down)...((xs.max() ?? 10) + 1).rounded(.up)
        let markers: [MarkerShape] = [.circle, .square, .triangle, .diamond]
        for (i, mode) in table.modes.enumerated() {
            let rows = table.rows.filter { $0.mode == mode }.sorted { $0.ebn0dB < $1.ebn0dB }
            let color = Color.series(2 * i)
            // A name that already says what it measures ("… (packets lost)") is kept as it is.
            series.append(
                CurveSeries(
                    name: mode.contains("(") ? mode : "\(mode) BER", points: rows.map { Point($0.ebn0dB, $0.ber) },
                    color: color, marker: markers[i % markers.count]))
            let fers = rows.compactMap { r in r.fer.map { Point(r.ebn0dB, $0) } }
            if !fers.isEmpty {
                series.append(
                    CurveSeries(
                        name: "\(mode) FER", points: fers, color: Color.series(2 * i + 1),
                        dash: [2, 3], marker: markers[(i + 1) % markers.count]))
            }
        }
        for curve in theory {
            series.append(.theory(curve.name, range: range, color: curve.color, curve.errorRate))
        }
        return try render(
            series, title: "Error rate vs Eb/N0 (measured points, theory dashed)", yLabel: "BER / FER",
            xRange: range, width: width, height: height)
    }
}

/// A reference curve for an error-rate chart: a name, a colour and the error rate as a
/// function of Eb/N0 in dB (the chart samples it every 0.1 dB and draws it dashed).
public struct TheoryCurve: Sendable {
    /// Legend text.
    public var name: String
    /// Line colour.
    public var color: Color
    /// Error rate at an Eb/N0 in dB.
    public var errorRate: @Sendable (Double) -> Double

    /// A curve called `name` in `color`, computing the error rate from Eb/N0 in dB.
    public init(name: String, color: Color, errorRate: @escaping @Sendable (Double) -> Double) {
        self.name = name
        self.color = color
        self.errorRate = errorRate
    }
}
