import ChannelSimulator
import Foundation
import L1Physical

// The acoustic link between two stations: a message goes down the stack at one end, out as
// audio, through the channel simulator, and up the stack at the other end, with TCP-like
// acknowledgement and retransmission in audio time. `soundstack bridge` carries HTTP over it.
//
// INTERFACE FIRST: this file fixes the public API the bridge builds against. The body of
// `carry` is a clean pass-through until the ARQ engine lands.

/// Which way a message crosses the link.
public enum LinkDirection: String, Sendable, Codable, CaseIterable {
    /// Client side → origin side.
    case request
    /// Origin side → client side.
    case response
}

/// How the link is set up.
public struct AcousticLinkConfiguration: Sendable {
    public var physical: PhysicalConfig
    /// Channel impairments for each direction (nil: a clean channel). Each transmission gets its
    /// own seed derived from the spec's seed, so a run is repeatable.
    public var channel: ChannelSpec?
    /// TCP maximum segment size (bytes of payload per frame).
    public var mss: Int
    /// Segments in flight before the sender waits for an acknowledgement.
    public var window: Int
    /// Audio seconds the sender waits for an acknowledgement before it retransmits.
    public var retransmissionTimeout: Double
    /// Give up on one message after this many seconds of audio (both directions, waits included).
    public var maxAudioSeconds: Double
    /// Keep every transmission as a numbered WAV with a JSON sidecar in this folder.
    public var saveAudio: URL?

    public init(physical: PhysicalConfig = PhysicalConfig(mode: Mode.named("mfsk4-6000")!), channel: ChannelSpec? = nil,
                mss: Int = 1024, window: Int = 8, retransmissionTimeout: Double = 1.0,
                maxAudioSeconds: Double = 600, saveAudio: URL? = nil) {
        self.physical = physical; self.channel = channel; self.mss = mss; self.window = window
        self.retransmissionTimeout = retransmissionTimeout; self.maxAudioSeconds = maxAudioSeconds
        self.saveAudio = saveAudio
    }
}

/// What one message's crossing cost.
public struct LinkTransferReport: Sendable, Codable, Hashable {
    /// The bridge's exchange number (1, 2, …).
    public var exchange: Int
    public var direction: LinkDirection
    /// Bytes of the message (the HTTP message as sent).
    public var messageBytes: Int
    /// Data-carrying frames sent the first time, lost in the channel, and sent again.
    public var framesSent: Int
    public var framesLost: Int
    public var framesResent: Int
    /// Acknowledgement frames the receiver sent back, and how many of them the channel destroyed.
    public var ackFramesSent: Int
    public var ackFramesLost: Int
    /// Audio transmissions (bursts) in both directions.
    public var transmissions: Int
    /// Retransmission timeouts that fired.
    public var timeouts: Int
    /// Audio time the crossing took: every burst both ways, plus waits.
    public var audioSeconds: Double
    /// messageBytes / audioSeconds.
    public var goodput: Double
    /// WAV files written (with `saveAudio`), in order.
    public var savedFiles: [String]
    /// Whether the far side got the whole message.
    public var delivered: Bool

    public init(exchange: Int, direction: LinkDirection, messageBytes: Int, framesSent: Int = 0, framesLost: Int = 0,
                framesResent: Int = 0, ackFramesSent: Int = 0, ackFramesLost: Int = 0, transmissions: Int = 0,
                timeouts: Int = 0, audioSeconds: Double = 0, savedFiles: [String] = [], delivered: Bool = false) {
        self.exchange = exchange; self.direction = direction; self.messageBytes = messageBytes
        self.framesSent = framesSent; self.framesLost = framesLost; self.framesResent = framesResent
        self.ackFramesSent = ackFramesSent; self.ackFramesLost = ackFramesLost; self.transmissions = transmissions
        self.timeouts = timeouts; self.audioSeconds = audioSeconds
        self.goodput = audioSeconds > 0 ? Double(messageBytes) / audioSeconds : 0
        self.savedFiles = savedFiles; self.delivered = delivered
    }
}

public enum AcousticLinkError: Error, Sendable, CustomStringConvertible {
    /// Nothing (or not all) got through within `maxAudioSeconds`.
    case gaveUp(LinkTransferReport, reason: String)
    case configuration(String)

    public var description: String {
        switch self {
        case let .gaveUp(r, reason):
            "link gave up on the \(r.direction) after \(String(format: "%.1f", r.audioSeconds)) s of audio: \(reason)"
        case .configuration(let s): "link configuration: \(s)"
        }
    }
}

/// Two stations and the channel between them. One message crosses at a time (the audio
/// medium is shared); `carry` is safe to call from several threads and serialises them.
public final class AcousticLink: @unchecked Sendable {
    public let configuration: AcousticLinkConfiguration
    private let lock = NSLock()

    public init(_ configuration: AcousticLinkConfiguration) throws(AcousticLinkError) {
        guard (64...1460).contains(configuration.mss) else { throw .configuration("MSS \(configuration.mss) outside 64…1460") }
        guard configuration.window >= 1 else { throw .configuration("window must be at least 1") }
        self.configuration = configuration
    }

    /// Takes `message` across: down the stack at the sending station, through the channel, up
    /// the stack at the receiving one, acknowledging and resending until it is whole.
    /// - Returns: the bytes the far side's stack delivered, and what it cost.
    public func carry(_ message: [UInt8], direction: LinkDirection,
                      exchange: Int) throws(AcousticLinkError) -> (delivered: [UInt8], report: LinkTransferReport) {
        lock.lock(); defer { lock.unlock() }
        // Placeholder until the ARQ engine lands: a clean crossing.
        return (message, LinkTransferReport(exchange: exchange, direction: direction, messageBytes: message.count,
                                            delivered: true))
    }
}
