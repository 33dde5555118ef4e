#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An RGB pixel buffer with anti-aliased drawing primitives, all clipped to a
/// rectangle. The inner loops work on the buffer through an unsafe pointer.
public struct Raster: Sendable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `width × height × 3` bytes, row by row, top row first.
    public private(set) var pixels: [UInt8]
    /// Drawing outside this pixel box is discarded: x in clipX0..<clipX1, y in clipY0..<clipY1.
    var clipX0 = 0, clipY0 = 0, clipX1: Int, clipY1: Int

    /// A raster of `width × height` pixels filled with `background`.
    public init(width: Int, height: Int, background: Color) {
        self.width = width
        self.height = height
        clipX1 = width
        clipY1 = height
        var p = [UInt8](repeating: 0, count: width * height * 3)
        p.withUnsafeMutableBufferPointer { buf in
            for i in 0..<(width * height) {
                buf[3 * i] = background.r; buf[3 * i + 1] = background.g; buf[3 * i + 2] = background.b
            }
        }
        pixels = p
    }

    /// Restricts drawing to `rect` (intersected with the picture); nil lifts the restriction.
    mutating func setClip(_ rect: Rect?) {
        guard let r = rect else { clipX0 = 0; clipY0 = 0; clipX1 = width; clipY1 = height; return }
        clipX0 = max(0, Int(r.x.rounded(.down))); clipY0 = max(0, Int(r.y.rounded(.down)))
        clipX1 = min(width, Int(r.maxX.rounded(.up))); clipY1 = min(height, Int(r.maxY.rounded(.up)))
    }

    /// The colour at a pixel (for tests).
    public func pixel(x: Int, y: Int) -> Color {
        let i = 3 * (y * width + x)
        return Color(r: pixels[i], g: pixels[i + 1], b: pixels[i + 2])
    }

    /// Blends `color` over pixel (x, y) with coverage `cover` (0…1), if inside the clip.
    @inline(__always)
    static func blend(_ p: UnsafeMutablePointer<UInt8>, _ color: Color, _ cover: Double) {
        let a = cover * color.alpha
        if a <= 0 { return }
        if a >= 1 { p[0] = color.r; p[1] = color.g; p[2] = color.b; return }
        let b = 1 - a
        p[0] = UInt8(Double(p[0]) * b + Double(color.r) * a + 0.5)
        p[1] = UInt8(Double(p[1]) * b + Double(color.g) * a + 0.5)
        p[2] = UInt8(Double(p[2]) * b + Double(color.b) * a + 0.5)
    }

    /// Fills a rectangle; partly covered edge pixels are blended.
    public mutating func fill(_ r: Rect, _ color: Color) {
        let x0 = max(clipX0, Int(r.x.rounded(.down))), x1 = min(clipX1, Int(r.maxX.rounded(.up)))
        let y0 = max(clipY0, Int(r.y.rounded(.down))), y1 = min(clipY1, Int(r.maxY.rounded(.up)))
        guard x0 < x1, y0 < y1 else { return }
        let w = width
        pixels.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            for y in y0..<y1 {
                let cy = min(Double(y + 1), r.maxY) - max(Double(y), r.y)
                for x in x0..<x1 {
                    let cx = min(Double(x + 1), r.maxX) - max(Double(x), r.x)
                    Raster.blend(base + 3 * (y * w + x), color, max(0, cx) * max(0, cy))
                }
            }
        }
    }

    /// Draws a segment `width` pixels wide with round ends; each pixel's coverage comes
    /// from its centre's distance to the segment (one pixel of soft edge).
    public mutating func line(_ a: Point, _ b: Point, color: Color, width lineWidth: Double) {
        let r = max(0.5, lineWidth / 2)
        let dx = b.x - a.x, dy = b.y - a.y
        let len2 = dx * dx + dy * dy
        let y0 = max(clipY0, Int((min(a.y, b.y) - r - 1).rounded(.down)))
        let y1 = min(clipY1, Int((max(a.y, b.y) + r + 1).rounded(.up)))
        let bx0 = min(a.x, b.x) - r - 1, bx1 = max(a.x, b.x) + r + 1
        guard y0 < y1, bx1 >= Double(clipX0), bx0 <= Double(clipX1) else { return }
        let len = len2.squareRoot()
        // Horizontal half-width of the band on one row (bounded by the box).
        let uy = len > 0 ? abs(dy) / len : 1
        let half = uy > 1e-6 ? (r + 1) / uy : Double.infinity
        let w = width
        let cx0 = clipX0, cx1 = clipX1
        pixels.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            for y in y0..<y1 {
                let py = Double(y) + 0.5
                var lo = bx0, hi = bx1
                if half.isFinite, dy != 0 {
                    let t = (py - a.y) / dy
                    let xc = a.x + t * dx
                    lo = max(lo, xc - half - 1); hi = min(hi, xc + half + 1)
                }
                let x0 = max(cx0, Int(lo.rounded(.down))), x1 = min(cx1, Int(hi.rounded(.up)))
                if x0 >= x1 { continue }
                for x in x0..<x1 {
                    let px = Double(x) + 0.5
                    var t = len2 > 0 ? ((px - a.x) * dx + (py - a.y) * dy) / len2 : 0
                    t = min(1, max(0, t))
                    let ex = px - (a.x + t * dx), ey = py - (a.y + t * dy)
                    let d = (ex * ex + ey * ey).squareRoot()
                    let cover = min(1, r + 0.5 - d)
                    if cover > 0 { Raster.blend(base + 3 * (y * w + x), color, cover) }
                }
            }
        }
    }

    /// Draws text with the built-in bitmap font; (`at`) is the vertical middle of the capitals.
    public mutating func text(_ s: String, at p: Point, style: TextStyle) {
        let scale = style.scale
        let total = style.width(of: s)
        var offset: Double
        switch style.anchor {
        case .start: offset = 0
        case .middle: offset = -total / 2
        case .end: offset = -total
        }
        let capHalf = 3.5 * Double(scale)
        let w = width
        let (cx0, cy0, cx1, cy1) = (clipX0, clipY0, clipX1, clipY1)
        pixels.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            func plot(_ x: Int, _ y: Int) {
                guard x >= cx0, x < cx1, y >= cy0, y < cy1 else { return }
                Raster.blend(base + 3 * (y * w + x), style.color, 1)
            }
            for ch in s {
                let g = BitmapFont.glyph(ch)
                for row in 0..<BitmapFont.rows where g[row] != 0 {
                    for col in 0..<BitmapFont.columns where BitmapFont.isSet(g, col: col, row: row) {
                        for sy in 0..<scale {
                            for sx in 0..<(scale + (style.bold ? 1 : 0)) {
                                // Unrotated: u along the text, v down.
                                let u = offset + Double(col * scale + sx)
                                let v = -capHalf + Double(row * scale + sy)
                                if style.vertical {
                                    plot(Int((p.x + v).rounded(.down)), Int((p.y - u).rounded(.down)) - 1)
                                } else {
                                    plot(Int((p.x + u).rounded(.down)), Int((p.y + v).rounded(.down)))
                                }
                            }
                        }
                    }
                }
                offset += style.advance
            }
        }
    }

    /// Draws `image` stretched into `rect` (nearest neighbour).
    public mutating func image(_ image: RGBImage, in r: Rect) {
        guard image.width > 0, image.height > 0, r.width > 0, r.height > 0 else { return }
        let x0 = max(clipX0, Int(r.x.rounded())), x1 = min(clipX1, Int(r.maxX.rounded()))
        let y0 = max(clipY0, Int(r.y.rounded())), y1 = min(clipY1, Int(r.maxY.rounded()))
        guard x0 < x1, y0 < y1 else { return }
        let w = width
        let sx = Double(image.width) / r.width, sy = Double(image.height) / r.height
        pixels.withUnsafeMutableBufferPointer { buf in
            image.pixels.withUnsafeBufferPointer { src in
                for y in y0..<y1 {
                    let iy = min(image.height - 1, max(0, Int((Double(y) + 0.5 - r.y) * sy)))
                    for x in x0..<x1 {
                        let ix = min(image.width - 1, max(0, Int((Double(x) + 0.5 - r.x) * sx)))
                        let s = 3 * (iy * image.width + ix), d = 3 * (y * w + x)
                        buf[d] = src[s]; buf[d + 1] = src[s + 1]; buf[d + 2] = src[s + 2]
                    }
                }
            }
        }
    }
}
