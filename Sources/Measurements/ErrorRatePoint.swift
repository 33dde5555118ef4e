import L1Physical
import Plots

/// What happened to the frames of one Eb/N0 point (or of a whole sweep, summed).
///
/// Every frame sent ends in exactly one bucket, so
/// `framesSent == deliveredOK + caught + wrongDelivered`:
///
///     let c = point.counts
///     c.notFound + c.phyHeaderError + c.payloadCRC + c.fcs   // … + runt, tooLong, notForMe, truncated
///
/// Frames the receiver found where none was sent (a sync word made of noise) are counted
/// apart in `spurious`; those of them that passed every check in `spuriousDelivered`.
public struct ErrorRateCounts: Sendable, Hashable, Codable {
    /// Frames sent.
    public var framesSent = 0
    /// Passed every check and equal to what was sent.
    public var deliveredOK = 0
    /// No sync word found where the frame was sent.
    public var notFound = 0
    /// Sync found, PHY header CRC-8 failed (`phy-header-error`).
    public var phyHeaderError = 0
    /// Caught by the PHY payload CRC-32 (`--layer phy`).
    public var payloadCRC = 0
    /// Caught by the Ethernet FCS (`--layer ethernet`).
    public var fcs = 0
    /// Ethernet: fewer than 64 bytes arrived (a damaged length that passed the header CRC).
    public var runt = 0
    /// Ethernet: more than 1518 bytes arrived.
    public var tooLong = 0
    /// Ethernet: a good FCS but another destination (so an undetected error, stopped by the address).
    public var notForMe = 0
    /// The recording ended inside the frame.
    public var truncated = 0
    /// Passed every check but differs from what was sent. Must stay 0.
    public var wrongDelivered = 0
    /// Frames found where none was sent, or a second find of one frame.
    public var spurious = 0
    /// Spurious frames that passed every check with content that was never sent. Must stay 0.
    public var spuriousDelivered = 0
    /// Data bits sent (payload bits of the PHY frames).
    public var bits = 0
    /// Wrong bits before any check; a frame not found (or whose header failed) counts all its bits.
    public var bitErrors = 0
    /// Bits of the frames found with the right length (the channel's own error rate).
    public var bitsInFound = 0
    /// Wrong bits among `bitsInFound`.
    public var bitErrorsInFound = 0

    /// All counts zero.
    public init() {}

    /// Frames stopped by some check (or never found).
    public var caught: Int { notFound + phyHeaderError + payloadCRC + fcs + runt + tooLong + notForMe + truncated }
    /// Damaged frames handed up as good: the number that must be 0.
    public var damagedDelivered: Int { wrongDelivered + spuriousDelivered }
    /// Whether every frame sent is in exactly one bucket.
    public var isConsistent: Bool { framesSent == deliveredOK + caught + wrongDelivered }

    /// Bit error rate before any check, per data bit.
    public var ber: Double { bits > 0 ? Double(bitErrors) / Double(bits) : 0 }
    /// Bit error rate over the frames found with the right length.
    public var berFound: Double { bitsInFound > 0 ? Double(bitErrorsInFound) / Double(bitsInFound) : 0 }
    /// Frames not delivered intact / frames sent.
    public var fer: Double { framesSent > 0 ? Double(framesSent - deliveredOK) / Double(framesSent) : 0 }

    /// Adds another set of counts to this one.
    public mutating func add(_ o: ErrorRateCounts) {
        framesSent += o.framesSent; deliveredOK += o.deliveredOK; notFound += o.notFound
        phyHeaderError += o.phyHeaderError; payloadCRC += o.payloadCRC; fcs += o.fcs; runt += o.runt
        tooLong += o.tooLong; notForMe += o.notForMe; truncated += o.truncated
        wrongDelivered += o.wrongDelivered; spurious += o.spurious; spuriousDelivered += o.spuriousDelivered
        bits += o.bits; bitErrors += o.bitErrors; bitsInFound += o.bitsInFound; bitErrorsInFound += o.bitErrorsInFound
    }
}

/// One measured point of a sweep, with the theory beside it.
public struct ErrorRatePoint: Sendable, Hashable, Codable {
    /// The Eb/N0 of this point in dB.
    public var ebn0dB: Double
    /// What happened to the frames at this point.
    public var counts: ErrorRateCounts
    /// Non-coherent M-FSK BER for the mode's tone count (nil for baseband).
    public var theoryBER: Double?
    /// Coherent BFSK Q(√(Eb/N0)), for reference.
    public var theoryCoherentBFSK: Double
    /// 1 − (1 − theoryBER)^checkedBits (nil for baseband).
    public var theoryFER: Double?

    /// Measured bit error rate before any check.
    public var ber: Double { counts.ber }
    /// Measured frame error rate.
    public var fer: Double { counts.fer }

    /// A point with the theory for `mode` computed beside the counts.
    /// - Parameters:
    ///   - ebn0dB: The Eb/N0 of the point in dB.
    ///   - counts: What happened to the frames.
    ///   - mode: The mode measured, for the theoretical BER.
    ///   - checkedBits: Bits that must all be right for a frame to pass, for the theoretical FER.
    public init(ebn0dB: Double, counts: ErrorRateCounts, mode: Mode, checkedBits: Int) {
        self.ebn0dB = ebn0dB
        self.counts = counts
        let theory = ErrorRateSweep.theoryBER(mode: mode, ebn0dB: ebn0dB)
        theoryBER = theory
        theoryCoherentBFSK = ErrorRateTheory.coherentBFSK(ebn0dB: ebn0dB)
        theoryFER = theory.map { ErrorRateTheory.frameErrorRate(ber: $0, bits: checkedBits) }
    }
}

/// The result of one sweep: one mode, one layer, one frame size, several Eb/N0 points.
public struct ErrorRateSweepResult: Sendable, Hashable, Codable {
    /// The mode's name.
    public var mode: String
    /// The line code's name.
    public var lineCode: String
    /// Raw PHY frames or Ethernet frames.
    public var layer: ErrorRateLayer
    /// `--frame-bytes`: the raw payload, or the Ethernet payload.
    public var frameBytes: Int
    /// Bytes of each PHY payload (the Ethernet frame with header and FCS at layer 2).
    public var phyPayloadBytes: Int
    /// Bits that must all be right for a frame to pass (PHY payload, plus its CRC-32 at layer 1).
    public var checkedBits: Int
    /// Frames sent at each Eb/N0.
    public var framesPerPoint: Int
    /// The seed all the point and batch seeds derive from.
    public var seed: UInt64
    /// Audio samples per second.
    public var sampleRate: Int
    /// Points in increasing Eb/N0.
    public var points: [ErrorRatePoint]
    /// The frames' forward error correction (`none` for uncoded frames).
    public var fec: String = FECScheme.none.name
    /// Whether Eb/N0 is per payload bit (whole frame's energy over the payload bits) rather
    /// than per data bit of the mode.
    public var ebPerPayloadBit = false

    /// All points summed.
    public var totals: ErrorRateCounts {
        var t = ErrorRateCounts()
        for p in points { t.add(p.counts) }
        return t
    }

    /// Measured Eb/N0 minus theoretical Eb/N0 at `ber` (default 1e-3), in dB; nil when the
    /// measurements do not bracket it or the mode has no theory.
    public var gapToTheoryDB: Double? { gapToTheory(atBER: 1e-3) }

    /// Measured Eb/N0 minus theoretical Eb/N0 at a bit error rate of `target`, in dB.
    /// - Returns: nil when the measurements do not bracket `target` or the mode has no theory.
    public func gapToTheory(atBER target: Double) -> Double? {
        guard let mode = Mode.named(mode),
            let measured = ErrorRateSweep.crossing(points.map { ($0.ebn0dB, $0.ber) }, at: target),
            let theory = ErrorRateSweep.theoryEbN0(mode: mode, atBER: target)
        else { return nil }
        return measured - theory
    }

    /// The lowest measured Eb/N0 from which on the frame error rate stays at or below
    /// `target` (1e-2: 99 % of frames delivered intact); not interpolated, so it is never
    /// better than a point measured. Nil when no such point was measured.
    public func measuredEbN0(atFER target: Double) -> Double? {
        let sorted = points.sorted { $0.ebn0dB < $1.ebn0dB }
        guard let last = sorted.last, last.fer <= target else { return nil }
        var best = last.ebn0dB
        for p in sorted.reversed() {
            guard p.fer <= target else { break }
            best = p.ebn0dB
        }
        return best
    }

    /// Measured Eb/N0 at `target` BER, interpolated (nil when not bracketed).
    public func measuredEbN0(atBER target: Double) -> Double? {
        ErrorRateSweep.crossing(points.map { ($0.ebn0dB, $0.ber) }, at: target)
    }
}
