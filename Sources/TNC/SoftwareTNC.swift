import AudioIO
import Dispatch
import Foundation
import Framings
import L1Physical
import SignalBasics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What ``SoftwareTNC`` serves and where its audio comes from and goes.
public struct TNCConfiguration: Sendable {
    /// Address the KISS TCP server listens on (loopback by default).
    public var host = "127.0.0.1"
    /// KISS TCP port (8001, as Dire Wolf); 0 picks a free one (see ``SoftwareTNC/kissPort``).
    public var kissPort = 8001
    /// Where to make a symbolic link to a KISS pseudo-terminal; `nil` for none.
    public var ptyLink: String?
    /// Input audio to decode: a file, or `"-"` for stdin (WAV or any format libsndfile reads
    /// from a pipe); `nil` for none.
    public var record: String?
    /// Output audio for the frames the hosts send: a file (written to a temporary and renamed
    /// into place at ``SoftwareTNC/stop()``) or `"-"` for stdout; `nil` to drop them (logged).
    public var play: String?
    /// Where the frames the hosts send are played instead of a file: a sound card (``play``
    /// then only names it in the log).
    public var playOutput: (any TNCAudioOutput)?
    /// The format of a headerless ``record`` (a sound card's capture, poured into a pipe);
    /// `nil` for audio with a header.
    public var recordFormat: RawFormat?
    /// Sample rate of the output audio.
    public var sampleRate = 48000
    /// TCP clients at once; one more is refused.
    public var maxClients = 16
    /// Bytes waiting for one host before further received frames are dropped for it.
    public var clientBufferLimit = 1 << 20
    /// Start reading the input audio only once this many TCP clients are connected.
    public var waitForClients = 0
    /// Tones and bit rate on the air (Bell 202, 1200 Bd).
    public var signalling: FSKSignalling = .bell202
    /// The AX.25 modem on both sides (300/1200 Bd AFSK, 9600 Bd G3RUH); nil for AFSK on ``signalling``.
    public var modem: AX25Modem?
    /// The AX.25 receiver's options.
    public var receiverOptions = ProtocolReceiverOptions()
    /// Seed of the p-persistence draws; `nil` for the system's random numbers.
    public var seed: UInt64?

    /// The defaults: KISS on 127.0.0.1:8001, no pty, no audio.
    public init() {}
}

/// A software KISS TNC: hosts connect by TCP or through a pseudo-terminal; frames decoded from
/// the input audio go to every host, and AX.25 frames the hosts send are modulated into the
/// output audio with their port's TXDELAY, TXTAIL and channel access.
///
/// ```
///  input audio ─▶ ProtocolReceiver (AX.25) ─▶ KISS data, port 0 ─▶ every host (TCP, pty)
///  host ─▶ KISSDecoder ─┬─ data ─▶ AX25Frame check ─▶ queue ─▶ ChannelAccess ─▶ flags·frame·flags ─▶ output audio
///                       ├─ TXDELAY, P, SLOTTIME, TXTAIL, FULLDUPLEX ─▶ that port's parameters
///                       └─ SETHARDWARE, exit KISS ─▶ ignored (logged)
/// ```
///
///     var configuration = TNCConfiguration()
///     configuration.kissPort = 0
///     configuration.record = "aprs.wav"
///     configuration.play = "out.wav"
///     let tnc = try SoftwareTNC.start(configuration, log: TNCLog { print($0) })
///     // kissutil -p \(tnc.kissPort) …
///     try tnc.stop()                      // out.wav is complete now
public final class SoftwareTNC: Sendable {
    /// The KISS TCP port listened on.
    public let kissPort: Int
    /// The pseudo-terminal's slave device (the ``TNCConfiguration/ptyLink`` points to it).
    public let ptyDevice: String?
    private let server: KISSServer
    let hub: KISSHub
    private let pty: PseudoTerminal?
    private let receiver: TNCReceiver?
    private let transmitter: TNCTransmitter?
    private let parameterStore: KISSParameterStore
    private let stopped = StopLatch()

    private init(
        kissPort: Int, server: KISSServer, hub: KISSHub, pty: PseudoTerminal?, receiver: TNCReceiver?,
        transmitter: TNCTransmitter?, parameters: KISSParameterStore
    ) {
        parameterStore = parameters
        self.kissPort = kissPort
        self.server = server
        self.hub = hub
        self.pty = pty
        ptyDevice = pty?.slavePath
        self.receiver = receiver
        self.transmitter = transmitter
    }

    /// Opens the audio, listens, makes the pty, and starts receiving and transmitting.
    ///
    /// - Parameters:
    ///   - configuration: What to serve and where the audio is.
    ///   - log: Where log lines go (from several threads).
    /// - Throws: ``TNCError`` when the input cannot be opened, the output created, the port
    ///   listened on or the pty made; nothing is left running then.
    public static func start(_ configuration: TNCConfiguration, log: TNCLog = .silent) throws(TNCError)
        -> SoftwareTNC
    {
        if let record = configuration.record, record != "-", configuration.recordFormat == nil {
            // Refuse a missing or unreadable input now; stdin is opened by the receiver.
            do { _ = try AudioFileReader(path: record) } catch {
                // A streaming header on a regular file is read as far as it goes (as decode does).
                let streaming = error.isTruncation && StreamingWAV.read(path: record) != nil
                if !streaming { throw .cannotRecord(path: record, reason: "\(error)") }
            }
        }
        var generator: any RandomNumberGenerator = SystemRandomNumberGenerator()
        if let seed = configuration.seed { generator = SeededGenerator(seed: seed) }
        let parameters = KISSParameterStore()
        // What the receiver hears tells the transmitter's channel access whether to wait.
        let carrier = configuration.record == nil ? nil : CarrierDetect(modem: Self.modem(configuration))
        let transmitter = try configuration.play.map { path throws(TNCError) in
            try TNCTransmitter(
                path: path, device: configuration.playOutput, sampleRate: configuration.sampleRate,
                modem: Self.modem(configuration),
                parameters: parameters, log: log, generator: generator, channelBusy: { carrier?.isBusy ?? false })
        }
        let handler = HostFrameHandler(transmitter: transmitter, parameters: parameters, log: log)
        let hub = KISSHub(maximumClients: configuration.maxClients, log: log) { frame, peer in
            handler.handle(frame, from: peer)
        }
        let server: KISSServer
        do {
            server = try KISSServer.start(
                host: configuration.host, port: configuration.kissPort, hub: hub,
                clientBufferLimit: configuration.clientBufferLimit)
        } catch {
            try? transmitter?.finish()
            throw error
        }
        var pty: PseudoTerminal?
        if let link = configuration.ptyLink {
            do {
                let terminal = try PseudoTerminal(linkPath: link)
                _ = hub.add(terminal, counted: false)
                terminal.start(hub: hub)
                pty = terminal
            } catch {
                server.shutdown()
                try? transmitter?.finish()
                throw error
            }
        }
        let receiver = configuration.record.map {
            TNCReceiver(
                path: $0, format: configuration.recordFormat, hub: hub, log: log, options: Self.options(configuration),
                waitForClients: configuration.waitForClients, carrier: carrier)
        }
        transmitter?.start()
        receiver?.start()
        return SoftwareTNC(
            kissPort: server.port, server: server, hub: hub, pty: pty, receiver: receiver, transmitter: transmitter,
            parameters: parameters)
    }

    /// The modem on the air: the configured one, else AFSK on the signalling.
    static func modem(_ configuration: TNCConfiguration) -> AX25Modem {
        configuration.modem ?? .afsk(configuration.signalling)
    }

    static func options(_ configuration: TNCConfiguration) -> ProtocolReceiverOptions {
        var options = configuration.receiverOptions
        options.signalling = options.signalling ?? configuration.signalling
        if let modem = configuration.modem, options.ax25Modem == nil { options.select(modem) }
        return options
    }

    /// TCP clients connected now.
    public var clientCount: Int { hub.clientCount }
    /// Whether the input audio has been read to its end (or failed).
    public var inputFinished: Bool { receiver?.finished ?? true }
    /// Frames decoded from the input audio and sent to the hosts.
    public var framesReceived: Int { receiver?.framesReceived ?? 0 }
    /// Frames the hosts sent that were written to the output audio.
    public var framesSent: Int { transmitter?.framesSent ?? 0 }

    /// The parameters of `port` as the hosts have set them.
    public func parameters(port: UInt8) -> KISSPortParameters {
        parameterStore[port]
    }

    /// Stops: no more input is read, the hosts are disconnected, the pty link is removed, the
    /// frames still queued are sent and the output is finished (a file renamed into place).
    /// Stopping twice does nothing.
    /// - Throws: ``TNCError/cannotPlay(path:reason:)`` when the output could not be finished.
    public func stop() throws(TNCError) {
        guard stopped.set() else { return }
        receiver?.stop()
        server.shutdown()
        if let pty {
            hub.remove(pty)
            pty.close()
        }
        try transmitter?.finish()
    }

    /// Starts, runs until SIGINT, SIGTERM or SIGHUP, then stops properly: the one call of
    /// `soundstack tnc`.
    ///
    /// The three signals are taken from their handlers for the duration; SIGPIPE is ignored (a
    /// reader of stdout going away is a write error, not death).
    /// - Parameters:
    ///   - configuration: What to serve.
    ///   - log: Where log lines go.
    ///   - started: Called once listening, with the TNC (to say where it listens).
    /// - Throws: ``TNCError`` from ``start(_:log:)`` or ``stop()``.
    public static func runUntilSignalled(
        _ configuration: TNCConfiguration, log: TNCLog = .silent, started: (SoftwareTNC) -> Void = { _ in }
    ) throws(TNCError) {
        signal(SIGPIPE, SIG_IGN)
        let signalled = DispatchSemaphore(value: 0)
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                log("signal \(number): stopping")
                signalled.signal()
            }
            source.resume()
            sources.append(source)
        }
        defer { sources.forEach { $0.cancel() } }
        let tnc = try start(configuration, log: log)
        started(tnc)
        signalled.wait()
        try tnc.stop()
    }
}

/// What to do with each frame a host sends: data is checked as AX.25 and queued, parameters
/// are stored, the rest is logged.
struct HostFrameHandler: Sendable {
    let transmitter: TNCTransmitter?
    let parameters: KISSParameterStore
    let log: TNCLog

    func handle(_ frame: KISSFrame, from peer: String) {
        switch frame.command {
        case .data:
            guard frame.port == 0 else {
                log("\(peer): data frame for port \(frame.port) dropped: this TNC has port 0 only")
                return
            }
            let parsed: AX25Frame
            do { parsed = try AX25Frame(bytes: frame.payload) } catch {
                log("\(peer): data frame of \(frame.payload.count) bytes is not AX.25 (\(error)): dropped")
                return
            }
            guard let transmitter else {
                log("\(peer): no output audio (--play): not sent: \(parsed.tnc2)")
                return
            }
            log("tx: \(parsed.tnc2)")
            transmitter.enqueue(port: frame.port, bytes: frame.payload)
        case .txDelay, .persistence, .slotTime, .txTail, .fullDuplex:
            switch parameters.apply(frame) {
            case .set:
                log("\(peer): port \(frame.port) \(frame.command) \(frame.parameter ?? 0)")
            case .missingValue: log("\(peer): \(frame.command) without a value: ignored")
            case .notAParameter: break
            }
        case .setHardware:
            log("\(peer): SETHARDWARE (\(frame.payload.count) bytes) acknowledged and ignored")
        case .exitKISS:
            log("\(peer): exit KISS ignored (KISS over TCP and pty stays on)")
        case .other(let code):
            log("\(peer): unknown KISS command \(code) on port \(frame.port): ignored")
        }
    }
}

/// The parameters of ports 0…15, set by the hosts' commands, read by the transmitter.
final class KISSParameterStore: @unchecked Sendable {
    private let lock = NSLock()
    private var ports = [KISSPortParameters](repeating: KISSPortParameters(), count: 16)

    subscript(port: UInt8) -> KISSPortParameters { lock.withLock { ports[Int(port & 0x0F)] } }

    /// Applies a parameter command to its port.
    func apply(_ frame: KISSFrame) -> KISSPortParameters.Change {
        lock.withLock { ports[Int(frame.port & 0x0F)].apply(frame) }
    }
}

extension AudioIOError {
    /// The header promised more audio than the file holds.
    var isTruncation: Bool {
        if case .truncated = self { return true }
        return false
    }
}

/// Set once, by the first caller.
final class StopLatch: @unchecked Sendable {
    private let lock = NSLock()
    private var isSet = false

    /// True for the first call only.
    func set() -> Bool {
        lock.withLock {
            defer { isSet = true }
            return !isSet
        }
    }
}
