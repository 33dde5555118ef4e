import Checksums

/// A session PDU: a 40-byte header and up to 65 535 payload bytes. All fields big-endian.
///
///     offset size field
///      0     2    magic 0x53 0x35 ("S5")
///      2     1    version (1)
///      3     1    type: 1 OPEN, 2 DATA, 3 CHECKPOINT, 4 CLOSE, 5 RESUME, 6 ACK
///      4     1    flags: 0x01 resent after a RESUME
///      5     1    reserved (0)
///      6     2    payload length
///      8     8    session id
///     16     4    sequence: DATA its unit index; CHECKPOINT/RESUME units covered; OPEN 0; CLOSE/ACK total
///     20     4    checkpoint: DATA the checkpoints before it; CHECKPOINT/RESUME/ACK its number
///     24     4    total data units in the message
///     28     4    total message length in bytes
///     32     2    checkpoint interval (data units per checkpoint)
///     34     2    recording number the sender put it in (informational)
///     36     4    CRC-32 (IEEE) over bytes 0..<36 and the payload
///     40     …    payload: DATA a slice of the message; CHECKPOINT/CLOSE the CRC-32 of the units covered
///
/// Every SPDU carries the session's shape (units, length, interval), so units from a later
/// recording can be placed before the OPEN has arrived.
///
///     let unit = SPDU(type: .data, sessionID: SessionID(0x0102030405060708), sequence: 0,
///                     totalUnits: 1, totalLength: 2, checkpointInterval: 4, payload: [0x68, 0x69])
///     let bytes = try unit.emit()
///     let (back, used) = try SPDU.parse(bytes) ?? (unit, 0)   // nil: need more bytes
public struct SPDU: Hashable, Sendable {
    /// Field offsets.
    public enum Field {
        /// Offset of the 2-byte magic "S5" (0x53 0x35).
        public static let magic = 0
        /// Offset of the version byte.
        public static let version = 2
        /// Offset of the type byte (``SPDUType``).
        public static let type = 3
        /// Offset of the flags byte (``SPDUFlags``).
        public static let flags = 4
        /// Offset of the reserved byte (0).
        public static let reserved = 5
        /// Offset of the 16-bit payload length.
        public static let payloadLength = 6
        /// Offset of the 64-bit session id.
        public static let sessionID = 8
        /// Offset of the 32-bit sequence field (meaning depends on the type; see the table above).
        public static let sequence = 16
        /// Offset of the 32-bit checkpoint field.
        public static let checkpoint = 20
        /// Offset of the 32-bit total number of data units.
        public static let totalUnits = 24
        /// Offset of the 32-bit total message length in bytes.
        public static let totalLength = 28
        /// Offset of the 16-bit checkpoint interval.
        public static let checkpointInterval = 32
        /// Offset of the 16-bit recording number.
        public static let recording = 34
        /// Offset of the CRC-32 over bytes 0..<36 and the payload.
        public static let crc = 36
    }

    /// Length of the header in bytes; the payload follows it.
    public static let headerLength = 40
    /// The magic number that opens every SPDU, "S5".
    public static let magic: UInt16 = 0x5335
    /// The version this code writes and reads.
    public static let version: UInt8 = 1

    /// OPEN, DATA, CHECKPOINT, CLOSE, RESUME or ACK.
    public var type: SPDUType
    /// Flag bits (e.g. ``SPDUFlags/resent``).
    public var flags: SPDUFlags
    /// The session this unit belongs to.
    public var sessionID: SessionID
    /// DATA: its unit index; CHECKPOINT/RESUME: units covered; OPEN: 0; CLOSE/ACK: the total.
    public var sequence: UInt32
    /// DATA: the number of checkpoints before it; CHECKPOINT/RESUME/ACK: the checkpoint's number.
    public var checkpoint: UInt32
    /// Total data units in the session's message.
    public var totalUnits: UInt32
    /// Total length of the session's message in bytes.
    public var totalLength: UInt32
    /// Data units per checkpoint.
    public var checkpointInterval: UInt16
    /// Which recording the sender put the unit in (informational, not checked).
    public var recording: UInt16
    /// DATA: a slice of the message; CHECKPOINT/CLOSE: the CRC-32 of the units covered; else empty.
    public var payload: [UInt8]

    /// An SPDU from its fields; `emit` adds the magic, version, length and CRC.
    public init(
        type: SPDUType, flags: SPDUFlags = [], sessionID: SessionID, sequence: UInt32 = 0,
        checkpoint: UInt32 = 0, totalUnits: UInt32, totalLength: UInt32, checkpointInterval: UInt16,
        recording: UInt16 = 0, payload: [UInt8] = []
    ) {
        self.type = type; self.flags = flags; self.sessionID = sessionID
        self.sequence = sequence; self.checkpoint = checkpoint
        self.totalUnits = totalUnits; self.totalLength = totalLength
        self.checkpointInterval = checkpointInterval; self.recording = recording
        self.payload = payload
    }

    /// Parses one SPDU starting at `start` in `bytes`; bytes after it are left for the caller.
    ///
    /// - Returns: the SPDU and the bytes it used, or nil when more bytes are needed.
    /// - Throws: `badMagic`, `unsupportedVersion`, `checksumMismatch` or `unknownType` for bad bytes.
    public static func parse(_ bytes: [UInt8], at start: Int = 0) throws(SessionError) -> (spdu: SPDU, consumed: Int)? {
        guard start >= 0 else { return nil }
        let available = bytes.count - start
        // Refuse a wrong magic as soon as its bytes are there, rather than waiting for a header.
        if available >= 1, bytes[start] != UInt8(magic >> 8) { throw .badMagic(UInt16(bytes[start]) << 8) }
        guard available >= headerLength else { return nil }
        let m = readU16(bytes, start + Field.magic)
        guard m == magic else { throw .badMagic(m) }
        let v = bytes[start + Field.version]
        guard v == version else { throw .unsupportedVersion(v) }
        let length = Int(readU16(bytes, start + Field.payloadLength))
        guard available >= headerLength + length else { return nil }
        let payloadRange = (start + headerLength)..<(start + headerLength + length)
        var crc = CRC32()
        crc.update(bytes[start..<(start + Field.crc)])
        crc.update(bytes[payloadRange])
        let sent = readU32(bytes, start + Field.crc)
        guard crc.value == sent else { throw .checksumMismatch(expected: crc.value, actual: sent) }
        // The type is checked after the CRC: a damaged type byte is reported as damage.
        let t = bytes[start + Field.type]
        guard let type = SPDUType(rawValue: t) else { throw .unknownType(t) }
        let spdu = SPDU(
            type: type, flags: SPDUFlags(rawValue: bytes[start + Field.flags]),
            sessionID: SessionID(readU64(bytes, start + Field.sessionID)),
            sequence: readU32(bytes, start + Field.sequence),
            checkpoint: readU32(bytes, start + Field.checkpoint),
            totalUnits: readU32(bytes, start + Field.totalUnits),
            totalLength: readU32(bytes, start + Field.totalLength),
            checkpointInterval: readU16(bytes, start + Field.checkpointInterval),
            recording: readU16(bytes, start + Field.recording),
            payload: Array(bytes[payloadRange]))
        return (spdu, headerLength + length)
    }

    /// How many bytes the SPDU starting at `start` takes: the header length until the payload
    /// length field is there, then header plus payload.
    public static func length(in bytes: [UInt8], at start: Int = 0) -> Int {
        guard start >= 0, bytes.count - start >= Field.payloadLength + 2 else { return headerLength }
        return headerLength + Int(readU16(bytes, start + Field.payloadLength))
    }

    /// The SPDU's bytes, payload length and CRC filled in.
    ///
    /// - Throws: `payloadTooLarge` when the payload exceeds 65 535 bytes.
    public func emit() throws(SessionError) -> [UInt8] {
        guard payload.count <= Int(UInt16.max) else { throw .payloadTooLarge(payload.count) }
        var b: [UInt8] = []
        b.reserveCapacity(Self.headerLength + payload.count)
        appendU16(&b, Self.magic)
        b.append(Self.version)
        b.append(type.rawValue)
        b.append(flags.rawValue)
        b.append(0)
        appendU16(&b, UInt16(payload.count))
        appendU64(&b, sessionID.rawValue)
        appendU32(&b, sequence)
        appendU32(&b, checkpoint)
        appendU32(&b, totalUnits)
        appendU32(&b, totalLength)
        appendU16(&b, checkpointInterval)
        appendU16(&b, recording)
        var crc = CRC32()
        crc.update(b)
        crc.update(payload)
        appendU32(&b, crc.value)
        b += payload
        return b
    }

    /// The CRC-32 a CHECKPOINT or CLOSE carries, or nil when its payload is not 4 bytes.
    public var contentCRC: UInt32? {
        payload.count == 4 ? readU32(payload, 0) : nil
    }
}

extension SPDU: CustomStringConvertible {
    /// One line for the trace, e.g. `DATA 5f0c9a12d4e6b873 #3 cp0 512 B`.
    public var description: String {
        var s = "\(type) \(sessionID)"
        switch type {
        case .data: s += " #\(sequence) cp\(checkpoint) \(payload.count) B"
        case .checkpoint, .resume: s += " cp\(checkpoint) (units 0..<\(sequence))"
        case .open, .close, .ack: s += " \(totalUnits) units, \(totalLength) B"
        }
        if flags.contains(.resent) { s += " resent" }
        return s
    }
}
