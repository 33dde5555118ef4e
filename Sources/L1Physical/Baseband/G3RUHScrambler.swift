/// The G3RUH self-synchronising scrambler of 9600 Bd packet radio: polynomial
/// x^17 + x^12 + 1, applied to the NRZI line levels.
///
/// The transmitter feeds back its own output; the receiver's register holds the received
/// bits, so it locks after 17 bits from any state and a channel error spoils three bits.
///
///     var tx = G3RUHScrambler(), rx = G3RUHScrambler()
///     let sent = levels.map { tx.scramble($0) }
///     let back = sent.map { rx.descramble($0) }   // == levels after the first 17 bits
public struct G3RUHScrambler: Sendable, Hashable {
    /// The last 17 bits on the line, newest in bit 0.
    @usableFromInline var state: UInt32

    /// The last 17 bits on the line, newest in bit 0.
    public var register: UInt32 { state }

    /// A scrambler whose register starts at `state` (Dire Wolf starts at 0).
    public init(state: UInt32 = 0) { self.state = state & 0x1FFFF }

    /// Scrambles one bit: the bit XOR the line bits 12 and 17 back; the result goes on the line.
    @inlinable public mutating func scramble(_ bit: Bool) -> Bool {
        let out = (bit ? 1 : 0) ^ (state >> 16) ^ (state >> 11)
        state = ((state << 1) | (out & 1)) & 0x1FFFF
        return out & 1 == 1
    }

    /// Descrambles one received line bit: it XOR the line bits 12 and 17 back.
    @inlinable public mutating func descramble(_ bit: Bool) -> Bool {
        let inBit: UInt32 = bit ? 1 : 0
        let out = inBit ^ (state >> 16) ^ (state >> 11)
        state = ((state << 1) | inBit) & 0x1FFFF
        return out & 1 == 1
    }

    /// ``descramble(_:)`` for eight receivers at once, one per lane of `registers` (each a
    /// ``register``): `line` holds each lane's received bit (0 or 1); only the lanes in `moving`
    /// take theirs in. Returns each lane's descrambled bit (0 or 1).
    @inlinable public static func descramble(
        _ line: SIMD8<UInt32>, registers: inout SIMD8<UInt32>, moving: SIMDMask<SIMD8<Int32>>
    ) -> SIMD8<UInt32> {
        let r = registers
        registers.replace(with: ((r &<< 1) | line) & 0x1FFFF, where: moving)
        return (line ^ (r &>> 16) ^ (r &>> 11)) & 1
    }
}
