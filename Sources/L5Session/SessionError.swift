/// Everything that can be wrong with session bytes, requests or units at the session layer.
///
/// Each case names the value that was wrong, so a trace can say exactly why a unit was refused:
///
///     do { _ = try SPDU.parse(bytes) } catch { print("[L5] \(error)") }   // checksumMismatch(…)
public enum SessionError: Error, Hashable, Sendable {
    /// Bytes that end inside an SPDU (where a whole one was expected).
    case truncated(needed: Int, available: Int)
    /// The first two bytes are not "S5".
    case badMagic(UInt16)
    /// A version this code does not speak.
    case unsupportedVersion(UInt8)
    /// A type byte that is none of OPEN, DATA, CHECKPOINT, CLOSE, RESUME, ACK.
    case unknownType(UInt8)
    /// The CRC-32 over header and payload does not match: `expected` is computed, `actual` was sent.
    case checksumMismatch(expected: UInt32, actual: UInt32)
    /// A payload longer than the 16-bit length field allows.
    case payloadTooLarge(Int)
    /// A unit size outside 1...65 535 or a checkpoint interval outside 1...65 535.
    case badUnitSize(Int)
    /// A checkpoint interval outside 1...65 535.
    case badCheckpointInterval(Int)
    /// A message that needs more data units than the 32-bit sequence number can count.
    case messageTooLarge(Int)
    /// A session's shape (units, length, interval) beyond the receiver's limits.
    case totalUnitsTooLarge(UInt32, limit: Int)
    /// A declared message length beyond the receiver's `maxMessageLength`.
    case totalLengthTooLarge(UInt32, limit: Int)
    /// Header fields that contradict each other or the session's earlier units.
    case inconsistentShape(SessionID, field: String, expected: UInt32, actual: UInt32)
    /// A sequence or checkpoint number beyond the session's total.
    case sequenceOutOfRange(SessionID, sequence: UInt32, total: UInt32)
    /// A checkpoint number beyond the last checkpoint the session can have.
    case checkpointOutOfRange(SessionID, checkpoint: UInt32, last: UInt32)
    /// A data unit whose payload would make the message longer than its declared length.
    case unitBeyondLength(SessionID, sequence: UInt32, length: Int)
    /// A unit for a session this side has no record of: a RESUME for another session at the
    /// sender, or a unit before its OPEN at a receiver that requires the OPEN first.
    case unknownSession(SessionID)
    /// A unit for a session that was already delivered and closed.
    case sessionClosed(SessionID)
    /// A unit for a session that failed earlier.
    case sessionFailed(SessionID)
    /// A session that saw no unit for longer than the receiver's idle timeout.
    case sessionExpired(SessionID)
    /// A DATA unit with no payload.
    case emptyDataUnit(SessionID, sequence: UInt32)
    /// No room for another session (limit reached).
    case tooManySessions(limit: Int)
    /// A type that this side does not accept (e.g. a RESUME arriving at a receiver).
    case unexpectedType(SPDUType)
    /// The reassembled data does not match the CRC-32 a CHECKPOINT or CLOSE carried.
    case contentMismatch(SessionID, checkpoint: UInt32, expected: UInt32, actual: UInt32)
    /// A CHECKPOINT or CLOSE whose payload is not the 4-byte CRC-32.
    case badControlPayload(SessionID, type: SPDUType, length: Int)
}
