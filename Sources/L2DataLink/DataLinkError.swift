/// Everything that can be wrong with bytes or values at the data-link layer.
/// Each case names the value that was wrong and what it was.
public enum DataLinkError: Error, Sendable, Hashable {
    /// A MAC address string that is not six hex octets separated by `:` or `-`.
    case invalidMACAddress(String)
    /// A payload longer than the MTU, refused on emit.
    case payloadTooLong(length: Int, mtu: Int)
    /// A frame shorter than the 64-byte minimum (FCS included).
    case runt(length: Int)
    /// A frame longer than the 1518-byte maximum (FCS included).
    case tooLong(length: Int)
    /// The CRC-32 computed over the received bytes (`expected`) differs from the FCS field (`received`).
    case fcsMismatch(expected: UInt32, received: UInt32)
    /// A payload too short to hold the 8-byte fragment header.
    case fragmentHeaderTruncated(length: Int)
    /// A fragment count of 0, or above the reassembler's limit.
    case fragmentCountInvalid(count: Int, limit: Int)
    /// A fragment index not below the fragment count.
    case fragmentIndexOutOfRange(index: Int, count: Int)
    /// A fragment length larger than the bytes that follow the header.
    case fragmentLengthInvalid(length: Int, available: Int)
    /// A fragment whose count disagrees with earlier fragments of the same message.
    case fragmentCountChanged(messageID: UInt16, was: Int, now: Int)
    /// A message to segment that needs more than 65535 fragments.
    case messageTooLong(length: Int, limit: Int)
    /// A fragment of a new message while `limit` messages are already in flight.
    case tooManyMessagesInFlight(limit: Int)
    /// A fragment that would take the bytes held in flight past `limit`.
    case reassemblyBufferFull(needed: Int, limit: Int)
    /// A capture file that could not be written.
    case captureWriteFailed(path: String, reason: String)
}
