/// Writes a ``Canvas`` as SVG 1.1 text. Text uses a monospace font sized so that a
/// character is as wide as the PNG's bitmap glyphs; images are embedded as PNG data.
///
///     let svg = try SVGRenderer.render(canvas)
public enum SVGRenderer {
    /// The SVG document.
    public static func render(_ canvas: Canvas) throws(PlotError) -> String {
        var s = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" \
            width="\(canvas.width)" height="\(canvas.height)" viewBox="0 0 \(canvas.width) \(canvas.height)">

            """
        s +=
            "<rect x=\"0\" y=\"0\" width=\"\(canvas.width)\" height=\"\(canvas.height)\" fill=\"\(canvas.background.svg)\"/>\n"
        var clipCount = 0
        for e in canvas.elements { try emit(e, into: &s, clips: &clipCount) }
        s += "</svg>\n"
        return s
    }

    static func emit(_ e: Element, into s: inout String, clips: inout Int) throws(PlotError) {
        switch e {
        case let .line(a, b, st):
            s += "<line x1=\"\(n(a.x))\" y1=\"\(n(a.y))\" x2=\"\(n(b.x))\" y2=\"\(n(b.y))\"\(strokeAttrs(st))/>\n"
        case let .polyline(pts, st):
            let finite = pts.filter { $0.x.isFinite && $0.y.isFinite }
            guard finite.count >= 2 else { return }
            let list = finite.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ")
            s += "<polyline points=\"\(list)\" fill=\"none\" stroke-linejoin=\"round\"\(strokeAttrs(st))/>\n"
        case let .rect(r, fill, st):
            var attrs = " x=\"\(n(r.x))\" y=\"\(n(r.y))\" width=\"\(n(r.width))\" height=\"\(n(r.height))\""
            if let f = fill {
                attrs += " fill=\"\(f.svg)\""
                if f.alpha < 1 { attrs += " fill-opacity=\"\(n(f.alpha))\"" }
            } else {
                attrs += " fill=\"none\""
            }
            if let st { attrs += strokeAttrs(st) }
            s += "<rect\(attrs)/>\n"
        case let .text(str, at, style):
            let size = Double(style.scale * 10)
            let anchor = style.anchor.rawValue
            let weight = style.bold ? " font-weight=\"bold\"" : ""
            let fill =
                " fill=\"\(style.color.svg)\""
                + (style.color.alpha < 1 ? " fill-opacity=\"\(n(style.color.alpha))\"" : "")
            // Baseline sits 0.35 em below the middle of the capitals.
            let base = 0.35 * size
            if style.vertical {
                s += "<text transform=\"translate(\(n(at.x + base)),\(n(at.y))) rotate(-90)\" x=\"0\" y=\"0\""
            } else {
                s += "<text x=\"\(n(at.x))\" y=\"\(n(at.y + base))\""
            }
            s += " font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"\(n(size))\""
            s += " text-anchor=\"\(anchor)\"\(weight)\(fill) xml:space=\"preserve\">\(escape(str))</text>\n"
        case let .marker(p, shape, size, color):
            let h = size / 2
            let fill = " fill=\"\(color.svg)\"" + (color.alpha < 1 ? " fill-opacity=\"\(n(color.alpha))\"" : "")
            switch shape {
            case .circle:
                s += "<circle cx=\"\(n(p.x))\" cy=\"\(n(p.y))\" r=\"\(n(h))\"\(fill)/>\n"
            case .square:
                s +=
                    "<rect x=\"\(n(p.x - h))\" y=\"\(n(p.y - h))\" width=\"\(n(size))\" height=\"\(n(size))\"\(fill)/>\n"
            case .triangle:
                s +=
                    "<polygon points=\"\(n(p.x)),\(n(p.y - h)) \(n(p.x + h)),\(n(p.y + h)) \(n(p.x - h)),\(n(p.y + h))\"\(fill)/>\n"
            case .diamond:
                s +=
                    "<polygon points=\"\(n(p.x)),\(n(p.y - h)) \(n(p.x + h)),\(n(p.y)) \(n(p.x)),\(n(p.y + h)) \(n(p.x - h)),\(n(p.y))\"\(fill)/>\n"
            }
        case let .image(img, r):
            let png = try PNGEncoder.encode(img)
            s += "<image x=\"\(n(r.x))\" y=\"\(n(r.y))\" width=\"\(n(r.width))\" height=\"\(n(r.height))\""
            s += " preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\""
            s += " xlink:href=\"data:image/png;base64,\(Base64.encode(png))\"/>\n"
        case let .clipped(r, children):
            clips += 1
            let id = "clip\(clips)"
            s +=
                "<clipPath id=\"\(id)\"><rect x=\"\(n(r.x))\" y=\"\(n(r.y))\" width=\"\(n(r.width))\" height=\"\(n(r.height))\"/></clipPath>\n"
            s += "<g clip-path=\"url(#\(id))\">\n"
            for c in children { try emit(c, into: &s, clips: &clips) }
            s += "</g>\n"
        }
    }

    static func strokeAttrs(_ st: Stroke) -> String {
        var a = " stroke=\"\(st.color.svg)\" stroke-width=\"\(n(st.width))\""
        if st.color.alpha < 1 { a += " stroke-opacity=\"\(n(st.color.alpha))\"" }
        if !st.dash.isEmpty { a += " stroke-dasharray=\"\(st.dash.map { n($0) }.joined(separator: ","))\"" }
        return a
    }

    /// A short decimal: at most two decimals, no trailing zeros.
    static func n(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let r = (v * 100).rounded() / 100
        if r == r.rounded() { return String(Int(r)) }
        var t = String(r)
        if t.contains("e") { t = String(Int(r)) }
        return t
    }

    /// XML text escaping.
    static func escape(_ t: String) -> String {
        var o = ""
        for c in t {
            switch c {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            default: o.append(c)
            }
        }
        return o
    }
}

/// Standard base64 (RFC 4648) with padding.
enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i])
            let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let v = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(i + 1 < bytes.count ? alphabet[Int(v >> 6 & 63)] : 61)
            out.append(i + 2 < bytes.count ? alphabet[Int(v & 63)] : 61)
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
