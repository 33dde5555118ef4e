/// What the receiver found: one physical frame, good or bad.
public struct DecodedFrame: Sendable, Hashable, Codable {
    /// Result of the frame's checks.
    public enum Status: Sendable, Hashable, Codable, CustomStringConvertible {
        /// Header and payload checks passed (or the payload carries no CRC).
        case ok
        /// The payload CRC-32 did not match.
        case payloadCRCMismatch(expected: UInt32, received: UInt32)
        /// A sync word was found but the header's CRC-8 failed in all combinations.
        case headerError
        /// The recording ended before the frame did; `payload` holds what arrived.
        case truncated(receivedBytes: Int, expectedBytes: Int)

        /// A short machine name: `ok`, `crc-mismatch`, `phy-header-error`, `truncated`.
        public var name: String {
            switch self {
            case .ok: return "ok"
            case .payloadCRCMismatch: return "crc-mismatch"
            case .headerError: return "phy-header-error"
            case .truncated: return "truncated"
            }
        }

        public var description: String {
            switch self {
            case .ok: return "ok"
            case let .payloadCRCMismatch(e, r):
                return
                    "crc-mismatch (expected 0x\(String(e, radix: 16, uppercase: true)), received 0x\(String(r, radix: 16, uppercase: true)))"
            case .headerError: return "phy-header-error"
            case let .truncated(got, want): return "truncated (\(got) of \(want) bytes)"
            }
        }
    }

    /// First sample of the preamble, as estimated from the sync position.
    public var startSample: Int
    /// Sample after the last data symbol.
    public var endSample: Int
    /// Samples per second of the recording, to turn sample positions into seconds.
    public var sampleRate: Double
    /// Whether the frame passed its checks, and if not, which failed.
    public var status: Status
    /// The payload bytes: good data only when `status == .ok`.
    public var payload: [UInt8]
    /// The header flags (zero for a header error).
    public var flags: UInt8
    /// How well the sync pattern matched, 0…1.
    public var syncScore: Float
    /// Estimated Eb/N0 per data bit, in dB, from the tone energies.
    public var ebn0dB: Double
    /// Symbol rate the tracker ended with, relative to nominal (clock error), in ppm.
    public var clockErrorPPM: Double
    /// Coded bits the forward error correction found wrong on the air and put right; for an
    /// uncoded frame, the bits its CRC repair flipped (``Demodulator/Options/repairBits``).
    public var correctedBits = 0
    /// The frame's forward error correction, from its header (``FECScheme/none`` when uncoded
    /// or when the header was not read).
    public var fec = FECScheme.none

    /// Start of the frame in seconds from the start of the recording.
    public var startTime: Double { Double(startSample) / sampleRate }
    /// End of the frame in seconds from the start of the recording.
    public var endTime: Double { Double(endSample) / sampleRate }
    /// Whether the frame passed every check (`status == .ok`).
    public var isOK: Bool { status == .ok }
}
