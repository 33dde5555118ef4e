import AudioIO
import Dispatch
import Foundation
import Framings
import L1Physical

/// The transmit side: frames from the hosts wait in a queue; a thread of its own takes each
/// through the port's channel access (``ChannelAccess``, on the real clock), renders it
/// (``TNCTransmission``) and appends it to the output audio, followed by a short silence.
///
/// The port's parameters are read at each attempt and at rendering: a command changes the
/// frames sent after it. ``finish()``
/// sends what is still queued at once (the medium is going away: no more waiting for slots),
/// then finishes the output: a WAV file is renamed into place, stdout gets its last samples.
final class TNCTransmitter: @unchecked Sendable {
    /// Silence after each transmission, seconds.
    static let gapSeconds = 0.2
    let path: String
    let sampleRate: Int
    let modem: AX25Modem
    private let log: TNCLog
    private let channelBusy: @Sendable () -> Bool
    private let condition = NSCondition()
    private var queue: [(port: UInt8, bytes: [UInt8])] = []
    private let parameters: KISSParameterStore
    private var stopping = false
    private var sent = 0
    private var generator: any RandomNumberGenerator
    private let output: any TNCAudioOutput
    private var failure: TNCError?
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)

    /// Opens the output: `device` when given (`path` then only names it), else the file or
    /// stdout at `path` (a file is written to a temporary beside it until ``finish()``).
    /// - Throws: ``TNCError/cannotPlay(path:reason:)``.
    init(
        path: String, device: (any TNCAudioOutput)? = nil, sampleRate: Int, modem: AX25Modem,
        parameters: KISSParameterStore, log: TNCLog, generator: any RandomNumberGenerator,
        channelBusy: @escaping @Sendable () -> Bool
    ) throws(TNCError) {
        self.path = path
        self.sampleRate = sampleRate
        self.modem = modem
        self.parameters = parameters
        self.log = log
        self.generator = generator
        self.channelBusy = channelBusy
        do {
            output = try device ?? FileOutput(path: path, sampleRate: sampleRate)
            try output.write([Float](repeating: 0, count: Int(Self.gapSeconds * Double(sampleRate))))
        } catch {
            throw .cannotPlay(path: path, reason: "\(error)")
        }
    }

    func start() {
        let thread = Thread { [self] in
            loop()
            done.signal()
        }
        thread.name = "soundstack tnc transmit"
        self.thread = thread
        thread.start()
    }

    /// Queues an AX.25 frame (already checked) for `port`.
    func enqueue(port: UInt8, bytes: [UInt8]) {
        condition.withLock {
            queue.append((port, bytes))
            condition.broadcast()
        }
    }

    /// Transmissions written so far.
    var framesSent: Int { condition.withLock { sent } }

    private static func clock() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    private func loop() {
        condition.lock()
        while true {
            while queue.isEmpty, !stopping { condition.wait() }
            guard let next = queue.first else { break }
            let port = next.port
            var access = ChannelAccess(parameters: parameters[port])
            while !stopping {
                access.parameters = parameters[port]
                let action = access.attempt(now: Self.clock(), channelBusy: channelBusy(), using: &generator)
                guard case .wait(let until) = action else { break }
                _ = condition.wait(until: Date().addingTimeInterval(max(0, until - Self.clock())))
            }
            queue.removeFirst()
            let settings = parameters[port]
            let failed = failure != nil
            condition.unlock()
            if !failed { transmit(next.bytes, settings) }
            condition.lock()
        }
        condition.unlock()
    }

    /// Renders and writes one frame (on the transmit thread, outside the lock).
    private func transmit(_ bytes: [UInt8], _ settings: KISSPortParameters) {
        var audio = TNCTransmission.render(
            bytes, parameters: settings, modem: modem, sampleRate: Double(sampleRate))
        audio += [Float](repeating: 0, count: Int(Self.gapSeconds * Double(sampleRate)))
        do {
            try output.write(audio)
            condition.withLock { sent += 1 }
        } catch {
            log("\(path): \(error); no more frames will be sent")
            condition.withLock { failure = .cannotPlay(path: path, reason: "\(error)") }
        }
    }

    /// Sends what is queued, then finishes the output.
    /// - Throws: ``TNCError/cannotPlay(path:reason:)`` when a write or the finishing failed.
    func finish() throws(TNCError) {
        let started = condition.withLock {
            stopping = true
            condition.broadcast()
            return thread != nil
        }
        if started { done.wait() }
        if let failure = condition.withLock({ failure }) { throw failure }
        do {
            try output.finish()
        } catch {
            throw .cannotPlay(path: path, reason: "\(error)")
        }
    }
}

/// Where transmitted audio goes when it is not a file: a sound card, for one. Called from the
/// TNC's transmit thread only, one call at a time.
public protocol TNCAudioOutput: AnyObject, Sendable {
    /// Plays (or queues) `samples`, full scale ±1, at the configured sample rate.
    func write(_ samples: [Float]) throws
    /// Plays out what is queued and closes.
    func finish() throws
}

/// A file, or stdout for "-", through ``AudioFileWriter``.
private final class FileOutput: TNCAudioOutput, @unchecked Sendable {
    private var writer: AudioFileWriter

    init(path: String, sampleRate: Int) throws {
        writer = try AudioFileWriter(path: path, sampleRate: sampleRate)
    }

    func write(_ samples: [Float]) throws { try writer.write(samples) }

    func finish() throws { try writer.close() }
}
