import Checksums

/// One session's bookkeeping at the receiver. Memory grows with what arrived, never with what a
/// header claims: units are kept in a dictionary, and the shape was checked against the limits
/// before the record was made.
struct SessionRecord: Sendable {
    let id: SessionID
    let totalUnits: UInt32
    let totalLength: UInt32
    let interval: UInt16
    var openSeen = false
    var closeCRC: UInt32?
    var failure: SessionError?
    var units: [UInt32: [UInt8]] = [:]
    var heldBytes = 0
    /// CRC-32s the CHECKPOINT units carried, by checkpoint number.
    var announcedCRCs: [UInt32: UInt32] = [:]
    /// Last checkpoint up to which every unit is held, and the CRC-32 of the bytes at each one passed.
    var resumePoint: UInt32 = 0
    var prefixCRCs: [UInt32] = []
    /// Units `0..<contiguous` are all held; `running` is their CRC-32.
    var contiguous: UInt32 = 0
    var running = CRC32()
    var lastActivity: Duration

    init(shape spdu: SPDU, now: Duration) {
        id = spdu.sessionID
        totalUnits = spdu.totalUnits
        totalLength = spdu.totalLength
        interval = spdu.checkpointInterval
        lastActivity = now
    }

    var checkpointCount: UInt32 {
        let i = UInt32(interval)
        return totalUnits / i + (totalUnits % i == 0 ? 0 : 1)
    }

    func unitsCovered(by k: UInt32) -> UInt32 {
        UInt64(k) * UInt64(interval) >= UInt64(totalUnits) ? totalUnits : k * UInt32(interval)
    }

    var state: SessionState {
        if let failure { return .failed(failure) }
        return resumePoint == 0 ? .open : .checkpointed(resumePoint)
    }

    var isComplete: Bool { resumePoint == checkpointCount && closeCRC != nil }

    /// Checks that `spdu` describes the same session shape.
    func checkShape(_ spdu: SPDU) throws(SessionError) {
        if spdu.totalUnits != totalUnits {
            throw .inconsistentShape(id, field: "totalUnits", expected: totalUnits, actual: spdu.totalUnits)
        }
        if spdu.totalLength != totalLength {
            throw .inconsistentShape(id, field: "totalLength", expected: totalLength, actual: spdu.totalLength)
        }
        if spdu.checkpointInterval != interval {
            throw .inconsistentShape(
                id, field: "checkpointInterval", expected: UInt32(interval),
                actual: UInt32(spdu.checkpointInterval))
        }
    }

    /// Takes one unit of this session. Returns false for a duplicate.
    mutating func accept(_ spdu: SPDU) throws(SessionError) -> Bool {
        try checkShape(spdu)
        switch spdu.type {
        case .open:
            if openSeen { return false }
            openSeen = true
            return true
        case .data:
            guard spdu.sequence < totalUnits else {
                throw .sequenceOutOfRange(id, sequence: spdu.sequence, total: totalUnits)
            }
            let expected = spdu.sequence / UInt32(interval)
            guard spdu.checkpoint == expected else {
                throw .inconsistentShape(id, field: "checkpoint", expected: expected, actual: spdu.checkpoint)
            }
            if units[spdu.sequence] != nil { return false }
            guard !spdu.payload.isEmpty else { throw .emptyDataUnit(id, sequence: spdu.sequence) }
            guard heldBytes + spdu.payload.count <= Int(totalLength) else {
                throw .unitBeyondLength(id, sequence: spdu.sequence, length: heldBytes + spdu.payload.count)
            }
            units[spdu.sequence] = spdu.payload
            heldBytes += spdu.payload.count
            return true
        case .checkpoint:
            let k = spdu.checkpoint
            guard k >= 1, k <= checkpointCount else {
                throw .checkpointOutOfRange(id, checkpoint: k, last: checkpointCount)
            }
            guard spdu.sequence == unitsCovered(by: k) else {
                throw .inconsistentShape(id, field: "sequence", expected: unitsCovered(by: k), actual: spdu.sequence)
            }
            guard let crc = spdu.contentCRC else {
                throw .badControlPayload(id, type: .checkpoint, length: spdu.payload.count)
            }
            if announcedCRCs[k] != nil { return false }
            announcedCRCs[k] = crc
            if k <= resumePoint { try verify(checkpoint: k) }
            return true
        case .close:
            guard spdu.sequence == totalUnits else {
                throw .inconsistentShape(id, field: "sequence", expected: totalUnits, actual: spdu.sequence)
            }
            guard let crc = spdu.contentCRC else {
                throw .badControlPayload(id, type: .close, length: spdu.payload.count)
            }
            if closeCRC != nil { return false }
            closeCRC = crc
            return true
        case .resume, .ack:
            throw .unexpectedType(spdu.type)
        }
    }

    /// Moves the resume point over every checkpoint whose units are all held, checking each
    /// against its CHECKPOINT's CRC when that has arrived. Returns the checkpoints passed.
    /// Amortised O(1) per unit: `contiguous` only moves forward.
    mutating func advance() throws(SessionError) -> [UInt32] {
        var passed: [UInt32] = []
        while resumePoint < checkpointCount {
            let end = unitsCovered(by: resumePoint + 1)
            while contiguous < end, let u = units[contiguous] {
                running.update(u)
                contiguous += 1
            }
            guard contiguous == end else { break }
            prefixCRCs.append(running.value)
            resumePoint += 1
            passed.append(resumePoint)
            try verify(checkpoint: resumePoint)
        }
        return passed
    }

    private func verify(checkpoint k: UInt32) throws(SessionError) {
        guard k >= 1, Int(k) <= prefixCRCs.count, let announced = announcedCRCs[k] else { return }
        let actual = prefixCRCs[Int(k) - 1]
        guard announced == actual else {
            throw .contentMismatch(id, checkpoint: k, expected: announced, actual: actual)
        }
    }

    /// The whole message, once complete: length and CLOSE's CRC checked.
    func assemble() throws(SessionError) -> [UInt8] {
        var message: [UInt8] = []
        message.reserveCapacity(heldBytes)
        for i in 0..<totalUnits { if let u = units[i] { message += u } }
        guard message.count == Int(totalLength) else {
            throw .inconsistentShape(
                id, field: "totalLength", expected: totalLength, actual: UInt32(clamping: message.count))
        }
        let actual = prefixCRCs.last ?? CRC32().value
        if let closeCRC, closeCRC != actual {
            throw .contentMismatch(id, checkpoint: checkpointCount, expected: closeCRC, actual: actual)
        }
        return message
    }

    func status() -> SessionStatus {
        var missing: [Range<UInt32>] = []
        var start: UInt32?
        // Everything before the resume point is held; scan only what follows it.
        var i = unitsCovered(by: resumePoint)
        while i < totalUnits {
            if units[i] == nil {
                if start == nil { start = i }
            } else if let s = start {
                missing.append(s..<i); start = nil
            }
            i += 1
        }
        if let s = start { missing.append(s..<totalUnits) }
        return SessionStatus(
            sessionID: id, state: state, totalUnits: totalUnits, totalLength: totalLength,
            checkpointInterval: interval, unitsHeld: units.count, missingUnits: missing,
            resumePoint: resumePoint, resumeFromUnit: unitsCovered(by: resumePoint),
            openSeen: openSeen, closeSeen: closeCRC != nil)
    }

    /// The reply for the sender: RESUME after the resume point, or ACK when delivered.
    func reply(_ type: SPDUType) -> SPDU {
        SPDU(
            type: type, sessionID: id, sequence: unitsCovered(by: resumePoint), checkpoint: resumePoint,
            totalUnits: totalUnits, totalLength: totalLength, checkpointInterval: interval)
    }
}
