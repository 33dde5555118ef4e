import Foundation
import Testing

@testable import Plots

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
        c.add(
            .clipped(
                Rect(x: 0, y: 0, width: 32, height: 64),
                [.rect(Rect(x: 0, y: 0, width: 64, height: 64), fill: .black, stroke: nil)]))
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
