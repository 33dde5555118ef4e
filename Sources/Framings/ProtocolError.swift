/// What can be wrong with the real-world framings (AX.25, UART, RTTY, SAME, caller ID, KCS).
public enum ProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An AX.25 address that is not `CALL` or `CALL-N` (1–6 letters/digits, SSID 0–15).
    case invalidAddress(String)
    /// A TNC2 line that is not `SRC>DST[,PATH]:info`.
    case invalidTNC2(String)
    /// A frame whose bytes end before the named field.
    case malformedFrame(String)
    /// A character that the framing cannot carry (e.g. not in ITA2, not SAME text).
    case unencodable(String)
    /// A UART format outside 5–8 data bits, 1–2 stop bits.
    case invalidFormat(String)
    /// An AX.25 frame that, stuffed and flagged, does not fit the largest FX.25 block for that parity.
    case tooLongForFX25(bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case .invalidAddress(let a): "invalid AX.25 address '\(a)' (expected CALL or CALL-N, SSID 0–15)"
        case .invalidTNC2(let l): "invalid TNC2 line '\(l)' (expected SRC>DST[,PATH]:info)"
        case .malformedFrame(let f): "malformed frame: it ends before its \(f)"
        case .unencodable(let c): "cannot encode \(c)"
        case .invalidFormat(let f): "invalid format: \(f)"
        case let .tooLongForFX25(bytes, limit):
            "an AX.25 frame needing \(bytes) bytes once stuffed does not fit an FX.25 block of \(limit) data bytes"
        }
    }
}
