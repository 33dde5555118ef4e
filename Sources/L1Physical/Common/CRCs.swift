import Checksums

/// The checks the physical frame uses.
enum CRCs {
    /// Header check: CRC-8/AUTOSAR (Hamming distance 4 over the 24 header bits).
    static let header = CRC8.autosar
}
