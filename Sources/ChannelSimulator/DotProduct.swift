/// Σ a[i]·b[i] for i in 0..<count, with 16 lanes of SIMD accumulators (a fixed summation
/// order, so the result is the same on every run and platform).
@inline(__always)
func dotProduct(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var acc0 = SIMD8<Float>()
    var acc1 = SIMD8<Float>()
    var i = 0
    let ra = UnsafeRawPointer(a)
    let rb = UnsafeRawPointer(b)
    let stride = MemoryLayout<Float>.stride
    while i + 16 <= count {
        let a0 = ra.loadUnaligned(fromByteOffset: i * stride, as: SIMD8<Float>.self)
        let b0 = rb.loadUnaligned(fromByteOffset: i * stride, as: SIMD8<Float>.self)
        let a1 = ra.loadUnaligned(fromByteOffset: (i + 8) * stride, as: SIMD8<Float>.self)
        let b1 = rb.loadUnaligned(fromByteOffset: (i + 8) * stride, as: SIMD8<Float>.self)
        acc0 += a0 * b0
        acc1 += a1 * b1
        i += 16
    }
    var sum = (acc0 + acc1).sum()
    while i < count {
        sum += a[i] * b[i]
        i += 1
    }
    return sum
}
