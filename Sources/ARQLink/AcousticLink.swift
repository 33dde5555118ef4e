import ChannelSimulator
import Foundation
import L1Physical
import L3Network
import L7Application
import SoundStack

// The acoustic link between two stations: a message goes down the stack at one end, out as
// audio, through the channel simulator, and up the stack at the other end, with TCP-like
// acknowledgement and retransmission in audio time. `soundstack bridge` carries HTTP over it.
//
// The engine is `LinkTransfer` (AcousticLinkTransfer.swift): TCP with a window of segments in
// flight over a half-duplex medium; `LinkAir` is the medium (layers 1–2 and the channel).
//
//   client 10.0.0.1:49152                                       origin 10.0.0.2:80
//   request:  SYN ─────────────────▶                            (each arrow: one audio
//             ◀───────────────── SYN-ACK                         transmission through the
//             ACK+data × window ──▶                              channel simulator, with its
//             ◀───────────────── ACK (cumulative + SACK)        own seed, demodulated for real)
//             lost segments, new data, FIN ──▶ …
//   response: the same with the roles swapped (origin sends, client acknowledges).

/// Which way a message crosses the link.
public enum LinkDirection: String, Sendable, Codable, CaseIterable {
    /// Client side → origin side.
    case request
    /// Origin side → client side.
    case response
}

/// How the link is set up.
public struct AcousticLinkConfiguration: Sendable {
    /// Layer 1 settings of both directions: mode, line code, sample rate, amplitude.
    public var physical: PhysicalConfig
    /// Channel impairments for each direction (nil: a clean channel). Each transmission gets its
    /// own seed derived from the spec's seed, so a run is repeatable. Eb/N0 without a bit rate
    /// is per data bit of the mode.
    public var channel: ChannelSpec?
    /// TCP maximum segment size (bytes of payload per frame).
    public var mss: Int
    /// Segments in flight before the sender waits for an acknowledgement: the most that go back
    /// to back in one transmission.
    public var window: Int
    /// Audio seconds the sender waits, once its transmission has ended, for an acknowledgement
    /// before it retransmits; doubled after each timeout in a row (up to 4 s).
    public var retransmissionTimeout: Double
    /// Give up on one message after this many seconds of audio (both directions, waits included).
    public var maxAudioSeconds: Double
    /// Keep every transmission as a numbered WAV with a JSON sidecar in this folder.
    public var saveAudio: URL?
    /// Bytes `saveAudio` may fill (WAVs and sidecars): once the next pair would go over, no
    /// more files are saved and ``saveAudioNotice`` is told once. nil: no limit.
    public var saveAudioQuotaBytes: Int? = nil
    /// Told (once) when `saveAudioQuotaBytes` stops the saving: a line for the log.
    public var saveAudioNotice: (@Sendable (String) -> Void)? = nil
    /// Silence between one station's transmission and the other's answer (the medium turns round).
    public var turnaroundSeconds: Double
    /// How L5/L6 travel in the TCP stream (`.osi`: their headers; `.plain`: HTTP alone).
    public var framing: StackOptions.Framing
    /// L6 deflate level (nil: none). Goodput still counts the HTTP message's own bytes.
    public var compressionLevel: Int?
    /// The segment size follows the channel, down to this many bytes: when two fifths or more of
    /// a transmission's frames are lost, new data goes in segments half as long (a short frame
    /// survives noise more often); after two clean transmissions it doubles again, up to the MSS.
    /// nil: every segment is MSS long.
    public var minimumSegmentSize: Int? = 128
    /// Copies of the ACK in each answer: an ACK is short, and a second copy makes a lost answer
    /// (and the sender's timeout) much rarer.
    public var acknowledgmentCopies = 2
    /// Messages cross one at a time, in the order they came, as on one shared real medium. When
    /// false and no audio is saved, messages cross side by side: each transmission has its own
    /// seeded channel, so what one message meets does not depend on the others. With
    /// ``saveAudio`` set they always queue, so the numbered files tell one story in order.
    public var oneMessageAtATime = false
    /// The forward error correction of the frames: chosen per transmission from the channel
    /// measured on the other station's frames (the default), or one scheme throughout.
    public var fec = LinkFEC.adaptive

    /// The defaults were tuned on a 50 kB POST (scripts/bench-link.sh): mfsk4-6000 at 48 kHz with
    /// 50 ms of lead silence and 10 ms between frames, MSS 512, 16 segments per transmission.
    public init(
        physical: PhysicalConfig = AcousticLinkConfiguration.defaultPhysical, channel: ChannelSpec? = nil,
        mss: Int = 512, window: Int = 16, retransmissionTimeout: Double = 0.5,
        maxAudioSeconds: Double = 600, saveAudio: URL? = nil, turnaroundSeconds: Double = 0.05,
        framing: StackOptions.Framing = .osi, compressionLevel: Int? = nil
    ) {
        self.physical = physical; self.channel = channel; self.mss = mss; self.window = window
        self.retransmissionTimeout = retransmissionTimeout; self.maxAudioSeconds = maxAudioSeconds
        self.saveAudio = saveAudio; self.turnaroundSeconds = turnaroundSeconds
        self.framing = framing; self.compressionLevel = compressionLevel
    }

    /// mfsk4-6000 (12 kbit/s) at 48 kHz, 50 ms of silence around each transmission, 10 ms between frames.
    public static var defaultPhysical: PhysicalConfig {
        physical(mode: Mode.named("mfsk4-6000") ?? Mode.custom(baud: 6000, tones: [3000, 9000, 15000, 21000]))
    }

    /// The link's physical settings in `mode`: its own line code, 48 kHz, `leadSeconds` of silence
    /// around each transmission and `gapSeconds` between frames.
    public static func physical(mode: Mode, leadSeconds: Double = 0.05, gapSeconds: Double = 0.01) -> PhysicalConfig {
        PhysicalConfig(mode: mode, leadSeconds: leadSeconds, gapSeconds: gapSeconds)
    }
}

/// What one message's crossing cost.
public struct LinkTransferReport: Sendable, Codable, Hashable {
    /// The bridge's exchange number (1, 2, …).
    public var exchange: Int
    /// Which way the message went.
    public var direction: LinkDirection
    /// Bytes of the message (the HTTP message as sent).
    public var messageBytes: Int
    /// Data-carrying frames sent the first time, lost in the channel, and sent again.
    public var framesSent: Int
    /// Data-carrying frames the channel destroyed (not heard intact by the receiver).
    public var framesLost: Int
    /// Data-carrying frames sent again after a loss.
    public var framesResent: Int
    /// Acknowledgement frames the receiver sent back, and how many of them the channel destroyed.
    public var ackFramesSent: Int
    /// Acknowledgement frames the channel destroyed.
    public var ackFramesLost: Int
    /// Audio transmissions (bursts) in both directions.
    public var transmissions: Int
    /// Retransmission timeouts that fired.
    public var timeouts: Int
    /// Audio time the crossing took: every burst both ways, plus waits.
    public var audioSeconds: Double
    /// messageBytes / audioSeconds once delivered (0 when not).
    public var goodput: Double
    /// WAV files written (with `saveAudio`), in order.
    public var savedFiles: [String]
    /// Whether the far side got the whole message.
    public var delivered: Bool
    /// The shortest data segment the sender went down to as the channel lost frames (nil: the
    /// segment size stayed fixed).
    public var smallestSegment: Int? = nil
    /// Data-carrying frames sent under each forward error correction scheme, by name.
    public var fecFrames: [String: Int] = [:]
    /// Frames of both stations sent under each scheme, acknowledgements included, by name.
    public var fecAllFrames: [String: Int] = [:]

    /// The data frames per scheme, weakest first: `none 1, rs 17, cc3/4 88`.
    public var fecSummary: String {
        FECScheme.allCases.compactMap { s in fecFrames[s.name].map { "\(s.name) \($0)" } }.joined(separator: ", ")
    }

    /// A report; every count zero unless given.
    public init(
        exchange: Int, direction: LinkDirection, messageBytes: Int, framesSent: Int = 0, framesLost: Int = 0,
        framesResent: Int = 0, ackFramesSent: Int = 0, ackFramesLost: Int = 0, transmissions: Int = 0,
        timeouts: Int = 0, audioSeconds: Double = 0, savedFiles: [String] = [], delivered: Bool = false
    ) {
        self.exchange = exchange; self.direction = direction; self.messageBytes = messageBytes
        self.framesSent = framesSent; self.framesLost = framesLost; self.framesResent = framesResent
        self.ackFramesSent = ackFramesSent; self.ackFramesLost = ackFramesLost; self.transmissions = transmissions
        self.timeouts = timeouts; self.audioSeconds = audioSeconds
        self.goodput = delivered && audioSeconds > 0 ? Double(messageBytes) / audioSeconds : 0
        self.savedFiles = savedFiles; self.delivered = delivered
    }
}

/// Why a transfer over the acoustic link did not complete.
public enum AcousticLinkError: Error, Sendable, CustomStringConvertible {
    /// Nothing (or not all) got through within `maxAudioSeconds`.
    case gaveUp(LinkTransferReport, reason: String)
    /// The link cannot be set up as configured (the reason in words).
    case configuration(String)

    public var description: String {
        switch self {
        case let .gaveUp(r, reason):
            "link gave up on the \(r.direction) after \(String(format: "%.1f", r.audioSeconds)) s of audio: \(reason)"
        case .configuration(let s): "link configuration: \(s)"
        }
    }
}

/// Two stations and the channel between them. `carry` is safe to call from several threads.
/// On the simulated channel messages cross side by side, each transmission with its own seeded
/// channel, so a long upload never holds up a short request. When the medium is one
/// (``AcousticLinkConfiguration/oneMessageAtATime``, or audio is being saved) messages cross one
/// at a time in the order they called (a `FIFOLock`): a message waits for those queued before
/// it, never for one that came later, and an exchange's response queues again once the origin
/// has answered.
///
///     let link = try AcousticLink(AcousticLinkConfiguration(channel: try ChannelSpec.parse("ebn0=10,seed=7")))
///     let (got, report) = try link.carry(request, direction: .request, exchange: 1)
///     report.framesLost, report.framesResent, report.goodput   // bytes per second of audio
public final class AcousticLink: @unchecked Sendable {
    /// How the link was set up.
    public let configuration: AcousticLinkConfiguration
    /// Held while a message crosses, when messages cross one at a time.
    private let queue: FIFOLock?
    /// Guards `requestMethods` and `saved`.
    private let state = NSLock()
    /// The method of each exchange's request, until its response has crossed.
    private var requestMethods: [Int: HTTPMethod?] = [:]
    let air: LinkAir
    let recorder: LinkRecorder?
    /// Transmissions saved so far (the next file is number `saved + 1`).
    private var saved = 0

    /// The client side's address and port (the request's sender).
    public static let client = (ip: IPv4Address(10, 0, 0, 1), port: UInt16(49152))
    /// The origin side's address and port (the response's sender).
    public static let origin = (ip: IPv4Address(10, 0, 0, 2), port: UInt16(80))

    /// Who talks to whom for a message going `direction`, seen from its sender.
    public static func endpoints(_ direction: LinkDirection) -> StackEndpoints {
        let ends = StackEndpoints(
            sourceMAC: StackEndpoints.defaultMAC(for: client.ip),
            destinationMAC: StackEndpoints.defaultMAC(for: origin.ip), sourceIP: client.ip,
            destinationIP: origin.ip, sourcePort: client.port, destinationPort: origin.port)
        return direction == .request ? ends : ends.reversed
    }

    /// - Throws: `configuration` for an MSS outside 64…1460, a window outside 1…64, a timeout,
    ///   turnaround or audio limit that is not a positive number of seconds, a mode the sample
    ///   rate cannot carry, a channel step out of range, or a folder that cannot be made.
    public init(_ configuration: AcousticLinkConfiguration) throws(AcousticLinkError) {
        let c = configuration
        guard (64...1460).contains(c.mss) else { throw .configuration("MSS \(c.mss) outside 64…1460") }
        guard (1...64).contains(c.window) else { throw .configuration("window \(c.window) outside 1…64 segments") }
        guard (1...4).contains(c.acknowledgmentCopies) else {
            throw .configuration("ACK copies \(c.acknowledgmentCopies) outside 1…4")
        }
        if let m = c.minimumSegmentSize, !(16...c.mss).contains(m) {
            throw .configuration("smallest segment \(m) outside 16…\(c.mss) (the MSS)")
        }
        guard c.retransmissionTimeout.isFinite, c.retransmissionTimeout > 0 else {
            throw .configuration(
                "retransmission timeout must be a positive number of seconds, not \(c.retransmissionTimeout)")
        }
        guard c.maxAudioSeconds.isFinite, c.maxAudioSeconds > 0 else {
            throw .configuration("audio limit must be a positive number of seconds, not \(c.maxAudioSeconds)")
        }
        guard c.turnaroundSeconds.isFinite, (0...10).contains(c.turnaroundSeconds) else {
            throw .configuration("turnaround must be 0…10 s, not \(c.turnaroundSeconds)")
        }
        if let level = c.compressionLevel, !(0...9).contains(level) {
            throw .configuration("compression level \(level) outside 0…9")
        }
        if c.compressionLevel != nil, c.framing == .plain {
            throw .configuration("compression needs the OSI framing (an L6 header), not plain HTTP")
        }
        air = try LinkAir(physical: c.physical, channel: c.channel)
        if let quota = c.saveAudioQuotaBytes, quota < 0 {
            throw .configuration("save-audio quota \(quota) is negative")
        }
        recorder = try c.saveAudio.map { url throws(AcousticLinkError) in
            try LinkRecorder(folder: url, quotaBytes: c.saveAudioQuotaBytes, notice: c.saveAudioNotice)
        }
        queue = c.oneMessageAtATime || recorder != nil ? FIFOLock() : nil
        self.configuration = configuration
    }

    /// Whether messages cross one at a time (queued in order) rather than side by side.
    public var crossesOneAtATime: Bool { queue != nil }

    /// Takes `message` across: down the stack at the sending station, through the channel, up
    /// the stack at the receiving one, acknowledging and resending until it is whole.
    /// - Returns: the bytes the far side's stack delivered, and what it cost.
    /// - Throws: `gaveUp` past `maxAudioSeconds` of audio (or when the far side's stack refuses
    ///   the message), `configuration` when the sending stack cannot take the message.
    public func carry(
        _ message: [UInt8], direction: LinkDirection,
        exchange: Int
    ) throws(AcousticLinkError) -> (delivered: [UInt8], report: LinkTransferReport) {
        guard let queue else { return try carryOne(message, direction: direction, exchange: exchange) }
        return try queue.withLock { () throws(AcousticLinkError) in
            try carryOne(message, direction: direction, exchange: exchange)
        }
    }

    /// One message across, on its own channel (or with the medium to itself when queued).
    private func carryOne(
        _ message: [UInt8], direction: LinkDirection,
        exchange: Int
    ) throws(AcousticLinkError) -> (delivered: [UInt8], report: LinkTransferReport) {
        // The client's station reads a response knowing the request it answers (after HEAD, no body).
        let method: HTTPMethod?
        switch direction {
        case .request:
            method = nil
            let sent = message.firstIndex(of: 0x20).flatMap {
                HTTPMethod(rawValue: String(decoding: message[..<$0], as: UTF8.self))
            }
            state.withLock { requestMethods[exchange] = sent }
        case .response:
            method = state.withLock { requestMethods.removeValue(forKey: exchange) ?? nil }
        }
        // Saving audio makes the messages queue (see `init`), so `saved` is not raced for.
        var transfer = LinkTransfer(
            configuration: configuration, air: air, recorder: recorder, exchange: exchange,
            direction: direction, message: message, savedBefore: state.withLock { saved })
        transfer.respondingTo = method
        defer {
            let count = transfer.saved
            state.withLock { saved = count }
        }
        do {
            let delivered = try transfer.run()
            return (delivered, transfer.report)
        } catch {
            if direction == .request { state.withLock { requestMethods[exchange] = nil } }  // no response will follow
            throw error
        }
    }
}
