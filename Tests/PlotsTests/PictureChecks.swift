import CZlib
import Checksums
import Foundation

@testable import Plots

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Checks that bytes are a PNG we can read back: signature, chunk CRCs, IHDR size,
/// IDAT inflating (with zlib itself) to exactly height × (1 + 3 × width) bytes, and
/// the decoded pixels. Returns the RGB pixels (filters undone) or nil with a reason.
struct DecodedPNG {
    var width = 0
    var height = 0
    var rgb: [UInt8] = []
    var chunkTypes: [String] = []

    enum Failure: Error, CustomStringConvertible {
        case bad(String)
        var description: String { if case let .bad(s) = self { return s }; return "" }
    }

    init(_ bytes: [UInt8]) throws {
        guard bytes.count > 8, Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else {
            throw Failure.bad("no PNG signature")
        }
        func be(_ i: Int) -> UInt32 {
            UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
        }
        var i = 8
        var idat = [UInt8]()
        while i + 12 <= bytes.count {
            let len = Int(be(i))
            guard i + 12 + len <= bytes.count else { throw Failure.bad("chunk runs past the end") }
            let type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
            let data = Array(bytes[(i + 8)..<(i + 8 + len)])
            let crc = CRC32.checksum(bytes[(i + 4)..<(i + 8 + len)])
            guard crc == be(i + 8 + len) else { throw Failure.bad("CRC mismatch in \(type)") }
            chunkTypes.append(type)
            if type == "IHDR" {
                width = Int(be(i + 8)); height = Int(be(i + 12))
                guard data[8] == 8, data[9] == 2 else { throw Failure.bad("not 8-bit RGB") }
            }
            if type == "IDAT" { idat += data }
            i += 12 + len
        }
        guard chunkTypes.first == "IHDR", chunkTypes.last == "IEND" else { throw Failure.bad("chunks \(chunkTypes)") }
        let expected = height * (1 + 3 * width)
        var raw = [UInt8](repeating: 0, count: expected + 16)
        var rawLen = uLong(raw.count)
        let rc = raw.withUnsafeMutableBufferPointer { r in
            idat.withUnsafeBufferPointer { s in uncompress(r.baseAddress, &rawLen, s.baseAddress, uLong(s.count)) }
        }
        guard rc == Z_OK else { throw Failure.bad("zlib uncompress returned \(rc)") }
        guard Int(rawLen) == expected else {
            throw Failure.bad("IDAT inflates to \(rawLen) bytes, expected \(expected)")
        }
        let stride = 3 * width
        rgb = [UInt8](repeating: 0, count: height * stride)
        for y in 0..<height {
            let f = raw[y * (stride + 1)]
            for x in 0..<stride {
                let v = raw[y * (stride + 1) + 1 + x]
                let left: UInt8 = x >= 3 ? rgb[y * stride + x - 3] : 0
                let up: UInt8 = y > 0 ? rgb[(y - 1) * stride + x] : 0
                let upLeft: UInt8 = y > 0 && x >= 3 ? rgb[(y - 1) * stride + x - 3] : 0
                switch f {
                case 0: rgb[y * stride + x] = v
                case 1: rgb[y * stride + x] = v &+ left
                case 2: rgb[y * stride + x] = v &+ up
                case 3: rgb[y * stride + x] = v &+ UInt8((Int(left) + Int(up)) / 2)
                case 4:
                    // Paeth, written out independently of the encoder's.
                    let p = Int(left) + Int(up) - Int(upLeft)
                    let pa = abs(p - Int(left)), pb = abs(p - Int(up)), pc = abs(p - Int(upLeft))
                    rgb[y * stride + x] = v &+ (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft)
                default: throw Failure.bad("filter \(f) not expected")
                }
            }
        }
    }

    /// Pixels that differ from the top-left (background) pixel.
    var drawnPixels: Int {
        guard rgb.count >= 3 else { return 0 }
        var n = 0
        for p in stride(from: 0, to: rgb.count, by: 3)
        where rgb[p] != rgb[0] || rgb[p + 1] != rgb[1] || rgb[p + 2] != rgb[2] { n += 1 }
        return n
    }
}

/// Parses SVG text with Foundation's XMLParser and collects element names and text.
final class SVGCheck: NSObject, XMLParserDelegate {
    var elements: [String: Int] = [:]
    var texts: [String] = []
    var current = ""
    var inText = false
    var root: String?
    var width: String?
    var height: String?
    var error: Error?

    init(_ svg: String) {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        if !parser.parse() { error = parser.parserError ?? DecodedPNG.Failure.bad("XML parse failed") }
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        if root == nil { root = name; width = attributes["width"]; height = attributes["height"] }
        elements[name, default: 0] += 1
        if name == "text" { inText = true; current = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current += string } }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.append(current); inText = false }
    }

    /// Whether some text element contains `s`.
    func hasText(_ s: String) -> Bool { texts.contains { $0.contains(s) } }
}
