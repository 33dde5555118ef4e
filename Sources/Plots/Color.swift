/// An sRGB colour with opacity, 8 bits per channel.
///
///     let c = Color(hex: 0x1F77B4)      // the first series colour
///     c.svg                            // "#1f77b4"
public struct Color: Sendable, Hashable {
    /// Red, 0…255.
    public var r: UInt8
    /// Green, 0…255.
    public var g: UInt8
    /// Blue, 0…255.
    public var b: UInt8
    /// Opacity, 0 (invisible) … 1 (opaque).
    public var alpha: Double

    /// A colour from 8-bit red, green and blue, opaque unless `alpha` is given.
    public init(r: UInt8, g: UInt8, b: UInt8, alpha: Double = 1) {
        self.r = r; self.g = g; self.b = b; self.alpha = alpha
    }

    /// A colour from `0xRRGGBB`.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(r: UInt8((hex >> 16) & 0xFF), g: UInt8((hex >> 8) & 0xFF), b: UInt8(hex & 0xFF), alpha: alpha)
    }

    /// The same colour with another opacity.
    public func opacity(_ a: Double) -> Color { Color(r: r, g: g, b: b, alpha: a) }

    /// `#rrggbb` for SVG (opacity goes in a separate attribute).
    public var svg: String {
        let digits = Array("0123456789abcdef")
        var s = "#"
        for v in [r, g, b] { s.append(digits[Int(v >> 4)]); s.append(digits[Int(v & 15)]) }
        return s
    }

    /// White, #FFFFFF (the default background).
    public static let white = Color(hex: 0xFFFFFF)
    /// Black, #000000.
    public static let black = Color(hex: 0x000000)
    /// Dark grey for axes and ticks, #333333.
    public static let axis = Color(hex: 0x333333)
    /// Light grey for grid lines, #DDDDDD.
    public static let grid = Color(hex: 0xDDDDDD)
    /// Near-black for text, #111111.
    public static let text = Color(hex: 0x111111)
    /// Green for frames that passed their checks, #2CA02C.
    public static let ok = Color(hex: 0x2CA02C)
    /// Red for frames that failed, #D62728.
    public static let failed = Color(hex: 0xD62728)

    /// Ten distinguishable series colours (Tableau 10).
    public static let series: [Color] = [
        0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD,
        0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF
    ].map { Color(hex: $0) }

    /// Series colour `i`, cycling.
    public static func series(_ i: Int) -> Color { series[((i % series.count) + series.count) % series.count] }
}

/// A perceptual colour map from dark (low) to bright (high), sampled like viridis.
public enum ColorMap {
    /// Stops of the map, evenly spaced over 0…1.
    static let stops: [(Double, Double, Double)] = [
        (68, 1, 84), (72, 40, 120), (62, 73, 137), (49, 104, 142), (38, 130, 142),
        (31, 158, 137), (53, 183, 121), (110, 206, 88), (181, 222, 43), (253, 231, 37)
    ]

    /// The colour for `t` in 0…1 (clamped).
    public static func color(_ t: Double) -> Color {
        let x = t.isFinite ? min(1, max(0, t)) : 0
        let pos = x * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(pos))
        let f = pos - Double(i)
        let a = stops[i], b = stops[i + 1]
        func mix(_ u: Double, _ v: Double) -> UInt8 { UInt8(max(0, min(255, (u + (v - u) * f).rounded()))) }
        return Color(r: mix(a.0, b.0), g: mix(a.1, b.1), b: mix(a.2, b.2))
    }
}
