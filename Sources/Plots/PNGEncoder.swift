internal import CZlib
import Checksums

/// Writes 8-bit RGB PNG files: signature, IHDR, one IDAT (zlib stream from the
/// system zlib), IEND; every chunk's CRC-32 from `Checksums`. Each row gets the PNG
/// filter that makes it smallest (see `filtered`).
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
        ihdr += [8, 2, 0, 0, 0]  // bit depth 8, colour type 2 (RGB), deflate, adaptive filters, no interlace
        chunk("IHDR", ihdr, into: &out)
        chunk("IDAT", try deflate(filtered(rgb, width: width, height: height)), into: &out)
        chunk("IEND", [], into: &out)
        return out
    }

    /// Scanlines with a filter byte each. Every row tries the five PNG filters (None, Sub,
    /// Up, Average, Paeth) and keeps the one with the smallest sum of absolute values,
    /// the usual heuristic: flat areas become runs of zeros, which deflate well.
    static func filtered(_ rgb: [UInt8], width: Int, height: Int) -> [UInt8] {
        let stride = width * 3
        var raw = [UInt8](repeating: 0, count: height * (stride + 1))
        var trial = [UInt8](repeating: 0, count: 5 * stride)
        let zero = [UInt8](repeating: 0, count: stride)
        raw.withUnsafeMutableBufferPointer { dst in
            rgb.withUnsafeBufferPointer { src in
                trial.withUnsafeMutableBufferPointer { t in
                    zero.withUnsafeBufferPointer { z in
                        guard let s0 = src.baseAddress, let z0 = z.baseAddress else { return }
                        for y in 0..<height {
                            let cur = s0 + y * stride
                            let up = y > 0 ? s0 + (y - 1) * stride : z0
                            var best = 0, bestCost = Int.max
                            for f in 0..<5 {
                                var cost = 0
                                let o = f * stride
                                for i in 0..<stride {
                                    let a: UInt8 = i >= 3 ? cur[i - 3] : 0
                                    let b = up[i]
                                    let c: UInt8 = i >= 3 ? up[i - 3] : 0
                                    let v: UInt8
                                    switch f {
                                    case 0: v = cur[i]
                                    case 1: v = cur[i] &- a
                                    case 2: v = cur[i] &- b
                                    case 3: v = cur[i] &- UInt8((Int(a) + Int(b)) / 2)
                                    default: v = cur[i] &- paeth(a, b, c)
                                    }
                                    t[o + i] = v
                                    cost += v < 128 ? Int(v) : 256 - Int(v)
                                }
                                if cost < bestCost { bestCost = cost; best = f }
                            }
                            let row = y * (stride + 1)
                            dst[row] = UInt8(best)
                            for i in 0..<stride { dst[row + 1 + i] = t[best * stride + i] }
                        }
                    }
                }
            }
        }
        return raw
    }

    /// The Paeth predictor: whichever of left, above and upper-left is closest to left + above − upper-left.
    @inline(__always)
    static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let p = Int(a) + Int(b) - Int(c)
        let pa = abs(p - Int(a)), pb = abs(p - Int(b)), pc = abs(p - Int(c))
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
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
