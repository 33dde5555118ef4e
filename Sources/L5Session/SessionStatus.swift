/// Where a session stands at the receiver: idle → open → checkpointed(k)… → closed, or failed.
public enum SessionState: Hashable, Sendable, CustomStringConvertible {
    /// Nothing of the session has arrived.
    case idle
    /// Units have arrived, no checkpoint is complete yet.
    case open
    /// Every unit up to checkpoint `k` has arrived (and matched its CRC when it came).
    case checkpointed(UInt32)
    /// The message was delivered; further units are refused.
    case closed
    /// The session broke (its data contradicts a CHECKPOINT or CLOSE, or it expired); further units are refused.
    case failed(SessionError)

    public var description: String {
        switch self {
        case .idle: "idle"
        case .open: "open"
        case .checkpointed(let k): "checkpointed(\(k))"
        case .closed: "closed"
        case .failed(let e): "failed(\(e))"
        }
    }
}

/// A report on one session: what has arrived, exactly what is missing, and where to resume.
///
///     for case .status(let s) in receiver.handle(.endOfRecording, now: .seconds(1)) {
///         print(s)   // session 0000000000000007: 30/40 units, missing 20..<30; resume after checkpoint 2 (units 0..<16)
///     }
public struct SessionStatus: Hashable, Sendable, CustomStringConvertible {
    /// The session reported on.
    public var sessionID: SessionID
    /// Where the session stands.
    public var state: SessionState
    /// Data units the message has in total.
    public var totalUnits: UInt32
    /// Length of the message in bytes.
    public var totalLength: UInt32
    /// Data units per checkpoint.
    public var checkpointInterval: UInt16
    /// Data units that have arrived.
    public var unitsHeld: Int
    /// Missing data units as half-open ranges, in order.
    public var missingUnits: [Range<UInt32>]
    /// The last checkpoint up to which everything arrived (0: none).
    public var resumePoint: UInt32
    /// The first data unit the sender has to send again: all units before it have arrived.
    public var resumeFromUnit: UInt32
    /// Whether the OPEN has arrived.
    public var openSeen: Bool
    /// Whether the CLOSE has arrived.
    public var closeSeen: Bool

    /// Whether the message is complete but for CLOSE (or complete).
    public var allUnitsHeld: Bool { missingUnits.isEmpty }

    public var description: String {
        var s = "session \(sessionID): \(unitsHeld)/\(totalUnits) units"
        if missingUnits.isEmpty {
            s += ", none missing"
        } else {
            s +=
                ", missing "
                + missingUnits.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)..<\($0.upperBound)" }
                .joined(separator: ", ")
        }
        s += "; resume after checkpoint \(resumePoint) (units 0..<\(resumeFromUnit))"
        if !openSeen { s += "; OPEN not seen" }
        if !closeSeen { s += "; CLOSE not seen" }
        return s
    }
}
