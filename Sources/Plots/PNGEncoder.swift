internal import CZlib
import Checksums

/// Writes 8-bit RGB PNG files: signature, IHDR, one IDAT (zlib stream from the
/// system zlib), IEND; every chunk's CRC-32 from `Checksums`. Each row gets filter
/// type 2 (Up), which suits plots: long runs of equal rows compress well.
///
///     let bytes = try PNGEncoder.encode(RasterRenderer.render(canvas))
public enum PNGEncoder {
    /// The 8-byte PNG signature.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The PNG file of a raster.
    public static func encode(_ raster: Raster) throws(PlotError) -> [UInt8] {
        try encode(rgb: raster.pixels, width: raster.width, height: raster.height)
    }

    /// The PNG file of a small image (spectrogram tiles in SVG).
    public static func encode(_ image: RGBImage) throws(PlotError) -> [UInt8] {
        try encode(rgb: image.pixels, width: image.width, height: image.height)
    }

    /// The PNG file of `width × height` RGB pixels, row by row.
    public static func encode(rgb: [UInt8], width: Int, height: Int) throws(PlotError) -> [UInt8] {
        guard width > 0, height > 0, rgb.count == width * height * 3 else {
            throw .invalidSize(width: width, height: height)
        }
        var out = signature
        var ihdr = [UInt8]()
        ihdr += bigEndian(UInt32(width))
        ihdr += bigEndian(UInt32(height))
        ihdr += [8, 2, 0, 0, 0]   // bit depth 8, colour type 2 (RGB), deflate, adaptive filters, no interlace
        chunk("IHDR", ihdr, into: &out)
        chunk("IDAT", try deflate(filtered(rgb, width: width, height: height)), into: &out)
        chunk("IEND", [], into: &out)
        return out
    }

    /// Scanlines with a filter byte each (2 = Up: difference to the row above).
    static func filtered(_ rgb: [UInt8], width: Int, height: Int) -> [UInt8] {
        let stride = width * 3
        var raw = [UInt8](repeating: 0, count: height * (stride + 1))
        raw.withUnsafeMutableBufferPointer { dst in
            rgb.withUnsafeBufferPointer { src in
                for y in 0..<height {
                    let o = y * (stride + 1)
                    dst[o] = 2
                    for i in 0..<stride {
                        let above: UInt8 = y > 0 ? src[(y - 1) * stride + i] : 0
                        dst[o + 1 + i] = src[y * stride + i] &- above
                    }
                }
            }
        }
        return raw
    }

    /// A zlib stream of `data` at the best compression level.
    static func deflate(_ data: [UInt8]) throws(PlotError) -> [UInt8] {
        var destLen = compressBound(uLong(data.count))
        var dest = [UInt8](repeating: 0, count: Int(destLen))
        let rc = dest.withUnsafeMutableBufferPointer { d in
            data.withUnsafeBufferPointer { s in
                compress2(d.baseAddress, &destLen, s.baseAddress, uLong(s.count), 9)
            }
        }
        guard rc == Z_OK else { throw .compressionFailed(code: rc) }
        dest.removeSubrange(Int(destLen)...)
        return dest
    }

    static func chunk(_ type: String, _ data: [UInt8], into out: inout [UInt8]) {
        out += bigEndian(UInt32(data.count))
        let typeBytes = Array(type.utf8)
        var crc = CRC32()
        crc.update(typeBytes)
        crc.update(data)
        out += typeBytes
        out += data
        out += bigEndian(crc.value)
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }
}
