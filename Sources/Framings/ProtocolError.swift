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

    public var description: String {
        switch self {
        case .invalidAddress(let a): "invalid AX.25 address '\(a)' (expected CALL or CALL-N, SSID 0–15)"
        case .invalidTNC2(let l): "invalid TNC2 line '\(l)' (expected SRC>DST[,PATH]:info)"
        case .malformedFrame(let f): "malformed frame: it ends before its \(f)"
        case .unencodable(let c): "cannot encode \(c)"
        case .invalidFormat(let f): "invalid format: \(f)"
        }
    }
}
