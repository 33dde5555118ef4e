import AudioIO
import Dispatch
import Foundation
import L1Physical
import L2DataLink

/// What a decode listens for and who it listens as.
public struct DecodeConfiguration: Sendable {
    /// The modes to listen for; empty: every mode the recording's sample rate allows.
    public var modes: [Mode]
    /// The line code, or nil for each mode's default.
    public var lineCode: LineCode?
    /// This station: its MAC address, groups and whether it is promiscuous.
    public var station: EthernetReceiver
    /// Passphrase for encrypted (layer 6) messages.
    public var passphrase: String?
    /// Which channel of a multi-channel recording to decode.
    public var channel: ChannelSelection
    /// Headerless input's format, or nil for audio files with a header.
    public var raw: RawFormat?
    /// Recordings demodulated at once when several are given (the result is the same for any number).
    public var jobs: Int
    /// Whether a message of ours that never completed is handed over as far as it goes
    /// (``DecodeEvent/damaged(_:)``): data of frames that failed their check in place, zero bytes
    /// for fragments never heard, no fragment headers. Off by default.
    public var keepDamaged: Bool
    /// Samples handed to the receiver at a time from one streamed recording (default
    /// ``RecordingDecoder/blockSize``): smaller blocks report frames sooner (a live input),
    /// larger ones cost a little less.
    public var blockFrames: Int

    /// - Parameters:
    ///   - modes: The modes to listen for (default: every mode).
    ///   - lineCode: The line code (default: each mode's).
    ///   - station: This station (default: broadcast and this machine's address).
    ///   - passphrase: Passphrase for encrypted (layer 6) messages.
    ///   - channel: Which channel of a multi-channel recording to decode.
    ///   - raw: Headerless input's format, or nil for files with a header.
    ///   - jobs: Recordings demodulated at once when several are given.
    ///   - keepDamaged: Whether a message that never completed is handed over as far as it goes.
    ///   - blockFrames: Samples handed to the receiver at a time (at least 1).
    public init(
        modes: [Mode] = [], lineCode: LineCode? = nil,
        station: EthernetReceiver = EthernetReceiver(address: LinkEndpoint.thisMachine),
        passphrase: String? = nil, channel: ChannelSelection = .auto, raw: RawFormat? = nil, jobs: Int = 1,
        keepDamaged: Bool = false, blockFrames: Int = RecordingDecoder.blockSize
    ) {
        self.blockFrames = max(1, blockFrames)
        self.modes = modes
        self.lineCode = lineCode
        self.station = station
        self.passphrase = passphrase
        self.channel = channel
        self.raw = raw
        self.jobs = jobs
        self.keepDamaged = keepDamaged
    }
}

/// Something a decode found, in the order it was found.
public enum DecodeEvent: Sendable {
    /// A frame, good or bad, with its 1-based number in the whole decode.
    case frame(LinkFrameReport, index: Int)
    /// Bytes delivered by layer 2 to the user: a raw frame's payload, a reassembled message, or the
    /// payload of an Ethernet frame for another protocol. (IPv4 goes up the stack instead.)
    case delivered([UInt8])
    /// With ``DecodeConfiguration/keepDamaged``, at the end of a recording: a message of ours that
    /// never completed, as far as it goes (see `L2PartialMessage` for the offsets and the gaps).
    /// Its missing fragments are also reported as a ``warning(_:)``.
    case damaged(L2PartialMessage)
    /// A remark on the input for people (the channel chosen): worth showing unless asked to be quiet.
    case info(String)
    /// A problem with the input (cut short, NaN samples, missing fragments, nothing found).
    case warning(String)
}

/// What a whole decode came to, after the last event.
public struct DecodeOutcome: Sendable {
    /// Frames found, and how many passed every check, were for another station, or failed.
    public var frames = FrameTally()
    /// The mode the last recording locked onto, if any frame was found.
    public var lockedMode: Mode?
    /// Whether a message is missing fragments or a recording was cut short.
    public var incomplete = false
    /// Each TCP connection's result up the stack (IPv4 → TCP → session → presentation → HTTP).
    public var connections: [StackResult] = []
    /// UDP and ICMP datagrams that went up the stack.
    public var datagrams: [StackDatagram] = []
    /// Packets the stack refused, described.
    public var refused: [String] = []
    /// Destination MAC addresses of good IPv4 frames that were for another station.
    public var notForMeIPv4: [MACAddress] = []
}

/// Frames counted by status, in the order statuses first appeared.
public struct FrameTally: Sendable {
    /// Every frame.
    public private(set) var total = 0
    /// Frames that passed every check.
    public private(set) var ok = 0
    /// Good frames for another station.
    public private(set) var notForMe = 0
    /// Count per status tag.
    public private(set) var byStatus: [String: Int] = [:]
    /// Status tags in the order first seen.
    public private(set) var order: [String] = []
    /// Frames that failed a check.
    public var failed: Int { total - ok - notForMe }

    public init() {}

    /// Counts one frame.
    public mutating func count(_ f: LinkFrameReport) {
        total += 1
        if f.isOK { ok += 1 }
        if f.status.isNotForMe { notForMe += 1 }
        let name = f.status.tag
        if byStatus[name] == nil { order.append(name) }
        byStatus[name, default: 0] += 1
    }

    /// "3 frames: 2 ok, 1 fcs-mismatch".
    public var summary: String {
        "\(total) frame\(total == 1 ? "" : "s"): " + order.map { "\(byStatus[$0] ?? 0) \($0)" }.joined(separator: ", ")
    }
}

/// The receive path of `soundstack decode` as one call: audio files in, every frame reported as
/// it is found, good bytes delivered, IPv4 frames taken up the stack.
///
///     let decoder = RecordingDecoder(DecodeConfiguration(modes: [.bell202]))
///     let outcome = try decoder.decode(["hello.wav"]) { event in
///         if case .delivered(let bytes) = event { print(String(decoding: bytes, as: UTF8.self)) }
///     }
///     print(outcome.frames.summary)
///
/// One recording streams in constant memory, its frames reported as they complete; several
/// recordings of one conversation are demodulated side by side (``DecodeConfiguration/jobs``) and
/// then go up the layers in the order given, so the result does not depend on the job count.
public struct RecordingDecoder: Sendable {
    /// What to listen for.
    public let configuration: DecodeConfiguration

    /// Samples read from a file at a time.
    public static let blockSize = 1 << 16

    public init(_ configuration: DecodeConfiguration) { self.configuration = configuration }

    /// Decodes `inputs` ('-' is standard input, and must then be the only input).
    /// - Parameters:
    ///   - inputs: Audio files, or '-' alone for standard input.
    ///   - events: Called with every frame, delivery and remark, in order.
    /// - Throws: An error opening or reading a file, a mode that the sample rate cannot carry,
    ///   or whatever `events` throws.
    public func decode(_ inputs: [String], events: (DecodeEvent) throws -> Void) throws -> DecodeOutcome {
        try withoutActuallyEscaping(events) { events in
            var run = Run(configuration: configuration, events: events)
            if inputs.count == 1 {
                try run.stream(inputs[0])
            } else {
                let found = Self.demodulateAll(inputs, jobs: max(1, configuration.jobs)) { input in
                    try demodulate(input)
                }
                for result in found { try run.consume(try result.get()) }
            }
            return run.finish()
        }
    }

    /// The modes to listen for at `rate`: those asked for, or every mode the rate allows.
    public func modes(sampleRate rate: Double) -> [Mode] {
        if !configuration.modes.isEmpty { return configuration.modes }
        return Mode.all.filter {
            (try? $0.validate(sampleRate: rate, lineCode: configuration.lineCode ?? $0.defaultLineCode)) != nil
        }
    }

    /// Layer 1 over one whole file: the frames it holds and what the reader noticed.
    func demodulate(_ input: String) throws -> DemodulatedFile {
        var reader = try AudioFileReader(path: input, channel: configuration.channel, raw: configuration.raw)
        let rate = Double(reader.sampleRate)
        let modes = modes(sampleRate: rate)
        let phy = try PhysicalReceiver(modes: modes, lineCode: configuration.lineCode, sampleRate: rate)
        var frames = [ReceivedFrame]()
        try reader.forEachBlock(size: Self.blockSize) { frames += phy.process($0) }
        frames += phy.finish()
        return DemodulatedFile(
            input: input, frames: frames,
            channelNote: reader.channelCount > 1 ? "\(input): \(reader.channelChoice)" : nil,
            cutShort: reader.cutShort, nonFinite: reader.nonFiniteSampleCount,
            seconds: Double(reader.framesDelivered) / rate, rate: rate,
            modes: modes.map(\.name), lockedMode: phy.lockedMode)
    }

    /// What layer 1 found in one file.
    struct DemodulatedFile: @unchecked Sendable {
        var input: String
        var frames: [ReceivedFrame]
        var channelNote: String?
        var cutShort: String?
        var nonFinite: Int
        var seconds: Double
        var rate: Double
        var modes: [String]
        var lockedMode: Mode?
    }

    /// Results in a box that workers fill slot by slot.
    private final class Slots: @unchecked Sendable {
        var items: [Result<DemodulatedFile, Error>?]
        let lock = NSLock()
        init(_ n: Int) { items = Array(repeating: nil, count: n) }
        func put(_ r: Result<DemodulatedFile, Error>, at i: Int) { lock.lock(); items[i] = r; lock.unlock() }
    }

    /// Runs `work` for each input, at most `jobs` at a time; results in input order.
    static func demodulateAll(
        _ inputs: [String], jobs: Int,
        _ work: @escaping @Sendable (String) throws -> DemodulatedFile
    ) -> [Result<DemodulatedFile, Error>] {
        let slots = Slots(inputs.count)
        let gate = DispatchSemaphore(value: jobs)
        DispatchQueue.concurrentPerform(iterations: inputs.count) { i in
            gate.wait()
            defer { gate.signal() }
            slots.put(Result { try work(inputs[i]) }, at: i)
        }
        return slots.items.map { $0 ?? .failure(RecordingDecoderError.notDecoded(inputs)) }
    }

    /// One decode's state: the counts, the stack and where events go.
    private struct Run {
        let configuration: DecodeConfiguration
        let events: (DecodeEvent) throws -> Void
        var outcome = DecodeOutcome()
        var stack: StackReceiver
        var notForMe = Set<MACAddress>()

        init(configuration: DecodeConfiguration, events: @escaping (DecodeEvent) throws -> Void) {
            self.configuration = configuration
            self.events = events
            stack = StackReceiver(passphrase: configuration.passphrase)
        }

        /// One recording, streamed: frames are reported as they complete.
        mutating func stream(_ input: String) throws {
            var reader = try AudioFileReader(path: input, channel: configuration.channel, raw: configuration.raw)
            let rate = Double(reader.sampleRate)
            let modes = RecordingDecoder(configuration).modes(sampleRate: rate)
            let phy = try PhysicalReceiver(modes: modes, lineCode: configuration.lineCode, sampleRate: rate)
            let receiver = LinkReceiver(physical: phy, station: configuration.station)
            receiver.keepsDamaged = configuration.keepDamaged
            if reader.channelCount > 1 { try events(.info("\(input): \(reader.channelChoice)")) }
            let before = outcome.frames.total
            try reader.forEachBlock(size: configuration.blockFrames) { try pass(receiver.process($0)) }
            let last = receiver.finish()
            try pass(last)
            outcome.lockedMode = phy.lockedMode ?? outcome.lockedMode
            try endOfFile(
                input, cutShort: reader.cutShort, nonFinite: reader.nonFiniteSampleCount, missing: last.missing,
                found: outcome.frames.total > before, modes: modes.map(\.name), rate: rate,
                seconds: Double(reader.framesDelivered) / rate)
            for p in last.partial { try events(.damaged(p)) }
        }

        /// Layers 2 and up for one file's frames, exactly as ``stream(_:)`` takes them.
        mutating func consume(_ file: DemodulatedFile) throws {
            let receiver = LinkReceiver(
                physical: try PhysicalReceiver(modes: [], lineCode: nil, sampleRate: file.rate),
                station: configuration.station)
            receiver.keepsDamaged = configuration.keepDamaged
            if let n = file.channelNote { try events(.info(n)) }
            let before = outcome.frames.total
            try pass(receiver.receive(file.frames))
            let (missing, partial) = receiver.finishReassemblyKeepingDamage()
            outcome.lockedMode = file.lockedMode ?? outcome.lockedMode
            try endOfFile(
                file.input, cutShort: file.cutShort, nonFinite: file.nonFinite, missing: missing,
                found: outcome.frames.total > before, modes: file.modes, rate: file.rate, seconds: file.seconds)
            for p in partial { try events(.damaged(p)) }
        }

        /// Reports every frame, takes IPv4 up the stack and delivers the rest.
        mutating func pass(_ reception: LinkReception) throws {
            for f in reception.reports {
                outcome.frames.count(f)
                if f.status.isNotForMe, f.ethernet?.etherType == .ipv4, let d = f.ethernet?.destination {
                    notForMe.insert(d)
                }
                try events(.frame(f, index: outcome.frames.total))
            }
            StackLink.pass(reception.deliveries, into: &stack)
            for d in reception.deliveries {
                switch d {
                case .raw(let bytes), .message(_, let bytes): try events(.delivered(bytes))
                case .frame(let frame, _): if frame.etherType != .ipv4 { try events(.delivered(frame.payload)) }
                }
            }
        }

        mutating func endOfFile(
            _ input: String, cutShort: String?, nonFinite: Int, missing: [L2MissingFragments],
            found: Bool, modes: [String], rate: Double, seconds: Double
        ) throws {
            if let cut = cutShort { try events(.warning("\(input): truncated: \(cut); decoded what is there")) }
            if nonFinite > 0 { try events(.warning("\(input): \(nonFinite) NaN/Inf samples replaced by 0")) }
            for m in missing { try events(.warning("incomplete: \(m)")) }
            if !missing.isEmpty || cutShort != nil { outcome.incomplete = true }
            if !found {
                let tried = modes.count == 1 ? "mode \(modes[0])" : "\(modes.count) modes"
                try events(
                    .warning(
                        "\(input): no frames found (listened for \(tried) at \(Int(rate)) Hz, "
                            + String(format: "%.2f s", seconds) + ")"))
            }
        }

        mutating func finish() -> DecodeOutcome {
            outcome.connections = stack.finish()
            outcome.datagrams = stack.datagrams
            outcome.refused = stack.refused
            outcome.notForMeIPv4 = notForMe.sorted { $0.description < $1.description }
            return outcome
        }
    }
}

/// Why a decode stopped.
public enum RecordingDecoderError: Error, Sendable, CustomStringConvertible {
    /// A recording was never handed back by its worker.
    case notDecoded([String])

    public var description: String {
        switch self {
        case .notDecoded(let inputs): "\(inputs) was not decoded"
        }
    }
}
