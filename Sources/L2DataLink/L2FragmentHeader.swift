/// The 8-byte header at the start of each frame payload that carries a piece of a
/// message longer than one frame. All fields are big-endian (network order).
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-------------------------------+-------------------------------+
///     |          message id           |        fragment index         |
///     +-------------------------------+-------------------------------+
///     |        fragment count         |        fragment length        |
///     +-------------------------------+-------------------------------+
///     |  fragment data (fragment length bytes) … then Ethernet padding  |
///
/// - message id: chosen by the sender, the same in every fragment of one message.
/// - fragment index: 0 ..< fragment count, the position of this piece.
/// - fragment count: 1 … 65535 pieces in the message (an empty message is one empty piece).
/// - fragment length: bytes of message data after the header; whatever follows them
///   (the zero padding Ethernet adds to short payloads) is not data.
///
/// Every fragment but the last carries ``maximumData`` bytes when made by ``L2Segmenter``;
/// the reassembler does not rely on it and concatenates the pieces in index order.
public struct L2FragmentHeader: Sendable, Hashable {
    /// Chosen by the sender; the same in every fragment of one message.
    public var messageID: UInt16
    /// The position of this piece, 0 ..< `count`.
    public var index: UInt16
    /// How many pieces the message has (1...65 535).
    public var count: UInt16
    /// Bytes of message data after the header in this fragment.
    public var length: UInt16

    /// A header from its four fields.
    public init(messageID: UInt16, index: UInt16, count: UInt16, length: UInt16) {
        self.messageID = messageID
        self.index = index
        self.count = count
        self.length = length
    }

    static let messageIDField = 0..<2
    static let indexField = 2..<4
    static let countField = 4..<6
    static let lengthField = 6..<8
    /// The header's size in bytes.
    public static let length = 8
    /// The most message data one Ethernet payload can carry after the header (1500 − 8).
    public static let maximumData = EthernetFrame.mtu - length

    /// Reads the header at the start of `payload` and checks it against the bytes that
    /// follow. Returns the header and the fragment data (padding removed).
    /// - Throws: ``DataLinkError/fragmentHeaderTruncated(length:)``,
    ///   ``DataLinkError/fragmentCountInvalid(count:limit:)`` (count 0),
    ///   ``DataLinkError/fragmentIndexOutOfRange(index:count:)``,
    ///   ``DataLinkError/fragmentLengthInvalid(length:available:)``.
    public static func parse(_ payload: ArraySlice<UInt8>) throws -> (header: L2FragmentHeader, data: ArraySlice<UInt8>)
    {
        guard payload.count >= length else { throw DataLinkError.fragmentHeaderTruncated(length: payload.count) }
        let b = payload.startIndex
        func field(_ r: Range<Int>) -> UInt16 {
            UInt16(payload[b + r.lowerBound]) << 8 | UInt16(payload[b + r.lowerBound + 1])
        }
        let header = L2FragmentHeader(
            messageID: field(messageIDField), index: field(indexField),
            count: field(countField), length: field(lengthField))
        guard header.count > 0 else {
            throw DataLinkError.fragmentCountInvalid(count: 0, limit: Int(UInt16.max))
        }
        guard header.index < header.count else {
            throw DataLinkError.fragmentIndexOutOfRange(index: Int(header.index), count: Int(header.count))
        }
        let available = payload.count - length
        guard Int(header.length) <= available else {
            throw DataLinkError.fragmentLengthInvalid(length: Int(header.length), available: available)
        }
        let start = b + length
        return (header, payload[start..<(start + Int(header.length))])
    }

    /// Appends the 8 header bytes to `buffer`.
    public func emit(into buffer: inout [UInt8]) {
        for v in [messageID, index, count, length] {
            buffer.append(UInt8(v >> 8))
            buffer.append(UInt8(v & 0xFF))
        }
    }
}
