#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A radix-2 decimation-in-time FFT of a fixed power-of-two size, with the twiddle
/// factors and bit-reversal table computed once, and a Hann-windowed power spectrum
/// of real input for spectrograms.
///
///     let fft = try FFT(size: 1024)
///     let power = fft.powerSpectrum(of: samples[0..<1024])   // 513 bins, 0…fs/2
///
/// - Complexity: O(n log n) per transform, no allocation inside the butterflies.
public struct FFT: Sendable {
    /// The transform length in points (a power of two).
    public let size: Int
    let cosTable: [Double]
    let sinTable: [Double]
    let reversed: [Int]
    /// The Hann window, `0.5 − 0.5 cos(2πn/N)`.
    public let window: [Double]

    /// - Throws: ``FFTError/sizeNotPowerOfTwo(_:)`` unless `size` is a power of two ≥ 2.
    public init(size: Int) throws(FFTError) {
        guard size >= 2, size.nonzeroBitCount == 1 else { throw .sizeNotPowerOfTwo(size) }
        self.size = size
        cosTable = (0..<(size / 2)).map { cos(-2 * Double.pi * Double($0) / Double(size)) }
        sinTable = (0..<(size / 2)).map { sin(-2 * Double.pi * Double($0) / Double(size)) }
        let bits = size.trailingZeroBitCount
        reversed = (0..<size).map { i in
            var r = 0
            for b in 0..<bits where i & (1 << b) != 0 { r |= 1 << (bits - 1 - b) }
            return r
        }
        window = (0..<size).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(size)) }
    }

    /// In-place forward transform of `re` + i·`im` (each `size` long).
    public func transform(re: inout [Double], im: inout [Double]) {
        precondition(re.count == size && im.count == size, "FFT input must be \(size) long")
        let n = size
        re.withUnsafeMutableBufferPointer { r in
            im.withUnsafeMutableBufferPointer { m in
                reversed.withUnsafeBufferPointer { rev in
                    for i in 0..<n where rev[i] > i {
                        r.swapAt(i, rev[i]); m.swapAt(i, rev[i])
                    }
                }
                cosTable.withUnsafeBufferPointer { ct in
                    sinTable.withUnsafeBufferPointer { st in
                        var len = 2
                        while len <= n {
                            let half = len / 2, stride = n / len
                            var start = 0
                            while start < n {
                                for k in 0..<half {
                                    let wr = ct[k * stride], wi = st[k * stride]
                                    let a = start + k, b = a + half
                                    let tr = r[b] * wr - m[b] * wi
                                    let ti = r[b] * wi + m[b] * wr
                                    r[b] = r[a] - tr; m[b] = m[a] - ti
                                    r[a] += tr; m[a] += ti
                                }
                                start += len
                            }
                            len <<= 1
                        }
                    }
                }
            }
        }
    }

    /// Power |X[k]|² of bins 0…size/2 of the Hann-windowed real input, normalised so a
    /// full-scale sine gives about 1 (0 dB) in its bin. Shorter input is zero-padded.
    public func powerSpectrum<C: Collection>(of samples: C) -> [Double] where C.Element == Float {
        var re = [Double](repeating: 0, count: size)
        var im = [Double](repeating: 0, count: size)
        var i = 0
        for s in samples.prefix(size) { re[i] = Double(s) * window[i]; i += 1 }
        transform(re: &re, im: &im)
        // Coherent gain of the Hann window is N/2; a sine of amplitude A gives A·N/4.
        let norm = 16.0 / Double(size * size)
        return (0...(size / 2)).map { k in (re[k] * re[k] + im[k] * im[k]) * norm }
    }
}

/// Why an ``FFT`` could not be made.
public enum FFTError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The size given is not a power of two ≥ 2.
    case sizeNotPowerOfTwo(Int)

    public var description: String {
        switch self {
        case .sizeNotPowerOfTwo(let n): "FFT size \(n) is not a power of two ≥ 2"
        }
    }
}
