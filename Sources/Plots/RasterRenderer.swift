#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Draws a ``Canvas`` into a ``Raster``: the PNG back end.
///
///     let raster = RasterRenderer.render(canvas)
///     let png = try PNGEncoder.encode(raster)
public enum RasterRenderer {
    /// The canvas as pixels.
    public static func render(_ canvas: Canvas) -> Raster {
        var r = Raster(width: canvas.width, height: canvas.height, background: canvas.background)
        for e in canvas.elements { draw(e, into: &r, clip: nil) }
        return r
    }

    static func draw(_ e: Element, into r: inout Raster, clip: Rect?) {
        switch e {
        case let .line(a, b, s):
            stroke([a, b], s, into: &r)
        case let .polyline(pts, s):
            stroke(pts, s, into: &r)
        case let .rect(rect, fill, s):
            if let f = fill { r.fill(rect, f) }
            if let s {
                let p = [
                    Point(rect.x, rect.y), Point(rect.maxX, rect.y), Point(rect.maxX, rect.maxY),
                    Point(rect.x, rect.maxY), Point(rect.x, rect.y)
                ]
                stroke(p, s, into: &r)
            }
        case let .text(s, at, style):
            r.text(s, at: at, style: style)
        case let .marker(p, shape, size, color):
            marker(p, shape, size, color, into: &r)
        case let .image(img, rect):
            r.image(img, in: rect)
        case let .clipped(rect, children):
            let inner = clip.map { intersect($0, rect) } ?? rect
            r.setClip(inner)
            for c in children { draw(c, into: &r, clip: inner) }
            r.setClip(clip)
        }
    }

    static func intersect(_ a: Rect, _ b: Rect) -> Rect {
        let x = max(a.x, b.x), y = max(a.y, b.y)
        return Rect(x: x, y: y, width: max(0, min(a.maxX, b.maxX) - x), height: max(0, min(a.maxY, b.maxY) - y))
    }

    /// Strokes a polyline, cutting it into dashes when the stroke has a pattern.
    static func stroke(_ pts: [Point], _ s: Stroke, into r: inout Raster) {
        guard pts.count >= 2 else { return }
        let pattern = s.dash.filter { $0 > 0 }
        if pattern.isEmpty {
            for i in 1..<pts.count
            where pts[i - 1].x.isFinite && pts[i].x.isFinite && pts[i - 1].y.isFinite && pts[i].y.isFinite {
                r.line(pts[i - 1], pts[i], color: s.color, width: s.width)
            }
            return
        }
        var k = 0
        var left = pattern[0]
        var on = true
        for i in 1..<pts.count {
            var a = pts[i - 1]
            let b = pts[i]
            guard a.x.isFinite, a.y.isFinite, b.x.isFinite, b.y.isFinite else { continue }
            var remaining = hypot(b.x - a.x, b.y - a.y)
            while remaining > 0 {
                let step = min(left, remaining)
                let f = step / remaining
                let c = Point(a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f)
                if on { r.line(a, c, color: s.color, width: s.width) }
                a = c
                remaining -= step
                left -= step
                if left <= 1e-9 {
                    k = (k + 1) % pattern.count
                    left = pattern[k]
                    on.toggle()
                }
            }
        }
    }

    static func marker(_ p: Point, _ shape: MarkerShape, _ size: Double, _ color: Color, into r: inout Raster) {
        let h = size / 2
        switch shape {
        case .circle:
            r.line(p, p, color: color, width: size)
        case .square:
            r.fill(Rect(x: p.x - h, y: p.y - h, width: size, height: size), color)
        case .triangle, .diamond:
            // Filled by horizontal spans.
            let top = p.y - h, bottom = p.y + h
            var y = top.rounded(.down)
            while y < bottom {
                let yc = y + 0.5
                let half: Double
                if shape == .triangle {
                    half = max(0, (yc - top) / size * h)
                } else {
                    half = max(0, h - abs(yc - p.y))
                }
                if half > 0 { r.fill(Rect(x: p.x - half, y: y, width: 2 * half, height: 1), color) }
                y += 1
            }
        }
    }
}
