import SoundStack
import AudioIO
import Foundation
import L4Transport

/// The JSON sidecar of one saved transmission (`NNNN-<exchange>-<direction>-<data|ack>.json`
/// beside its `.wav`): who sent what, through which channel, and what the far end made of each
/// frame. The WAV is what the receiving station heard; `soundstack decode --ip <receiver>`
/// replays it.
public struct LinkTransmissionRecord: Sendable, Codable, Hashable {
    /// One Ethernet frame of the transmission, as sent, and the receiver's verdict on it.
    public struct Frame: Sendable, Codable, Hashable {
        /// TCP sequence number, acknowledgment number, payload bytes and flags of the segment.
        public var seq: UInt32
        public var ack: UInt32
        public var len: Int
        public var flags: String
        /// SACK blocks (`left-right`) of an acknowledgement.
        public var sack: [String]
        /// Ethernet frame bytes (with FCS).
        public var bytes: Int
        /// Whether this segment had been sent before.
        public var resent: Bool
        /// At the receiver: `ok`, `fcs-mismatch`, `phy-header-error`, `truncated`, `not-found`, …
        public var status: String
        public var detail: String
    }

    /// Transmission number on the link (1, 2, …), as in the file name.
    public var number: Int
    public var exchange: Int
    /// The message's direction (the acknowledgements of a request travel towards the client).
    public var direction: LinkDirection
    /// `data` (the sending station: SYN, data, FIN) or `ack` (the receiving station: SYN-ACK, ACK).
    public var kind: String
    public var senderIP: String
    public var receiverIP: String
    public var mode: String
    public var lineCode: String
    public var sampleRate: Int
    /// The channel spec as applied to this transmission (its own derived seed); nil: clean.
    public var channel: String?
    /// Where the transmission starts on the message's audio clock, and how long it lasts.
    public var startSeconds: Double
    public var seconds: Double
    public var frames: [Frame]
    /// Whether the receiving station got the transmission's content (for `ack`: whether the
    /// sender could read the acknowledgement).
    public var heard: Bool
}

/// Writes the numbered WAV and JSON files of `--save-audio`.
struct LinkRecorder {
    let folder: URL

    init(folder: URL) throws(AcousticLinkError) {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch { throw .configuration("--save-audio \(folder.path): \(error.localizedDescription)") }
        self.folder = folder
    }

    static func name(_ r: LinkTransmissionRecord) -> String {
        let n = String(r.number)
        return String(repeating: "0", count: max(0, 4 - n.count)) + n + "-\(r.exchange)-\(r.direction.rawValue)-\(r.kind)"
    }

    /// Writes `audio` (float samples, so decoding the file gives exactly what the link decoded)
    /// and the sidecar. - Returns: the WAV's path.
    func save(_ audio: [Float], sampleRate: Int, record: LinkTransmissionRecord) throws(AcousticLinkError) -> String {
        let base = folder.appendingPathComponent(Self.name(record))
        let wav = base.appendingPathExtension("wav").path
        do {
            try AudioFile.write(audio, sampleRate: sampleRate, to: wav, encoding: .float32)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(Array(encoder.encode(record)), to: base.appendingPathExtension("json").path)
        } catch { throw .configuration("--save-audio: cannot write \(wav): \(error)") }
        return wav
    }
}

extension LinkTransmissionRecord.Frame {
    init(_ segment: TCPSegment, bytes: Int, resent: Bool, status: SentFrameVerdict) {
        let h = segment.header
        self.init(seq: h.sequenceNumber.rawValue, ack: h.acknowledgmentNumber.rawValue, len: segment.payload.count,
                  flags: "\(h.flags)", sack: h.sackBlocks.map { "\($0.left)-\($0.right)" }, bytes: bytes,
                  resent: resent, status: status.tag, detail: status.detail)
    }
}
