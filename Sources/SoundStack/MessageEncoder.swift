import AudioIO
import Foundation
import L1Physical
import L2DataLink

/// How `soundstack encode` frames a message: in Ethernet II frames (the default) or as bare
/// physical frames.
public enum MessageFraming: Sendable, Equatable {
    /// Ethernet II frames from and to `endpoint`, at most `payloadBytes` of the message in each.
    case ethernet(LinkEndpoint, payloadBytes: Int = 1500)
    /// Bare physical frames of at most `frameSize` bytes, each with its own CRC-32.
    case raw(frameSize: Int = 2048)
}

/// What an encode wrote.
public struct EncodeSummary: Sendable, CustomStringConvertible {
    /// Frames, symbols and samples written.
    public var transmission: TransmitSummary
    /// Bytes of the message.
    public var messageBytes: Int
    /// Whether payloads were whitened.
    public var whitened: Bool
    /// The layer-1 settings used.
    public var physical: PhysicalConfig
    /// The framing used.
    public var framing: MessageFraming

    /// "1 frame, 22 bytes, Ethernet II … > … type 0x88b5 (Local Experimental 1), bell202 NRZ-L whitened, 0.76 s at 48000 Hz".
    public var description: String {
        var link = ""
        if case .ethernet(let e, _) = framing {
            link = "Ethernet II \(e.source) > \(e.destination) type \(e.etherType), "
        }
        let t = transmission
        return "\(t.frames) frame\(t.frames == 1 ? "" : "s"), \(messageBytes) bytes, " + link
            + "\(physical.mode.name) \(physical.lineCode)\(whitened ? " whitened" : "")"
            + (physical.fec == .none ? ", " : ", FEC \(physical.fec.name), ")
            + String(format: "%.2f s at %d Hz", t.seconds, physical.sampleRate)
    }
}

/// The transmit path of `soundstack encode` as one call: a message in, an audio file out.
///
///     let summary = try MessageEncoder.encode(Array("hi".utf8), physical: PhysicalConfig(mode: .bell202),
///                                             framing: .ethernet(LinkEndpoint(source: LinkEndpoint.thisMachine)),
///                                             to: "hi.wav")
public enum MessageEncoder {
    /// Encodes `message` into the audio file at `path` ('-' for standard output).
    /// - Parameters:
    ///   - message: The bytes to send.
    ///   - physical: Layer 1: mode, line code, sample rate, amplitude, silences.
    ///   - framing: Ethernet II frames or bare physical frames.
    ///   - path: The audio file to write ('-' for standard output).
    ///   - encoding: Sample encoding (nil: the container's usual one, 16-bit PCM for WAV).
    /// - Throws: `PhysicalLayerError` for settings the mode cannot carry, `AudioIOError` for the file.
    /// - Complexity: O(*n*) in the samples written; constant memory per frame.
    public static func encode(
        _ message: [UInt8], physical: PhysicalConfig, framing: MessageFraming,
        to path: String, encoding: AudioEncoding? = nil
    ) throws -> EncodeSummary {
        var writer = try AudioFileWriter(path: path, sampleRate: physical.sampleRate, channels: 1, encoding: encoding)
        let summary: TransmitSummary
        let whitened: Bool
        switch framing {
        case .raw(let frameSize):
            let tx = try PhysicalTransmitter(physical)
            whitened = tx.scrambles
            summary = try tx.transmit(PhysicalTransmitter.split(message, frameSize: frameSize)) { try writer.write($0) }
        case .ethernet(let endpoint, let payloadBytes):
            let tx = try LinkTransmitter(physical: physical, endpoint: endpoint, payloadBytes: payloadBytes)
            whitened = tx.physical.scrambles
            summary = try tx.transmit(message: message) { try writer.write($0) }
        }
        try writer.close()
        return EncodeSummary(
            transmission: summary, messageBytes: message.count, whitened: whitened,
            physical: physical, framing: framing)
    }
}
