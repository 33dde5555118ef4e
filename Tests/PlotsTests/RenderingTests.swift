import Foundation
import Testing
@testable import Plots

@Suite struct PNGEncoderTests {
    @Test func tinyImageRoundTrips() throws {
        var img = RGBImage(width: 3, height: 2, fill: .white)
        img[1, 0] = Color(hex: 0xFF0000)
        img[2, 1] = Color(hex: 0x0000FF)
        let png = try DecodedPNG(PNGEncoder.encode(img))
        #expect(png.width == 3 && png.height == 2)
        #expect(png.chunkTypes == ["IHDR", "IDAT", "IEND"])
        #expect(png.rgb == img.pixels)
    }

    @Test func everyFilterRoundTrips() throws {
        // Gradients and noise make the encoder pick different filters on different rows.
        var img = RGBImage(width: 37, height: 23)
        var state: UInt32 = 12345
        for y in 0..<23 {
            for x in 0..<37 {
                state = state &* 1_103_515_245 &+ 12345
                let noisy = y % 3 == 0
                let r = UInt8((x * 7) & 0xFF)
                let g: UInt8 = noisy ? UInt8(state >> 24) : UInt8(y * 11)
                let b = UInt8((x * y) & 0xFF)
                img[x, y] = Color(r: r, g: g, b: b)
            }
        }
        let png = try DecodedPNG(PNGEncoder.encode(img))
        #expect(png.rgb == img.pixels)
        let raw = PNGEncoder.filtered(img.pixels, width: 37, height: 23)
        let rows: [Int] = Array(stride(from: 0, to: raw.count, by: 1 + 37 * 3))
        let filters = Set(rows.map { raw[$0] })
        #expect(filters.count > 1)
    }

    @Test func canvasSizeIsChecked() {
        #expect(throws: PlotError.invalidSize(width: 10, height: 500)) { try Canvas(width: 10, height: 500).png() }
    }

    @Test func formatFromExtension() throws {
        #expect(try ImageFormat(path: "a/b.PNG") == .png)
        #expect(try ImageFormat(path: "x.svg") == .svg)
        #expect(throws: PlotError.unsupportedFormat(path: "x.jpg")) { try ImageFormat(path: "x.jpg") }
    }
}

@Suite struct RasterTests {
    @Test func lineCoversItsPixelsOnly() {
        var r = Raster(width: 20, height: 20, background: .white)
        r.line(Point(2, 10.5), Point(18, 10.5), color: .black, width: 1)
        #expect(r.pixel(x: 10, y: 10) == .black)
        #expect(r.pixel(x: 10, y: 5) == .white)
        #expect(r.pixel(x: 0, y: 10) == .white)
    }

    @Test func clipStopsDrawing() {
        var c = Canvas(width: 64, height: 64)
        c.add(.clipped(Rect(x: 0, y: 0, width: 32, height: 64), [.rect(Rect(x: 0, y: 0, width: 64, height: 64), fill: .black, stroke: nil)]))
        let r = RasterRenderer.render(c)
        #expect(r.pixel(x: 10, y: 10) == .black)
        #expect(r.pixel(x: 40, y: 10) == .white)
    }

    @Test func textDrawsGlyphPixels() {
        var r = Raster(width: 64, height: 32, background: .white)
        r.text("I", at: Point(10, 16), style: TextStyle(size: 10))
        // "I" is a vertical bar in column 2 of the glyph, rows 1…5.
        #expect(r.pixel(x: 12, y: 15) == Color.text)
        #expect(r.pixel(x: 30, y: 15) == .white)
    }

    @Test func fontCoversPrintableASCII() {
        #expect(BitmapFont.glyphs.count == 95)
        #expect(BitmapFont.glyphs.allSatisfy { $0.count == BitmapFont.rows && $0.allSatisfy { $0 < 32 } })
        // Every visible character sets at least one pixel, and no two letters look alike.
        let visible = (33...126).map { BitmapFont.glyphs[$0 - 32] }
        #expect(visible.allSatisfy { $0.contains { $0 != 0 } })
        #expect(Set(visible).count == visible.count)
    }
}

@Suite struct SVGRendererTests {
    @Test func wellFormedWithEscapedText() throws {
        var c = Canvas(width: 200, height: 100)
        c.text("a < b & \"c\"", 10, 50)
        c.add(.clipped(Rect(x: 0, y: 0, width: 100, height: 100), [.polyline([Point(0, 0), Point(50, 50)], Stroke(.black, dash: [4, 2]))]))
        c.add(.image(RGBImage(width: 2, height: 2, fill: .black), in: Rect(x: 0, y: 0, width: 10, height: 10)))
        let check = SVGCheck(try c.svg())
        #expect(check.error == nil)
        #expect(check.root == "svg" && check.width == "200" && check.height == "100")
        #expect(check.texts == ["a < b & \"c\""])
        #expect(check.elements["clipPath"] == 1 && check.elements["image"] == 1)
    }

    @Test func base64MatchesFoundation() {
        for n in 0..<8 {
            let bytes = (0..<n).map { UInt8($0 * 37 & 0xFF) }
            #expect(Base64.encode(bytes) == Data(bytes).base64EncodedString())
        }
    }
}

@Suite struct ChartTests {
    @Test func niceTicks() {
        let t = Ticks.linear(0, 1, count: 5)
        #expect(t.count == 6 && zip(t, [0, 0.2, 0.4, 0.6, 0.8, 1]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(Ticks.step(0, 10, count: 5) == 2)
        #expect(Ticks.step(0, 0.37, count: 8) == 0.05)
        #expect(Ticks.format(0.25, step: 0.05) == "0.25")
        #expect(Ticks.format(-1.5, step: 0.5) == "-1.5")
        let d = Ticks.decades(1e-4, 1)
        #expect(d.count == 5 && zip(d, [1e-4, 1e-3, 1e-2, 1e-1, 1]).allSatisfy { abs($0 / $1 - 1) < 1e-12 })
    }

    @Test func logAxisMapsDecadesEvenly() {
        let a = Axis(min: 1e-4, max: 1, scale: .log10)
        #expect(abs(a.fraction(1e-2) - 0.5) < 1e-12)
        #expect(a.tickLabel(1e-3) == "1e-3")
        #expect(a.minorTicks().count == 32)
    }
}

@Suite struct FFTTests {
    @Test func sineLandsInItsBinAtZeroDB() throws {
        let fft = try FFT(size: 256)
        let samples = (0..<256).map { Float(sin(2 * Double.pi * 16 * Double($0) / 256)) }
        let p = fft.powerSpectrum(of: samples)
        #expect(p.count == 129)
        #expect(abs(p[16] - 1) < 1e-6)
        #expect(p[40] < 1e-12)
    }

    @Test func matchesDirectDFT() throws {
        let fft = try FFT(size: 16)
        var re = (0..<16).map { Double(($0 * 7) % 5) - 2 }, im = [Double](repeating: 0, count: 16)
        let x = re
        fft.transform(re: &re, im: &im)
        for k in 0..<16 {
            var r = 0.0, i = 0.0
            for n in 0..<16 { r += x[n] * cos(-2 * Double.pi * Double(k * n) / 16); i += x[n] * sin(-2 * Double.pi * Double(k * n) / 16) }
            #expect(abs(re[k] - r) < 1e-9 && abs(im[k] - i) < 1e-9)
        }
    }

    @Test func rejectsNonPowerOfTwo() {
        #expect(throws: PlotError.self) { try FFT(size: 100) }
    }
}
