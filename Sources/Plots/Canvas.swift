/// A point in picture coordinates: pixels, x to the right, y down.
public struct Point: Sendable, Hashable {
    /// Horizontal position in pixels from the left edge.
    public var x: Double
    /// Vertical position in pixels from the top edge.
    public var y: Double
    /// A point at (`x`, `y`) pixels.
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

/// An axis-aligned rectangle in picture coordinates.
public struct Rect: Sendable, Hashable {
    /// Left edge in pixels.
    public var x: Double
    /// Top edge in pixels.
    public var y: Double
    /// Width in pixels.
    public var width: Double
    /// Height in pixels.
    public var height: Double
    /// A rectangle from its top-left corner and size in pixels.
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    /// Right edge in pixels.
    public var maxX: Double { x + width }
    /// Bottom edge in pixels.
    public var maxY: Double { y + height }
    /// Horizontal centre in pixels.
    public var midX: Double { x + width / 2 }
    /// Vertical centre in pixels.
    public var midY: Double { y + height / 2 }
}

/// How a line is drawn.
public struct Stroke: Sendable, Hashable {
    /// Line colour.
    public var color: Color
    /// Line width in pixels.
    public var width: Double
    /// Dash pattern (on, off, on, …) in pixels; empty for solid.
    public var dash: [Double]
    /// A stroke of `color`, 1.5 pixels wide and solid unless given.
    public init(_ color: Color, width: Double = 1.5, dash: [Double] = []) {
        self.color = color; self.width = width; self.dash = dash
    }
}

/// Where a text's anchor point sits horizontally: its start, middle or end.
public enum TextAnchor: String, Sendable, Hashable {
    /// The text starts at the anchor point (left-aligned).
    case start
    /// The text is centred on the anchor point.
    case middle
    /// The text ends at the anchor point (right-aligned).
    case end
}

/// One line of text. The anchor point is the vertical middle of capital letters.
public struct TextStyle: Sendable, Hashable {
    /// Nominal font size in pixels; the bitmap font draws at `size / 10` times 5×7.
    public var size: Double
    /// Text colour.
    public var color: Color
    /// Which point of the text sits at the given position: start, middle or end.
    public var anchor: TextAnchor
    /// Rotated a quarter turn anticlockwise (reads bottom to top), for y-axis titles.
    public var vertical: Bool
    /// Whether the text is drawn bold.
    public var bold: Bool
    /// A text style; 20-pixel, left-anchored, horizontal and regular unless given.
    public init(
        size: Double = 20, color: Color = .text, anchor: TextAnchor = .start, vertical: Bool = false, bold: Bool = false
    ) {
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
public enum MarkerShape: String, Sendable, Hashable {
    /// A filled circle.
    case circle
    /// A filled square.
    case square
    /// A filled triangle, point up.
    case triangle
    /// A filled square turned 45°.
    case diamond
}

/// A small RGB picture placed into a rectangle (spectrograms, colour bars), stretched
/// with nearest-neighbour sampling. Row 0 is the top.
public struct RGBImage: Sendable, Hashable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `width × height × 3` bytes, row by row.
    public var pixels: [UInt8]
    /// An image of `width × height` pixels filled with one colour.
    public init(width: Int, height: Int, fill: Color = .white) {
        self.width = width
        self.height = height
        var p = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) { p[3 * i] = fill.r; p[3 * i + 1] = fill.g; p[3 * i + 2] = fill.b }
        pixels = p
    }
    /// The colour of pixel (`x`, `y`), row 0 at the top; indices must be inside the image.
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
    /// A straight line between two points.
    case line(Point, Point, Stroke)
    /// Connected line segments through the points, in order.
    case polyline([Point], Stroke)
    /// A rectangle, filled and/or outlined.
    case rect(Rect, fill: Color?, stroke: Stroke?)
    /// A string at a point, in a style.
    case text(String, at: Point, style: TextStyle)
    /// A data-point marker of a shape, size in pixels and colour, centred on a point.
    case marker(Point, shape: MarkerShape, size: Double, color: Color)
    /// A bitmap image scaled into a rectangle (nearest-neighbour).
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
    /// Width in pixels (64…8000).
    public let width: Int
    /// Height in pixels (64…8000).
    public let height: Int
    /// The colour behind everything drawn.
    public var background: Color
    /// What is drawn, in painting order (later elements on top).
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

    /// Draws `e` on top of what is there.
    public mutating func add(_ e: Element) { elements.append(e) }
    /// Draws `es` in order on top of what is there.
    public mutating func add(contentsOf es: [Element]) { elements += es }

    /// Shorthand for a text element.
    public mutating func text(_ s: String, _ x: Double, _ y: Double, _ style: TextStyle = TextStyle()) {
        add(.text(s, at: Point(x, y), style: style))
    }
}
