/// Reed–Solomon code over GF(2^8): systematic encoder and an errors-and-erasures decoder
/// (Berlekamp–Massey, Chien search, Forney), full length RS(255, k) or shortened.
///
/// ```
///  data (k bytes) ──► LFSR over g(x) ──► data ‖ parity        (n = k + parityCount ≤ 255)
///
///  received ──► syndromes S_j = r(β^(fcr+j)) ──► all zero? ──► unchanged
///                         │ no
///     erasure locator Γ ──► Berlekamp–Massey ──► Λ ──► Chien search (roots must be
///                                                      exactly deg Λ, inside the block)
///                                                  ──► Forney ──► corrected, syndromes re-checked
/// ```
///
/// **Conventions.** Byte 0 of a codeword is the coefficient of the highest power of x; the parity
/// follows the data. The code's roots are β^(fcr + j), j = 0 ..< parityCount, with β = α^prim and α
/// a root of the field polynomial. The defaults (0x11D, fcr 0, prim 1) are the common textbook
/// code; ``fx25(parityCount:)`` gives the settings Dire Wolf uses for FX.25 (0x11D, fcr 1,
/// prim 1). A shortened code is the full code with leading zero data bytes left out: just pass
/// fewer than 255 − parityCount data bytes.
///
/// **Failure.** A block with more errors than the code corrects is refused with
/// ``FECError/uncorrectable(erasures:parity:)`` whenever the decoder can tell (locator roots
/// missing or outside the block, a zero derivative, nonzero syndromes after correction); like any
/// bounded-distance decoder it can still miscorrect a block far beyond its power, so keep a CRC.
///
/// ```swift
/// let rs = try ReedSolomon(parityCount: 32)                  // RS(255, 223)
/// var block = try rs.encode(Array(repeating: 7, count: 223))
/// block[3] ^= 0xFF
/// let fixed = try rs.decode(block)                           // fixed.corrected == [3]
/// ```
///
/// - Complexity: encoding O(*n* · parityCount); decoding O(*n* · parityCount) plus
///   O(parityCount²) for Berlekamp–Massey.
public struct ReedSolomon: Sendable {
    /// Check bytes per block: corrects *e* errors and *f* erasures while 2*e* + *f* ≤ this.
    public let parityCount: Int
    /// The field's primitive polynomial, e.g. 0x11D = x⁸ + x⁴ + x³ + x² + 1.
    public let fieldPolynomial: Int
    /// Exponent (of β) of the generator polynomial's first root.
    public let firstConsecutiveRoot: Int
    /// The power of α that is β, the element whose powers are the roots.
    public let primitiveElement: Int

    /// α^i for i in 0 ..< 512 (twice round, so sums of two logs need no reduction).
    private let exp: [UInt8]
    /// log_α(x) for x in 1 ... 255; `log[0]` unused.
    private let log: [Int]
    /// Generator polynomial, lowest degree first, monic (`generator[parityCount] == 1`).
    private let generator: [UInt8]

    /// The decoded block: the corrected codeword and where it was changed.
    public struct Decoded: Sendable, Hashable {
        /// The corrected codeword, data then parity.
        public var codeword: [UInt8]
        /// Indices of the bytes that were changed (errors and erasures that were not already right).
        public var corrected: [Int]
        /// Number of parity bytes, to split off the data.
        public var parityCount: Int
        /// The data bytes of the corrected codeword.
        public var data: [UInt8] { Array(codeword.prefix(codeword.count - parityCount)) }
    }

    /// A code with `parityCount` check bytes.
    ///
    /// - Throws: ``FECError/invalidParameters(_:)`` when the polynomial is not primitive of degree 8,
    ///   `primitiveElement` is not prime to 255, or `parityCount` is not in 1 ... 254.
    public init(
        parityCount: Int, fieldPolynomial: Int = 0x11D, firstConsecutiveRoot: Int = 0, primitiveElement: Int = 1
    ) throws(FECError) {
        guard (1...254).contains(parityCount) else {
            throw .invalidParameters("parity count \(parityCount) is not in 1...254")
        }
        guard fieldPolynomial & ~0x1FF == 0, fieldPolynomial & 0x100 != 0 else {
            throw .invalidParameters("field polynomial 0x\(String(fieldPolynomial, radix: 16)) is not of degree 8")
        }
        guard (1..<255).contains(primitiveElement), Self.gcd(primitiveElement, 255) == 1 else {
            throw .invalidParameters("primitive element α^\(primitiveElement) does not generate the field")
        }
        guard (0..<255).contains(firstConsecutiveRoot) else {
            throw .invalidParameters("first consecutive root \(firstConsecutiveRoot) is not in 0..<255")
        }
        var exp = [UInt8](repeating: 0, count: 512)
        var log = [Int](repeating: -1, count: 256)
        var x = 1
        for i in 0..<255 {
            guard log[x] < 0 else { throw .invalidParameters("field polynomial is not primitive") }
            exp[i] = UInt8(x)
            log[x] = i
            x <<= 1
            if x & 0x100 != 0 { x ^= fieldPolynomial }
        }
        guard x == 1 else { throw .invalidParameters("field polynomial is not primitive") }
        for i in 255..<512 { exp[i] = exp[i - 255] }
        self.exp = exp
        self.log = log
        self.parityCount = parityCount
        self.fieldPolynomial = fieldPolynomial
        self.firstConsecutiveRoot = firstConsecutiveRoot
        self.primitiveElement = primitiveElement
        // g(x) = Π (x + β^(fcr + i))
        var g = [UInt8](repeating: 0, count: parityCount + 1)
        g[0] = 1
        for i in 0..<parityCount {
            let root = exp[(primitiveElement * (firstConsecutiveRoot + i)) % 255]
            // multiply g (degree i) by (x + root)
            var next = [UInt8](repeating: 0, count: parityCount + 1)
            for j in 0...i {
                next[j + 1] ^= g[j]
                next[j] ^= Self.mul(g[j], root, exp, log)
            }
            g = next
        }
        generator = g
    }

    /// The FX.25 code as Dire Wolf builds it: field 0x11D, first root α¹, primitive element α.
    public static func fx25(parityCount: Int) throws(FECError) -> ReedSolomon {
        try ReedSolomon(parityCount: parityCount, fieldPolynomial: 0x11D, firstConsecutiveRoot: 1, primitiveElement: 1)
    }

    /// Largest number of data bytes per block: 255 − ``parityCount``.
    public var maximumDataLength: Int { 255 - parityCount }

    // MARK: - Encoding

    /// The parity bytes for `data` (at most ``maximumDataLength`` bytes).
    ///
    /// - Throws: ``FECError/lengthMismatch(expected:actual:)`` when `data` is too long.
    public func parity(for data: [UInt8]) throws(FECError) -> [UInt8] {
        guard data.count <= maximumDataLength else {
            throw .lengthMismatch(expected: maximumDataLength, actual: data.count)
        }
        let r = parityCount
        var p = [UInt8](repeating: 0, count: r)  // remainder, highest degree first
        for byte in data {
            let feedback = byte ^ p[0]
            for i in 0..<(r - 1) { p[i] = p[i + 1] }
            p[r - 1] = 0
            if feedback != 0 {
                let lf = log[Int(feedback)]
                for i in 0..<r where generator[r - 1 - i] != 0 {
                    p[i] ^= exp[lf + log[Int(generator[r - 1 - i])]]
                }
            }
        }
        return p
    }

    /// The systematic codeword: `data` followed by its parity.
    ///
    /// - Throws: ``FECError/lengthMismatch(expected:actual:)`` when `data` is too long.
    public func encode(_ data: [UInt8]) throws(FECError) -> [UInt8] {
        try data + parity(for: data)
    }

    // MARK: - Decoding

    /// Corrects a codeword (data then parity; shorter than 255 for a shortened code).
    ///
    /// - Parameters:
    ///   - codeword: the received bytes.
    ///   - erasures: indices of bytes known to be unreliable (their values are ignored).
    /// - Returns: the corrected codeword and the indices changed.
    /// - Throws: ``FECError/lengthMismatch(expected:actual:)`` for a block not longer than the
    ///   parity or longer than 255; ``FECError/uncorrectable(erasures:parity:)`` when the decoder
    ///   detects that the block is beyond its power.
    public func decode(_ codeword: [UInt8], erasures: [Int] = []) throws(FECError) -> Decoded {
        let n = codeword.count, r = parityCount
        guard n > r, n <= 255 else { throw .lengthMismatch(expected: 255, actual: n) }
        let erased = Array(Set(erasures.filter { (0..<n).contains($0) })).sorted()
        let failure = FECError.uncorrectable(erasures: erased.count, parity: r)
        guard erased.count <= r else { throw failure }
        var word = codeword
        for i in erased { word[i] = 0 }
        let s = syndromes(word)
        if s.allSatisfy({ $0 == 0 }) {
            return Decoded(codeword: word, corrected: erased.filter { codeword[$0] != 0 }, parityCount: r)
        }
        // Locator of byte i: β^(n − 1 − i), as a log of α.
        func locatorLog(_ i: Int) -> Int { (primitiveElement * (n - 1 - i)) % 255 }

        // Erasure locator Γ(x) = Π (1 + X_i x), lowest degree first.
        var lambda = [UInt8](repeating: 0, count: r + 1)
        lambda[0] = 1
        for (count, i) in erased.enumerated() {
            let x = exp[locatorLog(i)]
            for j in stride(from: count + 1, to: 0, by: -1) { lambda[j] ^= mul(lambda[j - 1], x) }
        }
        // Berlekamp–Massey, started from Γ.
        var b = lambda
        var length = erased.count
        for step in erased.count..<r {
            var discrepancy: UInt8 = 0
            for i in 0...step where lambda[i] != 0 { discrepancy ^= mul(lambda[i], s[step - i]) }
            if discrepancy == 0 {
                b = shifted(b)
                continue
            }
            var t = lambda
            let xb = shifted(b)
            for i in 0...r { t[i] ^= mul(discrepancy, xb[i]) }
            if 2 * length <= step + erased.count {
                length = step + 1 + erased.count - length
                let inverse = exp[255 - log[Int(discrepancy)]]
                b = lambda.map { mul($0, inverse) }
            } else {
                b = xb
            }
            lambda = t
        }
        let degree = lambda.lastIndex { $0 != 0 } ?? 0
        guard degree > 0, 2 * (degree - erased.count) + erased.count <= r else { throw failure }

        // Chien search over the positions of this (possibly shortened) block.
        var positions: [Int] = []
        for i in 0..<n {
            let inverseLog = (255 - locatorLog(i)) % 255
            if evaluate(lambda, atLog: inverseLog) == 0 { positions.append(i) }
        }
        guard positions.count == degree else { throw failure }

        // Ω(x) = S(x) Λ(x) mod x^r, then Forney: e = X^(1 − fcr) Ω(X⁻¹) / Λ'(X⁻¹).
        var omega = [UInt8](repeating: 0, count: r)
        for i in 0..<r {
            var v: UInt8 = 0
            for j in 0...min(i, degree) { v ^= mul(lambda[j], s[i - j]) }
            omega[i] = v
        }
        var derivative = [UInt8](repeating: 0, count: max(1, degree))
        for i in stride(from: 1, through: degree, by: 2) { derivative[i - 1] = lambda[i] }
        for i in positions {
            let inverseLog = (255 - locatorLog(i)) % 255
            let num = evaluate(omega, atLog: inverseLog)
            let den = evaluate(derivative, atLog: inverseLog)
            guard den != 0 else { throw failure }
            if num == 0 { continue }
            let scaleLog = ((inverseLog * (firstConsecutiveRoot - 1)) % 255 + 255) % 255
            let magnitudeLog = (log[Int(num)] + scaleLog + 255 - log[Int(den)]) % 255
            word[i] ^= exp[magnitudeLog]
        }
        guard syndromes(word).allSatisfy({ $0 == 0 }) else { throw failure }
        let changed = (0..<n).filter { word[$0] != codeword[$0] }
        return Decoded(codeword: word, corrected: changed, parityCount: r)
    }

    /// S_j = c(β^(fcr + j)), j = 0 ..< parityCount.
    ///
    /// - Complexity: O(*n* · parityCount), on the tables through pointers (the hot loop of a clean block).
    func syndromes(_ word: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: parityCount)
        exp.withUnsafeBufferPointer { exp in
            log.withUnsafeBufferPointer { log in
                word.withUnsafeBufferPointer { word in
                    for j in 0..<parityCount {
                        let rootLog = (primitiveElement * (firstConsecutiveRoot + j)) % 255
                        var v: UInt8 = 0
                        for byte in word { v = (v == 0 ? 0 : exp[log[Int(v)] &+ rootLog]) ^ byte }
                        out[j] = v
                    }
                }
            }
        }
        return out
    }

    // MARK: - Field arithmetic

    @inline(__always)
    private func mul(_ a: UInt8, _ b: UInt8) -> UInt8 { Self.mul(a, b, exp, log) }

    @inline(__always)
    private static func mul(_ a: UInt8, _ b: UInt8, _ exp: [UInt8], _ log: [Int]) -> UInt8 {
        a == 0 || b == 0 ? 0 : exp[log[Int(a)] + log[Int(b)]]
    }

    /// p(α^xLog), p lowest degree first.
    private func evaluate(_ p: [UInt8], atLog xLog: Int) -> UInt8 {
        var v: UInt8 = 0
        for c in p.reversed() { v = (v == 0 ? 0 : exp[log[Int(v)] + xLog]) ^ c }
        return v
    }

    /// x · p, dropping the top coefficient (which is zero while the degree bound holds).
    private func shifted(_ p: [UInt8]) -> [UInt8] { [0] + p.dropLast() }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
