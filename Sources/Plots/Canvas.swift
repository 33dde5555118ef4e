/// A point in picture coordinates: pixels, x to the right, y down.
public struct Point: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

/// An axis-aligned rectangle in picture coordinates.
public struct Rect: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }
}

/// How a line is drawn.
public struct Stroke: Sendable, Hashable {
    public var color: Color
    public var width: Double
    /// Dash pattern (on, off, on, …) in pixels; empty for solid.
    public var dash: [Double]
    public init(_ color: Color, width: Double = 1.5, dash: [Double] = []) {
        self.color = color; self.width = width; self.dash = dash
    }
}

/// Where a text's anchor point sits horizontally: its start, middle or end.
public enum TextAnchor: String, Sendable, Hashable { case start, middle, end }

/// One line of text. The anchor point is the vertical middle of capital letters.
public struct TextStyle: Sendable, Hashable {
    /// Nominal font size in pixels; the bitmap font draws at `size / 10` times 5×7.
    public var size: Double
    public var color: Color
    public var anchor: TextAnchor
    /// Rotated a quarter turn anticlockwise (reads bottom to top), for y-axis titles.
    public var vertical: Bool
    public var bold: Bool
    public init(size: Double = 20, color: Color = .text, anchor: TextAnchor = .start, vertical: Bool = false, bold: Bool = false) {
        self.size = size; self.color = color; self.anchor = anchor; self.vertical = vertical; self.bold = bold
    }

    /// Integer scale of the 5×7 bitmap font.
    public var scale: Int { max(1, Int((size / 10).rounded())) }
    /// Horizontal advance per character, the same in SVG (monospace) and PNG.
    public var advance: Double { Double(6 * scale) }
    /// Width of `text` in pixels.
    public func width(of text: String) -> Double { Double(text.count) * advance }
}

/// Marker drawn at a data point.
public enum MarkerShape: String, Sendable, Hashable { case circle, square, triangle, diamond }

/// A small RGB picture placed into a rectangle (spectrograms, colour bars), stretched
/// with nearest-neighbour sampling. Row 0 is the top.
public struct RGBImage: Sendable, Hashable {
    public let width: Int
    public let height: Int
    /// `width × height × 3` bytes, row by row.
    public var pixels: [UInt8]
    public init(width: Int, height: Int, fill: Color = .white) {
        self.width = width
        self.height = height
        var p = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) { p[3 * i] = fill.r; p[3 * i + 1] = fill.g; p[3 * i + 2] = fill.b }
        pixels = p
    }
    public subscript(x: Int, y: Int) -> Color {
        get {
            let i = 3 * (y * width + x)
            return Color(r: pixels[i], g: pixels[i + 1], b: pixels[i + 2])
        }
        set {
            let i = 3 * (y * width + x)
            pixels[i] = newValue.r; pixels[i + 1] = newValue.g; pixels[i + 2] = newValue.b
        }
    }
}

/// One thing drawn on a ``Canvas``.
public indirect enum Element: Sendable, Hashable {
    case line(Point, Point, Stroke)
    case polyline([Point], Stroke)
    /// A rectangle, filled and/or outlined.
    case rect(Rect, fill: Color?, stroke: Stroke?)
    case text(String, at: Point, style: TextStyle)
    case marker(Point, shape: MarkerShape, size: Double, color: Color)
    case image(RGBImage, in: Rect)
    /// Elements clipped to a rectangle (data inside a plot area).
    case clipped(Rect, [Element])
}

/// A picture as a list of shapes, drawn in order, with two back ends:
/// ``SVGRenderer`` (text) and ``RasterRenderer`` + ``PNGEncoder`` (pixels).
///
///     var c = Canvas(width: 400, height: 200)
///     c.add(.line(Point(10, 10), Point(390, 190), Stroke(.black)))
///     try c.write(to: "line.png")
public struct Canvas: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public var background: Color
    public private(set) var elements: [Element] = []

    /// A blank canvas; the size must be 64…8000 pixels each way.
    public init(width: Int = 1000, height: Int = 500, background: Color = .white) {
        self.width = width
        self.height = height
        self.background = background
    }

    /// Checks the size.
    public func validate() throws(PlotError) {
        guard (64...8000).contains(width), (64...8000).contains(height) else {
            throw .invalidSize(width: width, height: height)
        }
    }

    public mutating func add(_ e: Element) { elements.append(e) }
    public mutating func add(contentsOf es: [Element]) { elements += es }

    /// Shorthand for a text element.
    public mutating func text(_ s: String, _ x: Double, _ y: Double, _ style: TextStyle = TextStyle()) {
        add(.text(s, at: Point(x, y), style: style))
    }
}
