import Checksums

/// The checks the physical frame uses.
enum CRCs {
    /// Header check: CRC-8/AUTOSAR (Hamming distance 4 over the 24 header bits).
    static let header = CRC8.autosar
    /// A coded frame's header check: CRC-16/CCITT-FALSE, so a header read from noise or from
    /// another frame's data (where the coded sync's lower threshold lets more through) passes
    /// only once in 65536.
    static let codedHeader = CRC16.ccittFalse
}
