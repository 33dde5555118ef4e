import Checksums

/// TCP option kinds (IANA): an open set.
public struct TCPOptionKind: RawRepresentable, Hashable, Sendable {
    /// The option's kind byte.
    public var rawValue: UInt8
    /// A kind from its byte; unknown kinds are allowed.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Kind 0: End of Option List.
    public static let endOfList = TCPOptionKind(rawValue: 0)
    /// Kind 1: No-Operation (padding between options).
    public static let noOperation = TCPOptionKind(rawValue: 1)
    /// Kind 2: Maximum Segment Size (4 bytes).
    public static let maximumSegmentSize = TCPOptionKind(rawValue: 2)
    /// Kind 3: Window Scale (3 bytes, RFC 7323).
    public static let windowScale = TCPOptionKind(rawValue: 3)
    /// Kind 4: SACK Permitted (2 bytes, RFC 2018).
    public static let sackPermitted = TCPOptionKind(rawValue: 4)
    /// Kind 5: SACK blocks (2 + 8·n bytes, RFC 2018).
    public static let sack = TCPOptionKind(rawValue: 5)
    /// Kind 8: Timestamps (10 bytes, RFC 7323).
    public static let timestamps = TCPOptionKind(rawValue: 8)
}

/// One TCP option. Padding after End of Option List is not kept: `emit` pads with zeros again.
public enum TCPOption: Hashable, Sendable {
    /// End of Option List (kind 0): parsing stops here.
    case endOfList
    /// No-Operation (kind 1): one byte of padding between options.
    case noOperation
    /// Maximum Segment Size (kind 2): the most payload bytes the sender will accept in one segment.
    case maximumSegmentSize(UInt16)
    /// Window Scale (kind 3): the shift count applied to the window field.
    case windowScale(UInt8)
    /// SACK Permitted (kind 4): the sender understands selective acknowledgments.
    case sackPermitted
    /// SACK (kind 5): blocks of data received beyond the acknowledgment number.
    case sack([SACKBlock])
    /// Timestamps (kind 8): the sender's clock value and the echo of the peer's.
    case timestamps(value: UInt32, echoReply: UInt32)
    /// Any other kind, kept with its data bytes (the option body after kind and length).
    case unknown(kind: UInt8, data: [UInt8])

    /// Walks the option bytes (`header[20..<dataOffset*4]`), bounded by their length.
    /// - Throws: `badOptionLength` for a length byte below 2, past the end, or wrong for the kind.
    static func parseList(_ b: [UInt8]) throws(TransportError) -> [TCPOption] {
        var out: [TCPOption] = []
        var i = 0
        while i < b.count {
            let kind = b[i]
            if kind == TCPOptionKind.endOfList.rawValue { break }
            if kind == TCPOptionKind.noOperation.rawValue { out.append(.noOperation); i += 1; continue }
            guard i + 1 < b.count else { throw .badOptionLength(kind: kind, length: 0) }
            let len = b[i + 1]
            guard len >= 2, i + Int(len) <= b.count else { throw .badOptionLength(kind: kind, length: len) }
            let body = Array(b[(i + 2)..<(i + Int(len))])
            switch TCPOptionKind(rawValue: kind) {
            case .maximumSegmentSize:
                guard len == 4 else { throw .badOptionLength(kind: kind, length: len) }
                out.append(.maximumSegmentSize(readU16(body, 0)))
            case .windowScale:
                guard len == 3 else { throw .badOptionLength(kind: kind, length: len) }
                out.append(.windowScale(body[0]))
            case .sackPermitted:
                guard len == 2 else { throw .badOptionLength(kind: kind, length: len) }
                out.append(.sackPermitted)
            case .sack:
                guard len >= 10, (len - 2) % 8 == 0 else { throw .badOptionLength(kind: kind, length: len) }
                out.append(
                    .sack(
                        stride(from: 0, to: body.count, by: 8).map {
                            SACKBlock(
                                left: SequenceNumber(readU32(body, $0)), right: SequenceNumber(readU32(body, $0 + 4)))
                        }))
            case .timestamps:
                guard len == 10 else { throw .badOptionLength(kind: kind, length: len) }
                out.append(.timestamps(value: readU32(body, 0), echoReply: readU32(body, 4)))
            default:
                out.append(.unknown(kind: kind, data: body))
            }
            i += Int(len)
        }
        return out
    }

    /// Appends this option's bytes.
    func emit(into b: inout [UInt8]) {
        switch self {
        case .endOfList: b.append(0)
        case .noOperation: b.append(1)
        case .maximumSegmentSize(let mss): b += [2, 4]; appendU16(&b, mss)
        case .windowScale(let shift): b += [3, 3, shift]
        case .sackPermitted: b += [4, 2]
        case .sack(let blocks):
            b += [5, UInt8(truncatingIfNeeded: 2 + 8 * blocks.count)]
            for block in blocks { appendU32(&b, block.left.rawValue); appendU32(&b, block.right.rawValue) }
        case .timestamps(let value, let echo): b += [8, 10]; appendU32(&b, value); appendU32(&b, echo)
        case .unknown(let kind, let data): b += [kind, UInt8(truncatingIfNeeded: 2 + data.count)]; b += data
        }
    }
}
