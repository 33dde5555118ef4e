import SignalBasics

extension SeededGenerator {
    /// `count` random bytes, one per 64-bit draw (its low byte).
    public mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}
