import Foundation
import SignalBasics
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
        var rng = SeededGenerator(seed: 12345)
        for y in 0..<23 {
            for x in 0..<37 {
                let random = rng.next()
                let noisy = y % 3 == 0
                let r = UInt8((x * 7) & 0xFF)
                let g: UInt8 = noisy ? UInt8(random >> 56) : UInt8(y * 11)
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
