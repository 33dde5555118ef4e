import AudioIO
import Dispatch
import Foundation
import Framings
import L1Physical

/// The receive side: a thread reads the input audio (a file, or stdin as it arrives) block by
/// block through a ``ProtocolReceiver`` for AX.25 and sends every frame it decodes to every host
/// as a KISS data frame on port 0.
///
/// The end of the input ends only this thread (logged): the TNC goes on serving its hosts.
final class TNCReceiver: @unchecked Sendable {
    /// Samples handed to the receiver at a time: frames reach the hosts within ~0.1 s of audio.
    static let blockSize = 4096
    let path: String
    private let format: RawFormat?
    private let carrier: CarrierDetect?
    private let hub: KISSHub
    private let log: TNCLog
    private let options: ProtocolReceiverOptions
    private let waitForClients: Int
    private let lock = NSLock()
    private var stopping = false
    private var ended = false
    private var received = 0

    init(
        path: String, format: RawFormat?, hub: KISSHub, log: TNCLog, options: ProtocolReceiverOptions,
        waitForClients: Int, carrier: CarrierDetect? = nil
    ) {
        self.path = path
        self.format = format
        self.carrier = carrier
        self.hub = hub
        self.log = log
        self.options = options
        self.waitForClients = waitForClients
    }

    /// Starts reading. The thread is not waited for at the end (stdin may never close).
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "soundstack tnc receive"
        thread.start()
    }

    /// Asks the thread to stop after the block it is reading.
    func stop() { lock.withLock { stopping = true } }

    private var isStopping: Bool { lock.withLock { stopping } }

    /// Whether the end of the input was reached.
    var finished: Bool { lock.withLock { ended } }

    /// Frames decoded and sent to the hosts so far.
    var framesReceived: Int { lock.withLock { received } }

    private struct Stopped: Error {}

    private func deliver(_ messages: [ProtocolMessage]) {
        for message in messages where message.proto == .ax25 {
            lock.withLock { received += 1 }
            log("rx \(String(format: "%.2f", message.time)) s: \(message.text)")
            hub.broadcast(KISSFrame(port: 0, command: .data, payload: message.bytes))
        }
    }

    private func run() {
        hub.waitForClients(waitForClients) { [self] in isStopping }
        defer { lock.withLock { ended = true } }
        do {
            var reader = try AudioFileReader(path: path, raw: format)
            var receiver = ProtocolReceiver(
                protocols: [.ax25], sampleRate: Double(reader.sampleRate), options: options)
            carrier?.start(sampleRate: Double(reader.sampleRate))
            try reader.forEachBlock(size: Self.blockSize) { block in
                if isStopping { throw Stopped() }
                carrier?.analyse(block)
                deliver(receiver.process(block))
            }
            deliver(receiver.finish())
            let seconds = Double(reader.framesDelivered) / Double(reader.sampleRate)
            log(
                "\(path): end of the input audio (\(String(format: "%.1f", seconds)) s, \(framesReceived) frame(s)); "
                    + "still serving clients")
        } catch is Stopped {
            return
        } catch let error as AudioIOError {
            // A WAV file with a streaming header (data length unknown) is read as far as it goes.
            if case .truncated = error, path != "-", let (samples, rate) = StreamingWAV.read(path: path) {
                var receiver = ProtocolReceiver(protocols: [.ax25], sampleRate: Double(rate), options: options)
                deliver(receiver.process(samples) + receiver.finish())
                log("\(path): end of the input audio (\(framesReceived) frame(s)); still serving clients")
            } else {
                log("\(path): \(error); no more frames will be received, still serving clients")
            }
        } catch {
            log("\(path): \(error); no more frames will be received, still serving clients")
        }
    }
}
