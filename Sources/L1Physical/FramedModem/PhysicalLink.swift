/// How layer 1 is set up for one transmission or reception.
public struct PhysicalConfig: Sendable {
    /// The modulation mode.
    public var mode: Mode
    /// The line code (the mode's default unless given).
    public var lineCode: LineCode
    /// nil: whiten unless the line code clocks itself.
    public var scramble: Bool?
    /// Samples per second of the audio.
    public var sampleRate: Int
    /// Peak amplitude, full scale = 1.
    public var amplitude: Float
    /// Silence before the first and after the last frame.
    public var leadSeconds: Double
    /// Silence between frames (0 = back to back).
    public var gapSeconds: Double
    /// Append a CRC-32 to each physical frame.
    public var payloadCRC: Bool

    /// A configuration; 48 kHz, amplitude 0.7, 0.1 s lead, 0.05 s gaps and a payload CRC unless given.
    public init(
        mode: Mode, lineCode: LineCode? = nil, scramble: Bool? = nil, sampleRate: Int = 48000,
        amplitude: Float = 0.7, leadSeconds: Double = 0.1, gapSeconds: Double = 0.05, payloadCRC: Bool = true
    ) {
        self.mode = mode
        self.lineCode = lineCode ?? mode.defaultLineCode
        self.scramble = scramble
        self.sampleRate = sampleRate
        self.amplitude = amplitude
        self.leadSeconds = leadSeconds
        self.gapSeconds = gapSeconds
        self.payloadCRC = payloadCRC
    }
}

/// What a transmission produced.
public struct TransmitSummary: Sendable, Codable {
    /// Frames sent.
    public var frames = 0
    /// Payload bytes sent, over all frames.
    public var payloadBytes = 0
    /// Channel symbols sent.
    public var symbols = 0
    /// Audio samples produced, silences included.
    public var samples = 0
    /// Samples per second of the audio.
    public var sampleRate = 0
    /// Duration of the audio in seconds.
    public var seconds: Double { sampleRate > 0 ? Double(samples) / Double(sampleRate) : 0 }
}

/// Turns payloads into audio, frame by frame, without holding the whole recording.
///
///     let tx = try PhysicalTransmitter(PhysicalConfig(mode: .named("bell202")!))
///     let summary = try tx.transmit([Array("hi".utf8)]) { samples in try writer.write(samples) }
public struct PhysicalTransmitter: Sendable {
    /// The configuration it transmits with.
    public let config: PhysicalConfig
    let encoder: FrameEncoder
    let modulator: FSKModulator

    /// A transmitter for `config`.
    /// - Throws: ``PhysicalLayerError`` when the mode cannot be sent at the sample rate with the line code.
    public init(_ config: PhysicalConfig) throws(PhysicalLayerError) {
        try config.mode.validate(sampleRate: Double(config.sampleRate), lineCode: config.lineCode)
        self.config = config
        encoder = FrameEncoder(
            mode: config.mode, lineCode: config.lineCode, scramble: config.scramble,
            payloadCRC: config.payloadCRC)
        modulator = FSKModulator(
            mode: config.mode, lineCode: config.lineCode,
            sampleRate: Double(config.sampleRate), amplitude: config.amplitude)
    }

    /// Whether payloads are whitened.
    public var scrambles: Bool { encoder.scramblePayload }

    /// Sends each payload as one frame; `sink` receives the audio in pieces.
    public func transmit(
        _ payloads: [[UInt8]], payloadType: UInt8 = 0,
        to sink: (UnsafeBufferPointer<Float>) throws -> Void
    ) throws -> TransmitSummary {
        var summary = TransmitSummary(sampleRate: config.sampleRate)
        func silence(_ seconds: Double) throws {
            let n = Int(seconds * Double(config.sampleRate))
            guard n > 0 else { return }
            let zeros = [Float](repeating: 0, count: n)
            try zeros.withUnsafeBufferPointer { try sink($0) }
            summary.samples += n
        }
        try silence(config.leadSeconds)
        for (i, payload) in payloads.enumerated() {
            if i > 0 { try silence(config.gapSeconds) }
            let symbols = try encoder.symbols(payload: payload, payloadType: payloadType)
            let audio = modulator.samples(symbols: symbols)
            try audio.withUnsafeBufferPointer { try sink($0) }
            summary.frames += 1
            summary.payloadBytes += payload.count
            summary.symbols += symbols.count
            summary.samples += audio.count
        }
        try silence(config.leadSeconds)
        return summary
    }

    /// Splits `data` into payloads of at most `frameSize` bytes (one empty payload for empty data).
    public static func split(_ data: [UInt8], frameSize: Int) -> [[UInt8]] {
        guard !data.isEmpty else { return [[]] }
        let size = max(1, min(frameSize, PhysicalFrame.maxPayload))
        return stride(from: 0, to: data.count, by: size).map { Array(data[$0..<min(data.count, $0 + size)]) }
    }
}

/// A frame found by the receiver, with the mode that found it.
public struct ReceivedFrame: Sendable {
    /// The frame and its checks.
    public var frame: DecodedFrame
    /// The mode whose demodulator found it.
    public var mode: Mode
    /// The line code it was decoded with.
    public var lineCode: LineCode
}

/// Runs one demodulator per candidate mode over the same samples. With several
/// candidates (mode auto-detection) it locks onto the first mode that yields a frame
/// passing its checks and drops the others.
public final class PhysicalReceiver {
    struct Candidate {
        let mode: Mode
        let demod: Demodulator
    }
    var candidates: [Candidate]
    var pending: [ReceivedFrame] = []
    /// The one mode decoded from now on: the only candidate, or the first to yield a frame that passed its checks (nil until then).
    public private(set) var lockedMode: Mode?
    /// Input samples per second.
    public let sampleRate: Double

    /// - Parameters:
    ///   - modes: one mode, or several to detect among.
    ///   - lineCode: nil for each mode's default.
    ///   - sampleRate: input samples per second.
    public init(modes: [Mode], lineCode: LineCode?, sampleRate: Double) throws(PhysicalLayerError) {
        self.sampleRate = sampleRate
        var list = [Candidate]()
        var firstError: PhysicalLayerError?
        for mode in modes {
            var options = Demodulator.Options()
            options.lineCode = lineCode
            do {
                list.append(
                    Candidate(mode: mode, demod: try Demodulator(mode: mode, sampleRate: sampleRate, options: options)))
            } catch {
                firstError = firstError ?? error
            }
        }
        if list.isEmpty, let e = firstError { throw e }
        candidates = list
        if list.count == 1 { lockedMode = list[0].mode }
    }

    /// The modes still being listened for.
    public var modes: [Mode] { candidates.map(\.mode) }

    /// Feeds a block of samples to every candidate demodulator.
    /// - Returns: The frames completed in this block, in the order they were found.
    public func process(_ samples: UnsafeBufferPointer<Float>) -> [ReceivedFrame] {
        var found = [ReceivedFrame]()
        for c in candidates {
            found += c.demod.process(samples).map { ReceivedFrame(frame: $0, mode: c.mode, lineCode: c.demod.lineCode) }
        }
        return settle(found, final: false)
    }

    /// Flushes every demodulator at the end of the recording.
    /// - Returns: The frames still in progress (usually `truncated`).
    public func finish() -> [ReceivedFrame] {
        var found = [ReceivedFrame]()
        for c in candidates {
            found += c.demod.finish().map { ReceivedFrame(frame: $0, mode: c.mode, lineCode: c.demod.lineCode) }
        }
        return settle(found, final: true)
    }

    func settle(_ found: [ReceivedFrame], final: Bool) -> [ReceivedFrame] {
        if candidates.count == 1 { return pending.isEmpty ? found : flush(found) }
        pending += found
        if let good = pending.first(where: { $0.frame.isOK }) {
            lockedMode = good.mode
            candidates.removeAll { $0.mode != good.mode }
            return flush([])
        }
        return final ? flush([]) : []
    }

    /// Pending frames, the locked mode's only once locked, overlaps resolved, in time order.
    func flush(_ more: [ReceivedFrame]) -> [ReceivedFrame] {
        var all = pending + more
        pending.removeAll()
        if let locked = lockedMode { all.removeAll { $0.mode != locked } }
        all.sort { $0.frame.startSample < $1.frame.startSample }
        var out = [ReceivedFrame]()
        for f in all {
            if let last = out.last, last.frame.endSample > f.frame.startSample, last.mode != f.mode {
                if f.frame.isOK && !last.frame.isOK { out[out.count - 1] = f }
                continue
            }
            out.append(f)
        }
        return out
    }
}
