import Foundation
import Testing

@testable import Plots

@Suite struct SVGRendererTests {
    @Test func wellFormedWithEscapedText() throws {
        var c = Canvas(width: 200, height: 100)
        c.text("a < b & \"c\"", 10, 50)
        c.add(
            .clipped(
                Rect(x: 0, y: 0, width: 100, height: 100),
                [.polyline([Point(0, 0), Point(50, 50)], Stroke(.black, dash: [4, 2]))]))
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
