import L1Physical

extension AcousticLinkConfiguration {
    /// Bytes of link headers around each segment's payload: Ethernet (14 + FCS 4), IPv4 (20),
    /// TCP (20, and up to 12 of options).
    public static let segmentOverheadBytes = 70

    /// Seconds of audio one frame of `bytes` bytes takes: preamble, sync and tail symbols, the
    /// header three times, the bytes and their CRC-32, line-coded.
    public func frameSeconds(bytes: Int) -> Double {
        let mode = physical.mode
        let symbols = Double(PhysicalFrame.preambleSymbols + PhysicalFrame.syncSymbols + PhysicalFrame.tailSymbols)
        let bits = Double(PhysicalFrame.headerBits * PhysicalFrame.headerCopies + (bytes + 4) * 8)
        let chips = bits * Double(physical.lineCode.chipsPerBit)
        return (symbols + chips / Double(mode.bitsPerSymbol)) / mode.baud
    }

    /// Payload bytes per second of audio on a clean channel, in the steady state: each round
    /// sends `window` segments of `mss` bytes back to back and waits for the answer.
    ///
    ///     round = 2·lead + window·(frame(mss + H) + gap) + 2·turnaround
    ///           + 2·lead + ACK copies·(frame(H) + gap)
    ///     goodput = window · mss / round            (H = segmentOverheadBytes)
    ///
    /// The SYN and FIN, the L5/L6 headers and resends are not counted: a message of some
    /// kilobytes, or a lossy channel, gets less.
    ///
    ///     AcousticLinkConfiguration().estimatedGoodput   // about 1140 B/s (mfsk4-6000, MSS 512, window 16)
    public var estimatedGoodput: Double {
        let h = Self.segmentOverheadBytes
        let lead = physical.leadSeconds, gap = physical.gapSeconds
        let data = 2 * lead + Double(window) * (frameSeconds(bytes: mss + h) + gap)
        let answer = 2 * lead + Double(acknowledgmentCopies) * (frameSeconds(bytes: h) + gap)
        let round = data + 2 * turnaroundSeconds + answer
        return Double(window * mss) / round
    }
}
