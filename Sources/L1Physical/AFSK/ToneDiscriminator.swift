import Foundation

/// A binary FSK signalling: the mark (binary 1) and space (binary 0) tones and the bit rate.
///
///     let aprs = FSKSignalling.bell202        // 1200 Bd, mark 1200 Hz, space 2200 Hz
public struct FSKSignalling: Sendable, Hashable, CustomStringConvertible {
    /// Frequency sent for a 1 bit (Hz).
    public var mark: Double
    /// Frequency sent for a 0 bit (Hz).
    public var space: Double
    /// Bits per second.
    public var baud: Double

    /// A signalling from its mark and space tones in Hz and its bit rate in baud.
    public init(mark: Double, space: Double, baud: Double) {
        self.mark = mark
        self.space = space
        self.baud = baud
    }

    /// Bell 202 / AFSK 1200 (APRS, caller ID).
    public static let bell202 = FSKSignalling(mark: 1200, space: 2200, baud: 1200)
    /// 300 Bd HF packet radio (AX.25 on SSB): mark 1600 Hz, space 1800 Hz, Dire Wolf's default.
    public static let hf300 = FSKSignalling(mark: 1600, space: 1800, baud: 300)
    /// Bell 103 originate (300 Bd).
    public static let bell103 = FSKSignalling(mark: 1270, space: 1070, baud: 300)
    /// Bell 103 answer (300 Bd).
    public static let bell103Answer = FSKSignalling(mark: 2225, space: 2025, baud: 300)
    /// NOAA SAME / EAS (520.83 Bd).
    public static let same = FSKSignalling(mark: 2083.3, space: 1562.5, baud: 520.83)
    /// Kansas City Standard cassette (300 Bd; 2400 Hz = 1, 1200 Hz = 0).
    public static let kcs = FSKSignalling(mark: 2400, space: 1200, baud: 300)
    /// Amateur RTTY, 45.45 Bd, 170 Hz shift (mark 2125 Hz, space 2295 Hz).
    public static let rtty45 = FSKSignalling(mark: 2125, space: 2295, baud: 45.45)

    public var description: String {
        String(format: "%g Bd mark %g Hz space %g Hz", baud, mark, space)
    }
}

/// Non-coherent per-tone matched filters: for every input sample, the amplitude of the mark
/// and the space tone over the last `window` samples (a boxcar of about one bit).
///
/// Both tones are mixed down by recursive oscillators and summed in running sums kept in
/// `Double`, so the cost per sample is constant and nothing is allocated while streaming.
///
///     var disc = ToneDiscriminator(signalling: .bell202, sampleRate: 48000)
///     disc.process(block, mark: markOut, space: spaceOut)
public struct ToneDiscriminator: Sendable {
    /// The tones and bit rate the window is sized for.
    public let signalling: FSKSignalling
    /// Input samples per second.
    public let sampleRate: Double
    /// Length of the integration window in samples.
    public let window: Int

    private var ring: [Float]  // 4 values per slot: mark I, mark Q, space I, space Q
    private var slot = 0
    private var sums: (Double, Double, Double, Double) = (0, 0, 0, 0)
    private var oscMark: (re: Double, im: Double) = (1, 0)
    private var oscSpace: (re: Double, im: Double) = (1, 0)
    private let rotMark: (re: Double, im: Double)
    private let rotSpace: (re: Double, im: Double)
    private var sinceRenorm = 0

    /// - Parameters:
    ///   - signalling: Tones and bit rate.
    ///   - sampleRate: Samples per second of the input.
    ///   - windowBits: Integration length in bit periods (1 is the matched filter).
    public init(signalling: FSKSignalling, sampleRate: Double, windowBits: Double = 1) {
        self.signalling = signalling
        self.sampleRate = sampleRate
        window = max(2, Int((sampleRate / signalling.baud * windowBits).rounded()))
        ring = [Float](repeating: 0, count: window * 4)
        let wm = 2 * Double.pi * signalling.mark / sampleRate
        let ws = 2 * Double.pi * signalling.space / sampleRate
        rotMark = (cos(wm), sin(wm))
        rotSpace = (cos(ws), sin(ws))
    }

    /// Filters a block: `mark[i]` and `space[i]` receive the tone amplitudes after `input[i]`.
    ///
    /// - Complexity: O(*n*), no allocation.
    public mutating func process(
        _ input: UnsafeBufferPointer<Float>,
        mark: UnsafeMutableBufferPointer<Float>,
        space: UnsafeMutableBufferPointer<Float>
    ) {
        let n = min(input.count, mark.count, space.count)
        let w = window
        let scale = 2 / Double(w)
        var s = SIMD4<Double>(sums.0, sums.1, sums.2, sums.3)
        // Both oscillators in one vector (mark re, im, space re, im), rotated as
        // p·(c, c, c′, c′) + swap(p)·(−s, s, −s′, s′).
        var osc = SIMD4<Double>(oscMark.re, oscMark.im, oscSpace.re, oscSpace.im)
        let rc = SIMD4<Double>(rotMark.re, rotMark.re, rotSpace.re, rotSpace.re)
        let rs = SIMD4<Double>(-rotMark.im, rotMark.im, -rotSpace.im, rotSpace.im)
        let sc = SIMD2<Double>(repeating: scale)
        var k = slot
        var since = sinceRenorm
        ring.withUnsafeMutableBufferPointer { r in
            guard let rp = r.baseAddress, let ip = input.baseAddress,
                let mp = mark.baseAddress, let sp = space.baseAddress
            else { return }
            let raw = UnsafeMutableRawPointer(rp)
            let slotBytes = MemoryLayout<SIMD4<Float>>.stride
            for i in 0..<n {
                let x = Double(ip[i])
                let f = SIMD4<Float>(osc * x)  // mark I, Q, space I, Q
                let old = raw.loadUnaligned(fromByteOffset: k &* slotBytes, as: SIMD4<Float>.self)
                s += SIMD4<Double>(f) - SIMD4<Double>(old)
                raw.storeBytes(of: f, toByteOffset: k &* slotBytes, as: SIMD4<Float>.self)
                k &+= 1
                if k == w { k = 0 }
                let q = s * s
                let amp = (SIMD2<Double>(q[0], q[2]) + SIMD2<Double>(q[1], q[3])).squareRoot() * sc
                mp[i] = Float(amp[0])
                sp[i] = Float(amp[1])
                osc = osc * rc + SIMD4<Double>(osc[1], osc[0], osc[3], osc[2]) * rs
                // Every 4096 samples, counted across blocks (so the values do not depend on the
                // block size): the oscillators back to unit length, and the sums afresh from
                // the ring (the Float ring and the Double sums drift apart by rounding).
                since &+= 1
                if since == 4096 {
                    since = 0
                    osc = Self.renormalized(osc)
                    var t = SIMD4<Double>.zero
                    for j in 0..<w {
                        t += SIMD4<Double>(raw.loadUnaligned(fromByteOffset: j &* slotBytes, as: SIMD4<Float>.self))
                    }
                    s = t
                }
            }
        }
        sinceRenorm = since
        sums = (s[0], s[1], s[2], s[3])
        oscMark = (osc[0], osc[1])
        oscSpace = (osc[2], osc[3])
        slot = k
    }

    /// Mark and space oscillators (re, im, re, im) scaled back to unit length.
    static func renormalized(_ o: SIMD4<Double>) -> SIMD4<Double> {
        let gm = 1 / (o[0] * o[0] + o[1] * o[1]).squareRoot()
        let gs = 1 / (o[2] * o[2] + o[3] * o[3]).squareRoot()
        return o * SIMD4(gm, gm, gs, gs)
    }
}
