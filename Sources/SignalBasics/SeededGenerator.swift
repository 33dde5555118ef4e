/// A seeded pseudo-random generator: xoshiro256** with its state filled by SplitMix64.
///
/// The sequence depends on the seed alone and uses only integer arithmetic, so it is
/// bit-identical on every run and every platform. Gaussian samples come from
/// Marsaglia's polar method with a logarithm built from IEEE-exact operations only
/// (`deterministicLog`), so they are bit-identical across platforms as well.
///
/// ```swift
/// var rng = SeededGenerator(seed: 7)
/// let u = rng.nextUniform()     // in [0, 1)
/// let g = rng.nextGaussian()    // mean 0, variance 1
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64
    /// The second Gaussian of the last polar-method pair, if not yet handed out.
    @usableFromInline var spareGaussian: Double?

    /// Creates a generator whose state is four successive SplitMix64 outputs of `seed`.
    public init(seed: UInt64) {
        var sm = seed
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
        spareGaussian = nil
    }

    /// Derives an independent generator for a sub-stream (for example one impairment step),
    /// so that adding a step does not shift the random numbers of the others.
    public init(seed: UInt64, stream: UInt64) {
        self.init(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03) &+ stream)
    }

    /// The next 64 random bits (xoshiro256**).
    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inlinable
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform double in [0, 1) with 53 random bits.
    @inlinable
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in `0..<bound` (bound > 0), without modulo bias.
    @inlinable
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(next(upperBound: UInt64(bound)))
    }

    /// A standard normal sample (mean 0, variance 1), Marsaglia's polar method.
    @inlinable
    public mutating func nextGaussian() -> Double {
        if let spare = spareGaussian {
            spareGaussian = nil
            return spare
        }
        while true {
            let u = 2 * nextUniform() - 1
            let v = 2 * nextUniform() - 1
            let s = u * u + v * v
            if s >= 1 || s == 0 { continue }
            let factor = (-2 * deterministicLog(s) / s).squareRoot()
            spareGaussian = v * factor
            return u * factor
        }
    }

    /// Fills `buffer` with Gaussian samples of standard deviation `sigma`, added to what is there.
    @inlinable
    public mutating func addGaussian(sigma: Double, to buffer: UnsafeMutableBufferPointer<Float>) {
        for i in buffer.indices {
            buffer[i] += Float(sigma * nextGaussian())
        }
    }
}

/// Natural logarithm of a positive finite double using only IEEE-exact operations
/// (bit manipulation, +, −, ×, ÷), so it gives the same bits on every platform.
/// Accurate to about 1 ulp; used where reproducibility matters more than speed.
@inlinable
func deterministicLog(_ x: Double) -> Double {
    guard x > 0, x.isFinite else { return x == 0 ? -.infinity : .nan }
    var m = x.significand  // in [1, 2), exact
    var e = Double(x.exponent)
    if m > 1.4142135623730951 {  // centre the mantissa on 1: [√½, √2)
        m *= 0.5
        e += 1
    }
    // log(m) = 2 atanh(s), s = (m − 1)/(m + 1), |s| < 0.1716
    let s = (m - 1) / (m + 1)
    let s2 = s * s
    var term = s
    var sum = 0.0
    var k = 1.0
    while k < 40 {
        sum += term / k
        term *= s2
        k += 2
    }
    let ln2Hi = 6.93147180369123816490e-01
    let ln2Lo = 1.90821492927058770002e-10
    return e * ln2Hi + (2 * sum + e * ln2Lo)
}
