/// Splits a message into Ethernet payloads, each an ``L2FragmentHeader`` followed by up
/// to ``L2FragmentHeader/maximumData`` bytes of the message. Message ids count up
/// from `firstMessageID`, wrapping at 65535.
///
///     var segmenter = L2Segmenter()
///     let payloads = try segmenter.segment(message)     // 10 kB → 7 payloads
///     let frames = payloads.map { EthernetFrame(destination: peer, source: me, payload: $0) }
public struct L2Segmenter: Sendable {
    /// The id the next message gets.
    public var nextMessageID: UInt16
    /// Message bytes per fragment, 1 … ``L2FragmentHeader/maximumData``.
    public let fragmentData: Int

    /// - Parameters:
    ///   - firstMessageID: the id of the first message; each later message takes the next.
    ///   - fragmentData: message bytes per fragment; clamped to 1 … 1492.
    public init(firstMessageID: UInt16 = 0, fragmentData: Int = L2FragmentHeader.maximumData) {
        nextMessageID = firstMessageID
        self.fragmentData = min(max(fragmentData, 1), L2FragmentHeader.maximumData)
    }

    /// The payloads that carry `message`, in order, under the next message id.
    /// - Throws: ``DataLinkError/messageTooLong(length:limit:)`` when it needs more than 65535 fragments.
    public mutating func segment(_ message: [UInt8]) throws -> [[UInt8]] {
        let limit = Int(UInt16.max) * fragmentData
        guard message.count <= limit else { throw DataLinkError.messageTooLong(length: message.count, limit: limit) }
        let count = max(1, (message.count + fragmentData - 1) / fragmentData)
        let id = nextMessageID
        nextMessageID &+= 1
        var payloads: [[UInt8]] = []
        payloads.reserveCapacity(count)
        for i in 0..<count {
            let start = i * fragmentData
            let end = min(start + fragmentData, message.count)
            var payload: [UInt8] = []
            payload.reserveCapacity(L2FragmentHeader.length + end - start)
            L2FragmentHeader(
                messageID: id, index: UInt16(i), count: UInt16(count),
                length: UInt16(end - start)
            ).emit(into: &payload)
            payload.append(contentsOf: message[start..<end])
            payloads.append(payload)
        }
        return payloads
    }
}
