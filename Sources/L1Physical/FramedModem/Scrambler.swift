/// Additive (synchronous) scrambler: data XOR a PRBS-15 sequence (x^15 + x^14 + 1),
/// restarted at every frame. It whitens long runs of equal bits so that NRZ keeps
/// giving the receiver transitions to clock on, and — unlike a self-synchronising
/// scrambler — never multiplies a channel error into several.
public struct Scrambler: Sendable {
    @usableFromInline var state: UInt16

    /// The seed used by every frame.
    public static let seed: UInt16 = 0x7FFF

    /// A scrambler starting from `seed` (15 bits are kept); every frame starts from ``seed``.
    public init(seed: UInt16 = Scrambler.seed) { state = seed & 0x7FFF }

    /// The next bit of the sequence.
    @inlinable public mutating func next() -> UInt8 {
        let bit = UInt8(((state >> 14) ^ (state >> 13)) & 1)
        state = ((state << 1) | UInt16(bit)) & 0x7FFF
        return bit
    }

    /// Scrambles (or descrambles: it is its own inverse) hard bits in place.
    public mutating func apply(_ bits: inout [UInt8]) {
        for i in bits.indices { bits[i] ^= next() }
    }

    /// Descrambles soft bits in place: a sequence bit of 1 flips the sign.
    public mutating func apply(soft bits: inout [Float]) {
        for i in bits.indices where next() == 1 { bits[i] = -bits[i] }
    }
}
