import AudioIO
import L1Physical
import L2DataLink
import L3Network
import L4Transport
import L7Application

/// The front door: a message down the layers into an audio file, and a recording back up.
///
///     import SoundStack
///
///     let modem = Modem(mode: .bell202)
///     try modem.encode("Hello, layer 1!", to: "hello.wav")
///     let received = try modem.decode("hello.wav")
///     print(received.text)               // Hello, layer 1!
///     print(received.frames.summary)     // 1 frame: 1 ok
///
/// An HTTP request goes through all seven layers (HTTP, presentation, session, TCP, IPv4,
/// Ethernet, FSK); the receiver is the station with the request's IPv4 address:
///
///     let request = try HTTPRequest(.post, url: "http://10.0.0.2/api", json: #"{"on":true}"#)
///     try modem.send(request, to: "request.wav")
///     let got = try modem.receive("request.wav", as: IPv4Address("10.0.0.2"))
///     print(got.messages.count)          // 1: the request, exactly as sent
///
/// What `soundstack encode` and `soundstack decode` do is this, with their options.
public struct Modem: Sendable {
    /// Layer 1: mode, line code, sample rate, amplitude, silences.
    public var physical: PhysicalConfig
    /// Layer 2 for `encode(_:to:)`: who sends to whom (default: this machine to broadcast).
    public var endpoint: LinkEndpoint

    /// - Parameters:
    ///   - mode: The modulation (`soundstack modes` lists them); FSK at 1200 Bd by default.
    ///   - sampleRate: Audio sample rate in Hz.
    public init(mode: Mode = .fsk1200, sampleRate: Int = 48000) {
        physical = PhysicalConfig(mode: mode, sampleRate: sampleRate)
        endpoint = LinkEndpoint(source: LinkEndpoint.thisMachine)
    }

    /// Writes `message` as Ethernet II frames to an audio file (.wav, .flac, .ogg, .aiff, .au).
    /// - Returns: What was written.
    @discardableResult
    public func encode(_ message: [UInt8], to path: String) throws -> EncodeSummary {
        try MessageEncoder.encode(message, physical: physical, framing: .ethernet(endpoint), to: path)
    }

    /// Writes `text` (UTF-8) as Ethernet II frames to an audio file.
    @discardableResult
    public func encode(_ text: String, to path: String) throws -> EncodeSummary {
        try encode(Array(text.utf8), to: path)
    }

    /// Decodes recordings as this machine's station, listening for every mode.
    /// - Returns: The bytes delivered and a verdict on every frame; damaged frames are reported,
    ///   never delivered.
    public func decode(_ paths: String...) throws -> Received {
        try receive(paths, station: EthernetReceiver(address: LinkEndpoint.thisMachine))
    }

    /// Sends an HTTP request down all seven layers to the host its `Host` field names (an IPv4
    /// address, with an optional port; 80 by default), from `source`.
    /// - Returns: What was written.
    /// - Throws: ``ModemError/noIPv4Host(_:)`` when the request's host is not an IPv4 address.
    @discardableResult
    public func send(
        _ request: HTTPRequest, from source: IPv4Address = IPv4Address(10, 0, 0, 1),
        to path: String
    ) throws -> TransmitSummary {
        let host = request.headers["Host"] ?? ""
        let url = try HTTPURL("http://\(host)/")
        let destination: IPv4Address
        do { destination = try IPv4Address(url.host) } catch { throw ModemError.noIPv4Host(host) }
        let ends = StackEndpoints(
            sourceMAC: StackEndpoints.defaultMAC(for: source),
            destinationMAC: StackEndpoints.defaultMAC(for: destination),
            sourceIP: source, destinationIP: destination, sourcePort: 49152,
            destinationPort: UInt16(clamping: url.port))
        let tx = StackTransmitter(endpoints: ends)
        let plan = try tx.plan(message: request.serialize())
        var writer = try AudioFileWriter(path: path, sampleRate: physical.sampleRate, channels: 1, encoding: nil)
        let sent = try tx.transmit(plan.frames, physical: physical) { try writer.write($0) }
        try writer.close()
        return sent.summary
    }

    /// Decodes recordings as the station with IPv4 address `ip`, taking its frames up the stack.
    public func receive(_ paths: String..., as ip: IPv4Address) throws -> Received {
        try receive(paths, station: EthernetReceiver(address: StackEndpoints.defaultMAC(for: ip)))
    }

    private func receive(_ paths: [String], station: EthernetReceiver) throws -> Received {
        var bytes: [UInt8] = []
        var reports: [LinkFrameReport] = []
        let outcome = try RecordingDecoder(DecodeConfiguration(station: station)).decode(paths) { event in
            switch event {
            case .frame(let f, _): reports.append(f)
            case .delivered(let b): bytes += b
            case .info, .warning, .damaged: break
            }
        }
        return Received(bytes: bytes, reports: reports, outcome: outcome)
    }
}

/// What came back up from a recording.
public struct Received: Sendable {
    /// The bytes delivered by layer 2 (messages of ours, raw frames), in order.
    public var bytes: [UInt8]
    /// Every frame found, good or bad.
    public var reports: [LinkFrameReport]
    /// Counts, the mode heard, and what went up the stack.
    public var outcome: DecodeOutcome

    /// ``bytes`` as UTF-8 text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
    /// Frames found, by verdict.
    public var frames: FrameTally { outcome.frames }
    /// HTTP messages that every layer accepted, exactly as sent.
    public var messages: [[UInt8]] { outcome.connections.compactMap(\.message) }
}

/// Why the front door could not send.
public enum ModemError: Error, Sendable, CustomStringConvertible {
    /// The request's host is not an IPv4 address (there is no DNS over audio).
    case noIPv4Host(String)

    public var description: String {
        switch self {
        case .noIPv4Host(let h): "the request's host must be an IPv4 address (no DNS over audio): '\(h)'"
        }
    }
}
