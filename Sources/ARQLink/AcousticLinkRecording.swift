import AudioIO
import Foundation
import L4Transport
import SoundStack

/// The JSON sidecar of one saved transmission (`NNNN-<exchange>-<direction>-<data|ack>.json`
/// beside its `.wav`): who sent what, through which channel, and what the far end made of each
/// frame. The WAV is what the receiving station heard; `soundstack decode --ip <receiver>`
/// replays it.
public struct LinkTransmissionRecord: Sendable, Codable, Hashable {
    /// One Ethernet frame of the transmission, as sent, and the receiver's verdict on it.
    public struct Frame: Sendable, Codable, Hashable {
        /// TCP sequence number, acknowledgment number, payload bytes and flags of the segment.
        public var seq: UInt32
        /// The segment's acknowledgment number.
        public var ack: UInt32
        /// The segment's payload bytes.
        public var len: Int
        /// The segment's TCP flags, e.g. `SYN|ACK`.
        public var flags: String
        /// SACK blocks (`left-right`) of an acknowledgement.
        public var sack: [String]
        /// Ethernet frame bytes (with FCS).
        public var bytes: Int
        /// Whether this segment had been sent before.
        public var resent: Bool
        /// At the receiver: `ok`, `fcs-mismatch`, `phy-header-error`, `truncated`, `not-found`, …
        public var status: String
        /// The status with its numbers, for people.
        public var detail: String
    }

    /// Transmission number on the link (1, 2, …), as in the file name.
    public var number: Int
    /// The bridge's exchange number the transmission belongs to (1, 2, …).
    public var exchange: Int
    /// The message's direction (the acknowledgements of a request travel towards the client).
    public var direction: LinkDirection
    /// `data` (the sending station: SYN, data, FIN) or `ack` (the receiving station: SYN-ACK, ACK).
    public var kind: String
    /// The sending station's IPv4 address.
    public var senderIP: String
    /// The receiving station's IPv4 address.
    public var receiverIP: String
    /// The modem mode of the transmission.
    public var mode: String
    /// The line code of the transmission.
    public var lineCode: String
    /// Samples per second of the saved audio.
    public var sampleRate: Int
    /// The channel spec as applied to this transmission (its own derived seed); nil: clean.
    public var channel: String?
    /// Where the transmission starts on the message's audio clock, and how long it lasts.
    public var startSeconds: Double
    /// Duration of the transmission in seconds.
    public var seconds: Double
    /// The frames of the transmission, in the order sent.
    public var frames: [Frame]
    /// Whether the receiving station got the transmission's content (for `ack`: whether the
    /// sender could read the acknowledgement).
    public var heard: Bool
}

/// Writes the numbered WAV and JSON files of `--save-audio`, up to a quota of bytes: the first
/// file pair that would go over it is not written, nor is any after it, and `notice` is told
/// once. Shared by every transfer of one link; safe from several threads.
final class LinkRecorder: @unchecked Sendable {
    let folder: URL
    /// Bytes the saved files may take in all (nil: no limit).
    let quotaBytes: Int?
    private let notice: (@Sendable (String) -> Void)?
    private let lock = NSLock()
    private var written = 0
    private var full = false

    init(folder: URL, quotaBytes: Int? = nil, notice: (@Sendable (String) -> Void)? = nil) throws(AcousticLinkError) {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch { throw .configuration("--save-audio \(folder.path): \(error.localizedDescription)") }
        self.folder = folder; self.quotaBytes = quotaBytes; self.notice = notice
    }

    /// Bytes written so far.
    var bytesWritten: Int { lock.withLock { written } }

    static func name(_ r: LinkTransmissionRecord) -> String {
        let n = String(r.number)
        return String(repeating: "0", count: max(0, 4 - n.count)) + n
            + "-\(r.exchange)-\(r.direction.rawValue)-\(r.kind)"
    }

    /// Bytes of a mono 32-bit float WAV of `samples` samples, at most: the samples and 128 for
    /// the chunks around them (RIFF, fmt, fact, PEAK, data: about 90 as libsndfile writes them).
    static func wavBytes(samples: Int) -> Int { 128 + 4 * samples }

    /// Writes `audio` (float samples, so decoding the file gives exactly what the link decoded)
    /// and the sidecar. - Returns: the WAV's path, or nil once the quota is reached.
    func save(_ audio: [Float], sampleRate: Int, record: LinkTransmissionRecord) throws(AcousticLinkError) -> String? {
        let base = folder.appendingPathComponent(Self.name(record))
        let wav = base.appendingPathExtension("wav").path
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let sidecar: Data
        do { sidecar = try encoder.encode(record) } catch { throw .configuration("--save-audio: \(error)") }
        let size = Self.wavBytes(samples: audio.count) + sidecar.count
        // Decided under the lock: only the transfer that fills the quota tells.
        let (admitted, tell, before): (Bool, Bool, Int) = lock.withLock {
            if full { return (false, false, written) }
            if let quotaBytes, written + size > quotaBytes {
                full = true
                return (false, true, written)
            }
            written += size
            return (true, false, written)
        }
        guard admitted else {
            if tell {
                let quota = quotaBytes ?? 0
                notice?("--save-audio: quota of \(quota) bytes reached (\(before) saved); no more audio is saved")
            }
            return nil
        }
        do {
            try AudioFile.write(audio, sampleRate: sampleRate, to: wav, encoding: .float32)
            try AtomicFile.write(Array(sidecar), to: base.appendingPathExtension("json").path)
        } catch { throw .configuration("--save-audio: cannot write \(wav): \(error)") }
        return wav
    }
}

extension LinkTransmissionRecord.Frame {
    init(_ segment: TCPSegment, bytes: Int, resent: Bool, status: SentFrameVerdict) {
        let h = segment.header
        self.init(
            seq: h.sequenceNumber.rawValue, ack: h.acknowledgmentNumber.rawValue, len: segment.payload.count,
            flags: "\(h.flags)", sack: h.sackBlocks.map { "\($0.left)-\($0.right)" }, bytes: bytes,
            resent: resent, status: status.tag, detail: status.detail)
    }
}
