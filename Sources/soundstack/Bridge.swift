import ARQLink
import ArgumentParser
import Bridge
import ChannelSimulator
import Dispatch
import Foundation
import L1Physical
import L7Application
import SoundStack

extension SoundStackCommand {
    struct BridgeCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bridge",
            abstract: "An HTTP proxy whose requests and responses cross the acoustic link.",
            usage: "soundstack bridge [<options>]",
            discussion: """
                A real client sends a request to the bridge; the bridge takes it down the stack to audio, through \
                the channel simulator and up the stack at the origin's station, which sends it to the real origin \
                server. The response comes back the same way. Each exchange is shown on stderr: request line and \
                status, frames sent / lost / resent each way, seconds of audio, goodput in bytes per second of \
                audio, and the result.

                Use it as a proxy (curl -x), or give --origin and send origin-form requests to it. The first line \
                on stdout is "listening on http://HOST:PORT" (with --listen …:0, the port picked). It runs until \
                SIGINT or SIGTERM.

                Only the --origin and the --allow-origin origins are fetched: a request for any other is answered \
                403 before anything is sent. On an address other than loopback (127.0.0.1, ::1), the bridge does \
                not start without --allow-origin.

                A client has --header-timeout seconds, plus one per 1000 bytes, to send each whole request (else \
                408 and the connection closes); at most --max-connections clients are served at once (the next \
                gets 503). A request with more than --max-header-fields fields gets 431. Exchanges run side by side: \
                a slow origin or a long upload never holds up a short request (unless --one-at-a-time).

                Errors come back as HTTP: 403 for an origin not allowed and 413 for a body over --max-body (the \
                link is not touched), 502 when the origin cannot be reached, 504 when it does not answer within \
                --origin-timeout or the link gives up after --link-budget seconds of audio, 400 when no origin is \
                known.

                Examples:
                  soundstack bridge --listen 127.0.0.1:8080 --allow-origin 127.0.0.1:9000
                  curl -x http://127.0.0.1:8080 http://127.0.0.1:9000/
                  soundstack bridge --channel "ebn0=12,drift=200ppm,seed=7" --save-audio out/
                  soundstack bridge --origin http://127.0.0.1:9000
                  curl http://127.0.0.1:8080/index.html
                """)

        @Option(
            help: ArgumentHelp(
                "local: both stations here, the simulator between them; client or origin: one station on --play/--record.",
                discussion: """
                    Two processes, one real audio server: the client takes requests on --listen and
                    sends them on --play, the origin hears them on --record, fetches them (only from
                    --origin and --allow-origin) and sends the response back. Half duplex, with
                    carrier sense; the ARQ timers run in real time. --channel adds its impairments
                    to each transmission before it is played.
                    """))
        var role: LiveRole = .local

        @Option(help: "With --role client|origin: the device to transmit on (a sink name, or default).")
        var play: String?

        @Option(help: "With --role client|origin: the device to hear on (a source, e.g. NAME.monitor, or default).")
        var record: String?

        @Option(help: "With --role client: seconds the far station may take to send a response back (0.001…86400).")
        var responseTimeout: Double = 120

        @Option(help: "Address to listen on, HOST:PORT (port 0 picks a free one).")
        var listen: String = "127.0.0.1:8080"

        @Option(help: "Origin for origin-form requests (GET /path), e.g. http://127.0.0.1:9000.")
        var origin: String?

        @Option(
            help: ArgumentHelp(
                "An origin the bridge may fetch from, HOST[:PORT] (repeatable).",
                discussion: "HOST alone means port 80. The --origin is always allowed."))
        var allowOrigin: [String] = []

        @Option(help: "Channel impairments, as for `soundstack channel --spec` (Eb/N0 per bit of the mode).")
        var channel: String?

        @Option(name: .shortAndLong, help: "Modulation mode (see `soundstack modes`).")
        var mode: Mode = .mfsk4_6000

        @Option(help: "TCP maximum segment size on the link, 64…1460 bytes.")
        var mss: Int = AcousticLinkConfiguration().mss

        @Option(help: "Segments in flight before the sender waits for an acknowledgement (1…64).")
        var window: Int = AcousticLinkConfiguration().window

        @Option(help: "Forward error correction on the link: auto (picked from the Eb/N0 measured) or one scheme.")
        var fec: LinkFECChoice = .auto

        @Option(help: "Keep every transmission as a numbered WAV with a JSON sidecar in this folder.")
        var saveAudio: String?

        @Option(
            help: ArgumentHelp(
                "Bytes --save-audio may fill (suffix k or M); then it stops saving.",
                valueName: "bytes"))
        var saveAudioQuota: String = "100M"

        @Option(
            help: ArgumentHelp(
                "Largest request or response body, in bytes (suffix k or M for KiB, MiB).",
                discussion: """
                    Default: what crosses in half of --link-budget at the
                    link's clean-channel goodput: goodput × link-budget / 2,
                    in KiB, 16 KiB…10 MiB. goodput = window × MSS / round,
                    round = the window's frames back to back, the ACK, the
                    silences: about 1140 B/s for mfsk4-6000, MSS 512,
                    window 16, so 334 KiB with --link-budget 600.
                    """,
                valueName: "bytes"))
        var maxBody: String?

        @Option(help: "Seconds the origin has to answer before the client gets 504 (0.001…86400).")
        var originTimeout: Double = 30

        @Option(help: "Seconds of audio the link may spend on one message before it gives up (504); 0.001…86400.")
        var linkBudget: Double = 600

        @Option(
            help: ArgumentHelp(
                "Seconds a client has to send a request's headers (408); 0.001…86400.",
                discussion: "The whole request must be in within this plus one second per 1000 bytes."))
        var headerTimeout: Double = 30

        @Option(help: "Client connections at once, 1…10000; more are answered 503 (Retry-After: 1).")
        var maxConnections: Int = 64

        @Option(help: "Header fields a request may have, 1…10000; more are answered 431.")
        var maxHeaderFields: Int = 100

        @Flag(
            help: ArgumentHelp(
                "Messages cross the link one at a time, in the order they came, as on one real medium.",
                discussion:
                    "By default they cross the simulated channel side by side (each transmission has its own seeded"
                    + " channel), so a long upload does not hold up a short request. With --save-audio they always"
                    + " queue."))
        var oneAtATime = false

        @Flag(help: "Also print each exchange as one JSON line on stdout.")
        var jsonLog = false

        @Flag(name: .shortAndLong, help: "Say nothing on stderr but errors.")
        var quiet = false

        func validate() throws {
            _ = try listenAddress()
            _ = try originURL()
            _ = try maxBodyBytes()
            _ = try saveAudioQuotaBytes()
            _ = try allowedOrigins()
            let (host, _) = try listenAddress()
            if !ListenAddress.isLoopback(host), allowOrigin.isEmpty {
                throw ValidationError(
                    "--listen \(listen) is reachable from other machines: name what it may fetch with --allow-origin"
                        + " HOST[:PORT] (or listen on 127.0.0.1)")
            }
            try require(mss, in: 64...1460, "--mss")
            try require(window, in: 1...64, "--window")
            try require(originTimeout, in: 0.001...86_400, "--origin-timeout")
            try require(linkBudget, in: 0.001...86_400, "--link-budget")
            try require(headerTimeout, in: 0.001...86_400, "--header-timeout")
            try require(maxConnections, in: 1...10_000, "--max-connections")
            try require(maxHeaderFields, in: 1...10_000, "--max-header-fields")
            if let channel {
                do { _ = try ChannelSpec.parse(channel) } catch { throw ValidationError("--channel: \(error)") }
            }
            try require(responseTimeout, in: 0.001...86_400, "--response-timeout")
            if role == .local {
                if play != nil || record != nil {
                    throw ValidationError("--play and --record are for --role client or origin (two processes)")
                }
            } else {
                guard play != nil, record != nil else {
                    throw ValidationError("--role \(role.rawValue) needs --play DEVICE and --record DEVICE")
                }
                if saveAudio != nil { throw ValidationError("--save-audio is for --role local") }
            }
            if role == .origin, origin == nil, allowOrigin.isEmpty {
                throw ValidationError("--role origin fetches only what --origin or --allow-origin names: give one")
            }
        }

        /// `--listen` as host and port.
        func listenAddress() throws -> (host: String, port: Int) {
            try listenHostAndPort(listen, example: "127.0.0.1:8080")
        }

        func originURL() throws -> HTTPURL? {
            guard let origin else { return nil }
            do {
                let url = try HTTPURL(origin)
                guard url.target == "/" else {
                    throw ValidationError("--origin is a server, http://HOST[:PORT], without a path (got '\(origin)')")
                }
                return url
            } catch let error as ValidationError {
                throw error
            } catch {
                throw ValidationError("--origin: \(error)")
            }
        }

        /// `--allow-origin` as origins.
        func allowedOrigins() throws -> Set<OriginPolicy.Origin> {
            do throws(OriginPolicyError) {
                return try OriginPolicy(allowing: allowOrigin).allowed
            } catch {
                throw ValidationError("--allow-origin: \(error)")
            }
        }

        /// `--max-body`, or the default that fits the link budget.
        func maxBodyBytes() throws -> Int {
            guard let maxBody else {
                let link = AcousticLinkConfiguration(
                    physical: AcousticLinkConfiguration.physical(mode: mode), mss: mss,
                    window: window, maxAudioSeconds: linkBudget)
                return BridgeConfiguration.defaultMaxBodyBytes(
                    goodput: link.estimatedGoodput,
                    linkBudgetSeconds: linkBudget)
            }
            return try Self.size(maxBody, option: "--max-body")
        }

        func saveAudioQuotaBytes() throws -> Int { try Self.size(saveAudioQuota, option: "--save-audio-quota") }

        /// A size in bytes, 1 to 1G, with an optional suffix k (KiB) or M (MiB).
        static func size(_ value: String, option: String) throws -> Int {
            let text = value.trimmingCharacters(in: .whitespaces)
            var digits = Substring(text)
            var scale = 1
            if let last = text.last?.lowercased() {
                if last == "k" { scale = 1024; digits = digits.dropLast() }
                if last == "m" { scale = 1 << 20; digits = digits.dropLast() }
            }
            guard let value = Int(digits), value > 0, value <= (1 << 30) / scale else {
                throw ValidationError("\(option) wants a size in bytes, 1 to 1G (e.g. 65536, 64k, 10M; got '\(value)')")
            }
            return value * scale
        }

        func linkConfiguration() throws -> AcousticLinkConfiguration {
            let m = mode
            let spec = try channel.map { try ChannelSpec.parse($0).withDefaultBitRate(m.bitRate) }
            var saveURL: URL?
            if let saveAudio {
                try FileManager.default.createDirectory(atPath: saveAudio, withIntermediateDirectories: true)
                saveURL = URL(fileURLWithPath: saveAudio, isDirectory: true)
            }
            var link = AcousticLinkConfiguration(
                physical: AcousticLinkConfiguration.physical(mode: m), channel: spec,
                mss: mss, window: window, maxAudioSeconds: linkBudget, saveAudio: saveURL)
            link.saveAudioQuotaBytes = try saveAudioQuotaBytes()
            link.oneMessageAtATime = oneAtATime
            link.fec = fec.linkFEC
            link.saveAudioNotice = { line in note("soundstack bridge: \(line)") }
            return link
        }

        func run() throws {
            let (host, port) = try listenAddress()
            var settings = BridgeConfiguration(
                host: host, port: port, origin: try originURL(),
                allowedOrigins: try allowedOrigins(),
                maxBodyBytes: try maxBodyBytes(),
                originTimeoutSeconds: originTimeout)
            settings.connectTimeoutSeconds = min(5, originTimeout)
            settings.headerTimeoutSeconds = headerTimeout
            settings.maxConnections = maxConnections
            settings.maxHeaderFields = maxHeaderFields
            let configuration = settings
            if role == .origin { return try runOrigin(configuration) }
            let link: AcousticLink
            do {
                link = try AcousticLink(try linkConfiguration())
            } catch {
                throw ValidationError("\(error)")
            }
            let quiet = self.quiet
            let console: @Sendable (String) -> Void = { text in if !quiet { note(text) } }
            let printJSON: @Sendable (String) -> Void = { line in BridgeCLIOutput.line(line) }
            let json = jsonLog ? printJSON : nil
            let log = BridgeLog(console: console, json: json)
            let station = try role == .client ? liveStation(link.configuration, side: .client) : nil
            defer { station?.stop() }
            let remote = station.map { LiveClientLink(station: $0, responseTimeout: responseTimeout) }
            let banner =
                "soundstack bridge: mode \(mode.name), channel \(channel ?? "clean"), MSS \(mss), window \(window), "
                + "origin \(origin ?? "from each request"); Ctrl-C stops"
            try serveUntilSignal(
                host: host, port: port,
                start: { try await BridgeServer.start(configuration, carrier: link, log: log, remote: remote) },
                started: { server in
                    BridgeCLIOutput.line("listening on http://\(bracketed(host)):\(server.port)")
                    if !quiet { note(banner) }
                },
                shutdown: { await $0.shutdown() })
            if !quiet { note("soundstack bridge: stopped") }
        }
    }
}

extension SoundStackCommand.BridgeCommand {
    /// This process's station on the real devices, started.
    func liveStation(_ link: AcousticLinkConfiguration, side: LinkSide) throws -> LiveLinkStation {
        var configuration = link
        configuration.retransmissionTimeout = max(configuration.retransmissionTimeout, 1)
        let port: DeviceAudioPort
        do {
            port = try DeviceAudioPort(
                play: play ?? "default", record: record ?? "default", sampleRate: configuration.physical.sampleRate,
                streamName: "soundstack bridge \(side.rawValue)")
        } catch { throw BridgeCLIError(message: "soundstack bridge: \(error)") }
        let station: LiveLinkStation
        do { station = try LiveLinkStation(configuration: configuration, side: side, port: port) } catch {
            throw ValidationError("\(error)")
        }
        station.start()
        return station
    }

    /// `--role origin`: hears requests on --record, answers them on --play, until SIGINT or SIGTERM.
    func runOrigin(_ configuration: BridgeConfiguration) throws {
        let link: AcousticLinkConfiguration
        do { link = try linkConfiguration() } catch { throw ValidationError("\(error)") }
        let station = try liveStation(link, side: .origin)
        defer { station.stop() }
        let quiet = self.quiet
        let console: @Sendable (String) -> Void = { text in if !quiet { note(text) } }
        let printJSON: @Sendable (String) -> Void = { line in BridgeCLIOutput.line(line) }
        let service = LiveOriginService(
            station: station, configuration: configuration,
            log: BridgeLog(console: console, json: jsonLog ? printJSON : nil))
        let stop = BridgeStopFlag()
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.set() }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        if !quiet {
            note(
                "soundstack bridge: origin station, mode \(mode.name), playing on \(play ?? "default"), hearing "
                    + "\(record ?? "default"); Ctrl-C stops")
        }
        BridgeCLIOutput.line("origin station ready")
        let outcome = ServerStartOutcome<BridgeServer>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { try await service.run(until: { stop.isSet }) } catch {
                outcome.failure = "soundstack bridge: \(error)"
            }
            await service.shutdown()
            done.signal()
        }
        done.wait()
        if let failure = outcome.failure { throw BridgeCLIError(message: failure) }
        if !quiet { note("soundstack bridge: stopped") }
    }
}

/// Set once, from a signal handler; read by the serving loop.
final class BridgeStopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// Starts a server (the bridge, the lab) in the background and serves until SIGINT or SIGTERM,
/// then shuts it down and returns. `started` announces the running server; a server that cannot
/// start is thrown as "cannot listen on HOST:PORT: …".
func serveUntilSignal<Server: Sendable>(
    host: String, port: Int,
    start: @escaping @Sendable () async throws -> Server,
    started: @escaping @Sendable (Server) -> Void,
    shutdown: @escaping @Sendable (Server) async -> Void
) throws {
    let outcome = ServerStartOutcome<Server>()
    let done = DispatchSemaphore(value: 0)
    signal(SIGINT, SIG_IGN)
    signal(SIGTERM, SIG_IGN)
    Task.detached {
        do {
            let server = try await start()
            started(server)
            outcome.server = server
        } catch {
            outcome.failure = "cannot listen on \(host):\(port): \(error)"
            done.signal()
        }
    }
    let sources = [SIGINT, SIGTERM].map { number in
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            Task.detached {
                if let server = outcome.server { await shutdown(server) }
                done.signal()
            }
        }
        source.resume()
        return source
    }
    done.wait()
    sources.forEach { $0.cancel() }
    if let failure = outcome.failure { throw BridgeCLIError(message: failure) }
}

/// A host as it goes in a URL: an IPv6 address in brackets.
func bracketed(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }

/// What the background start of a server (the bridge, the lab) left for its command.
final class ServerStartOutcome<Server: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var _server: Server?
    private var _failure: String?
    var server: Server? {
        get { lock.withLock { _server } }
        set { lock.withLock { _server = newValue } }
    }
    var failure: String? {
        get { lock.withLock { _failure } }
        set { lock.withLock { _failure = newValue } }
    }
}

/// `--listen HOST:PORT` split (brackets around an IPv6 host dropped); `example` is shown in the error.
func listenHostAndPort(_ listen: String, example: String) throws -> (host: String, port: Int) {
    guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
        (0...65535).contains(port), colon > listen.startIndex
    else {
        throw ValidationError("--listen wants HOST:PORT, e.g. \(example) (got '\(listen)')")
    }
    var host = String(listen[..<colon])
    if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    return (host, port)
}

/// One error line and exit code 1.
struct BridgeCLIError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// stdout, a whole line at a time, flushed (a test or a script reads it as it comes).
enum BridgeCLIOutput {
    private static let lock = NSLock()
    static func line(_ text: String) {
        lock.withLock {
            FileHandle.standardOutput.write(Data((text + "\n").utf8))
        }
    }
}
