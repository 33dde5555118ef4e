import ARQLink

/// What takes one HTTP message from one station to the other: the acoustic link, or in tests a
/// stand-in that fails on purpose.
///
/// ```swift
/// let link = try AcousticLink(AcousticLinkConfiguration(channel: spec))
/// let (delivered, report) = try link.carry(requestBytes, direction: .request, exchange: 1)
/// ```
///
/// `carry` is CPU work (modulation, the channel, demodulation): the bridge calls it on a
/// thread pool, never on an event loop. It must be safe to call from several threads.
public protocol MessageCarrier: Sendable {
    /// Takes `message` across in `direction`.
    /// - Returns: the bytes the far station received, and what the crossing cost.
    /// - Throws: ARQLink's `AcousticLinkError.gaveUp` when the message did not get through.
    func carry(
        _ message: [UInt8], direction: LinkDirection,
        exchange: Int
    ) throws(AcousticLinkError) -> (delivered: [UInt8], report: LinkTransferReport)
}

extension AcousticLink: MessageCarrier {}
