import Checksums

/// The sending side of a session: splits a message into data units, puts a CHECKPOINT after
/// every `checkpointInterval` units, opens with OPEN and ends with CLOSE.
///
/// The whole transfer is a fixed schedule, so any part of it can be produced again: one
/// recording at a time, or everything after the checkpoint a receiver says it has.
///
///     var sender = try SessionSender(message: body, sessionID: SessionID(7), unitSize: 512, checkpointInterval: 8)
///     let first = sender.recording(0, of: 4)          // OPEN, DATA 0…, CHECKPOINT 1…
///     let rest = sender.resume(after: 2)              // DATA 16…, CHECKPOINT 3…, CLOSE (resent)
///     let action = try sender.handle(resumeSPDU)      // .resend([...]) or .acknowledged
///
/// CHECKPOINT k covers data units `0..<min(k·interval, total)` and carries their CRC-32; CLOSE
/// carries the CRC-32 of the whole message. An empty message has no data units and one
/// checkpoint-free schedule: OPEN, CLOSE.
public struct SessionSender: Sendable {
    /// What to do after a reply from the receiver.
    public enum Action: Hashable, Sendable {
        /// Send these units again (after the receiver's resume point).
        case resend([SPDU])
        /// The receiver has the whole message.
        case acknowledged
    }

    /// The session's identifier, carried by every SPDU.
    public let sessionID: SessionID
    /// The whole message being sent.
    public let message: [UInt8]
    /// Payload bytes per DATA unit (the last may be shorter).
    public let unitSize: Int
    /// DATA units between CHECKPOINTs.
    public let checkpointInterval: Int
    /// Whether the receiver acknowledged the whole message.
    public private(set) var acknowledged = false
    /// CRC-32 of the units each checkpoint covers (index k − 1 for checkpoint k), computed once.
    private let checkpointCRCs: [UInt32]

    /// - Throws: `badUnitSize` / `badCheckpointInterval` outside 1...65 535; `messageTooLarge`
    ///   when the message needs more than 2^32 − 1 units or bytes.
    public init(
        message: [UInt8], sessionID: SessionID, unitSize: Int = 512,
        checkpointInterval: Int = 8
    ) throws(SessionError) {
        guard (1...Int(UInt16.max)).contains(unitSize) else { throw .badUnitSize(unitSize) }
        guard (1...Int(UInt16.max)).contains(checkpointInterval) else {
            throw .badCheckpointInterval(checkpointInterval)
        }
        guard message.count <= Int(UInt32.max) else { throw .messageTooLarge(message.count) }
        self.message = message; self.sessionID = sessionID
        self.unitSize = unitSize; self.checkpointInterval = checkpointInterval
        var crcs: [UInt32] = []
        var crc = CRC32()
        let span = unitSize * checkpointInterval
        var start = 0
        while start < message.count {
            let end = min(start + span, message.count)
            crc.update(message[start..<end])
            crcs.append(crc.value)
            start = end
        }
        checkpointCRCs = crcs
    }

    /// As above, with a fresh random session id from `rng`.
    public init<R: RandomNumberGenerator>(
        message: [UInt8], unitSize: Int = 512, checkpointInterval: Int = 8,
        using rng: inout R
    ) throws(SessionError) {
        try self.init(
            message: message, sessionID: .random(using: &rng), unitSize: unitSize,
            checkpointInterval: checkpointInterval)
    }

    /// Number of DATA units.
    public var unitCount: Int { (message.count + unitSize - 1) / unitSize }
    /// Number of CHECKPOINTs (the last one follows the last data unit).
    public var checkpointCount: Int { (unitCount + checkpointInterval - 1) / checkpointInterval }

    /// Data units `0..<unitsCovered(by: k)` are covered by checkpoint `k`.
    public func unitsCovered(by checkpoint: Int) -> Int {
        min(max(0, min(checkpoint, checkpointCount)) * checkpointInterval, unitCount)
    }

    /// The whole schedule: OPEN, then each DATA unit, a CHECKPOINT after every interval, CLOSE.
    public func allSPDUs() -> [SPDU] { spdus(forUnits: 0..<unitCount) }

    /// The SPDUs for data units `units`: OPEN when the range starts at 0, the CHECKPOINTs that
    /// fall inside it and CLOSE when it reaches the end. Out-of-range bounds are clamped.
    public func spdus(forUnits units: Range<Int>, recording: Int = 0, flags: SPDUFlags = []) -> [SPDU] {
        let lower = max(0, min(units.lowerBound, unitCount))
        let upper = max(lower, min(units.upperBound, unitCount))
        let rec = UInt16(clamping: recording)
        var out: [SPDU] = []
        if lower == 0 { out.append(control(.open, sequence: 0, checkpoint: 0, recording: rec, flags: flags)) }
        for i in lower..<upper {
            let start = i * unitSize
            let slice = Array(message[start..<min(start + unitSize, message.count)])
            out.append(
                SPDU(
                    type: .data, flags: flags, sessionID: sessionID, sequence: UInt32(i),
                    checkpoint: UInt32(i / checkpointInterval), totalUnits: UInt32(unitCount),
                    totalLength: UInt32(message.count), checkpointInterval: UInt16(checkpointInterval),
                    recording: rec, payload: slice))
            if (i + 1) % checkpointInterval == 0 || i + 1 == unitCount {
                let k = (i + checkpointInterval) / checkpointInterval
                var cp = control(
                    .checkpoint, sequence: UInt32(i + 1), checkpoint: UInt32(k), recording: rec, flags: flags)
                cp.payload = crcBytes(checkpoint: k)
                out.append(cp)
            }
        }
        if upper == unitCount {
            var close = control(
                .close, sequence: UInt32(unitCount), checkpoint: UInt32(checkpointCount),
                recording: rec, flags: flags)
            close.payload = crcBytes(checkpoint: checkpointCount)
            out.append(close)
        }
        return out
    }

    /// Recording `index` of `count`, the data units shared out evenly (earlier recordings take
    /// the remainder), numbered from 1 in the `recording` field.
    public func recording(_ index: Int, of count: Int) -> [SPDU] {
        guard count > 0, (0..<count).contains(index) else { return [] }
        let base = unitCount / count, extra = unitCount % count
        let start = index * base + min(index, extra)
        let end = start + base + (index < extra ? 1 : 0)
        return spdus(forUnits: start..<end, recording: index + 1)
    }

    /// Everything after checkpoint `checkpoint` (the receiver's resume point), marked resent.
    /// Resuming after checkpoint 0 starts again from OPEN.
    public func resume(after checkpoint: UInt32, recording: Int = 0) -> [SPDU] {
        let from = unitsCovered(by: Int(min(checkpoint, UInt32(checkpointCount))))
        return spdus(forUnits: from..<unitCount, recording: recording, flags: .resent)
    }

    /// Handles the receiver's reply: RESUME gives what follows its checkpoint, ACK ends the session.
    ///
    /// - Throws: `unknownSession` for another session's reply, `unexpectedType` for a sender's
    ///   type, `checkpointOutOfRange` for a resume point past the last checkpoint.
    public mutating func handle(_ reply: SPDU) throws(SessionError) -> Action {
        guard reply.sessionID == sessionID else { throw .unknownSession(reply.sessionID) }
        switch reply.type {
        case .resume:
            guard reply.checkpoint <= UInt32(checkpointCount) else {
                throw .checkpointOutOfRange(sessionID, checkpoint: reply.checkpoint, last: UInt32(checkpointCount))
            }
            return .resend(resume(after: reply.checkpoint))
        case .ack:
            acknowledged = true
            return .acknowledged
        case .open, .data, .checkpoint, .close:
            throw .unexpectedType(reply.type)
        }
    }

    private func control(
        _ type: SPDUType, sequence: UInt32, checkpoint: UInt32, recording: UInt16,
        flags: SPDUFlags
    ) -> SPDU {
        SPDU(
            type: type, flags: flags, sessionID: sessionID, sequence: sequence, checkpoint: checkpoint,
            totalUnits: UInt32(unitCount), totalLength: UInt32(message.count),
            checkpointInterval: UInt16(checkpointInterval), recording: recording)
    }

    /// The CRC-32 of the units checkpoint `k` covers, big-endian (checkpoint 0: no bytes).
    private func crcBytes(checkpoint k: Int) -> [UInt8] {
        let crc = k == 0 ? CRC32().value : checkpointCRCs[k - 1]
        var b: [UInt8] = []
        appendU32(&b, crc)
        return b
    }
}
