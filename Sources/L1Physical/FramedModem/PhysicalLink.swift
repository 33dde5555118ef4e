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
    /// Forward error correction of each frame's payload (signalled in its header).
    public var fec: FECScheme

    /// A configuration; 48 kHz, amplitude 0.7, 0.1 s lead, 0.05 s gaps, a payload CRC and the
    /// mode's forward error correction (``Mode/defaultFEC``; none without the CRC) unless given.
    public init(
        mode: Mode, lineCode: LineCode? = nil, scramble: Bool? = nil, sampleRate: Int = 48000,
        amplitude: Float = 0.7, leadSeconds: Double = 0.1, gapSeconds: Double = 0.05, payloadCRC: Bool = true,
        fec: FECScheme? = nil
    ) {
        self.mode = mode
        self.lineCode = lineCode ?? mode.defaultLineCode
        self.scramble = scramble
        self.sampleRate = sampleRate
        self.amplitude = amplitude
        self.leadSeconds = leadSeconds
        self.gapSeconds = gapSeconds
        self.payloadCRC = payloadCRC
        self.fec = fec ?? (payloadCRC ? mode.defaultFEC : .none)
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
            payloadCRC: config.payloadCRC, fec: config.fec)
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

/// Runs one demodulator per candidate mode over the same samples.
///
/// With one mode its demodulator sees every sample. With several (mode auto-detection) a
/// shared ``ToneGate`` watches every mode's tones, and a mode's demodulator runs only while
/// they stand above the noise: it is started when they appear, fed the audio from a little
/// before (so it sees the whole preamble), and finished once they have been gone for a
/// while and it tracks no frame. Silence and noise cost the gate alone; every mode stays on
/// for the whole recording, and frames of all modes come back in time order.
public final class PhysicalReceiver {
    /// One mode listened for, and its demodulator while its tones are present.
    struct Candidate {
        let mode: Mode
        let options: Demodulator.Options
        /// Samples of audio a freshly started demodulator is given from before the gate opened.
        let preroll: Int
        /// Closed-gate time, in samples, after which an idle demodulator is finished.
        let hangover: Int
        /// Samples a frame's start can lie before the point at which its sync is searched for.
        let lookback: Int
        var demod: Demodulator?
        /// Absolute sample position of the demodulator's first sample.
        var origin = 0
        /// Absolute sample position at which the gate last saw the mode.
        var lastSeen = 0
    }
    var candidates: [Candidate]
    /// The single demodulator when one mode is listened for.
    let only: Demodulator?
    var gate: ToneGate?
    /// Whether the gate skipped the last chunk (a mode was inside a frame).
    var gateSkipped = false
    /// Where the last frame some mode was inside ended (the end of the last chunk it was in).
    var lastFrameEnd = Int.min / 2
    /// The modes inside that frame.
    var lastFraming: [Int] = []
    /// Scratch for each chunk: the modes inside a frame, the modes heard.
    var framingScratch: [Int] = []
    var heard: [Bool] = []
    /// Seconds after a frame during which only its mode listens: the gap between frames of
    /// one transmission, whose preamble would otherwise wake every mode that shares a tone.
    /// Preroll reaches back past it, so a frame of another mode that starts in it is whole.
    static let grace = 0.3
    /// Audio is handled in chunks of whole gate blocks.
    /// (The chunk being filled, and enough of those before it for any mode's preroll.)
    var chunks: AudioChunks
    /// Absolute position of the start of the current chunk.
    var position: Int { chunks.position }
    /// Frames found, waiting until no other mode can still find an earlier or overlapping one.
    var pending: [ReceivedFrame] = []
    /// The last good frames released, against which later failed frames are checked.
    var recent: [ReceivedFrame] = []
    /// The mode of the first frame that passed its checks (the only mode with one candidate).
    public private(set) var lockedMode: Mode?
    /// Input samples per second.
    public let sampleRate: Double
    /// The line code asked for, nil for each mode's default.
    let lineCode: LineCode?

    /// - Parameters:
    ///   - modes: one mode, or several to detect among.
    ///   - lineCode: nil for each mode's default.
    ///   - sampleRate: input samples per second.
    public init(modes: [Mode], lineCode: LineCode?, sampleRate: Double) throws(PhysicalLayerError) {
        self.sampleRate = sampleRate
        self.lineCode = lineCode
        var list = [Candidate]()
        var firstError: PhysicalLayerError?
        for mode in modes {
            var options = Demodulator.Options()
            options.lineCode = lineCode
            let code = lineCode ?? mode.defaultLineCode
            do {
                // Validated now; a mode's demodulator (tables, buffers) is built when its tones
                // first appear, so modes never heard cost nothing.
                try mode.validate(sampleRate: sampleRate, lineCode: code)
                let geometry = Demodulator.geometry(mode: mode, sampleRate: sampleRate, lineCode: code)
                let symbol = geometry.samplesPerSymbol
                let gateDelay = Int((0.12 + Self.grace) * sampleRate)
                let frameHead = Int(Double(PhysicalFrame.preambleSymbols + PhysicalFrame.syncBits.count + 8) * symbol)
                list.append(
                    Candidate(
                        mode: mode, options: options, preroll: gateDelay + frameHead + geometry.blockLength,
                        // No shorter than the grace, which counts a frame's modes as heard.
                        hangover: max(Int(Self.grace * sampleRate), Int(64 * symbol)),
                        lookback: frameHead + 2 * geometry.blockLength + Int(PhysicalFrame.syncBits.count) * Int(symbol)
                    ))
            } catch {
                firstError = firstError ?? error
            }
        }
        if list.isEmpty, let e = firstError { throw e }
        candidates = list
        heard = [Bool](repeating: false, count: list.count)
        if list.count == 1 {
            only = try Demodulator(mode: list[0].mode, sampleRate: sampleRate, options: list[0].options)
            lockedMode = list[0].mode
            gate = nil
            chunks = AudioChunks(chunkLength: 1, keeping: 0)
        } else {
            only = nil
            let g = list.isEmpty ? nil : ToneGate(modes: list.map(\.mode), sampleRate: sampleRate)
            gate = g
            chunks = AudioChunks(chunkLength: (g?.blockLength ?? 1) * 16, keeping: list.map(\.preroll).max() ?? 0)
        }
    }

    /// The modes listened for.
    public var modes: [Mode] { candidates.map(\.mode) }

    /// The modes whose demodulators are running now (every mode with one candidate).
    public var activeModes: [Mode] {
        only != nil ? modes : candidates.filter { $0.demod != nil }.map(\.mode)
    }

    /// Feeds a block of samples to the receiver.
    /// - Returns: The frames completed in this block, in time order.
    public func process(_ samples: UnsafeBufferPointer<Float>) -> [ReceivedFrame] {
        if let demod = only {
            let mode = candidates[0].mode
            return demod.process(samples).map { ReceivedFrame(frame: $0, mode: mode, lineCode: demod.lineCode) }
        }
        guard gate != nil, samples.baseAddress != nil else { return [] }
        var i = 0
        while i < samples.count {
            i = chunks.stage(samples, from: i)
            if chunks.isFull { runChunk() }
        }
        return release(final: false)
    }

    /// Flushes every demodulator at the end of the recording.
    /// - Returns: The frames still in progress (usually `truncated`) and any held back for ordering.
    public func finish() -> [ReceivedFrame] {
        if let demod = only {
            let mode = candidates[0].mode
            return demod.finish().map { ReceivedFrame(frame: $0, mode: mode, lineCode: demod.lineCode) }
        }
        if chunks.staged > 0 { runChunk() }
        for index in candidates.indices where candidates[index].demod != nil { stop(index) }
        return release(final: true)
    }

    /// Whether mode `index`'s demodulator is inside a frame whose header checked out.
    func inFrame(_ index: Int) -> Bool {
        candidates[index].demod?.isInFrame ?? false
    }

    /// Runs the gate over the chunk, starts, feeds and stops demodulators.
    ///
    /// While some mode is inside a frame whose header checked out, that frame is what the
    /// tones are: the gate rests, and the modes not inside a frame are stopped (they would
    /// only chase the same tones). It rests through the grace after the frame too, when only
    /// the frame's modes may listen. Then it starts again from an empty window.
    func runChunk() {
        let count = chunks.staged
        // Moved out and back (not copied: a copy retains each of its arrays).
        guard var gate = gate.take() else { return }
        let end = position + count
        // The modes heard and those inside a frame, in storage kept from chunk to chunk.
        var seen = heard
        heard = []
        for i in seen.indices { seen[i] = false }
        var framing = framingScratch
        framingScratch = []
        framing.removeAll(keepingCapacity: true)
        for index in candidates.indices where inFrame(index) { framing.append(index) }
        defer {
            heard = seen
            framingScratch = framing
        }
        if framing.isEmpty && end - lastFrameEnd < Int(Self.grace * sampleRate) {
            // In the grace after a frame only its modes listen, and they are still running (their
            // hangover is no shorter than the grace): the gate, which could only tell them from
            // silence here, rests as it does inside a frame, and they count as heard.
            gateSkipped = true
            for index in lastFraming { seen[index] = true }
        } else if framing.isEmpty {
            if gateSkipped { gate.reset() }
            gateSkipped = false
            let blocks = count / gate.blockLength
            chunks.withChunk { c in
                for b in 0..<blocks {
                    gate.analyse(
                        UnsafeBufferPointer(rebasing: c[(b * gate.blockLength)..<((b + 1) * gate.blockLength)]))
                    for m in seen.indices where gate.present[m] { seen[m] = true }
                }
            }
        } else {
            gateSkipped = true
            lastFrameEnd = end
            swap(&lastFraming, &framing)
            for index in candidates.indices where candidates[index].demod != nil && !lastFraming.contains(index) {
                stop(index, keepFailed: false)
            }
            for index in lastFraming { seen[index] = true }
        }
        self.gate = consume gate
        for index in candidates.indices {
            if seen[index] {
                candidates[index].lastSeen = end
                if candidates[index].demod == nil { start(index) }
            }
            guard let demod = candidates[index].demod else { continue }
            collect(index, chunks.withChunk { demod.process($0) })
            if end - candidates[index].lastSeen >= candidates[index].hangover && demod.trackers.isEmpty {
                stop(index)
            }
        }
        // Keep the tail of the audio for demodulators started later.
        chunks.advance()
    }

    /// Starts mode `index`'s demodulator on the audio since `preroll` samples before the chunk.
    func start(_ index: Int) {
        let candidate = candidates[index]
        // The mode was validated when the receiver was made, so this does not fail.
        guard let demod = try? Demodulator(mode: candidate.mode, sampleRate: sampleRate, options: candidate.options)
        else { return }
        let earlier = chunks.recent(candidate.preroll)
        let back = earlier.count
        candidates[index].origin = position - back
        candidates[index].demod = demod
        collect(index, demod.process(earlier))
    }

    /// Finishes mode `index`'s demodulator and keeps what it still held (with `keepFailed`
    /// false, only frames that passed their checks).
    func stop(_ index: Int, keepFailed: Bool = true) {
        guard let demod = candidates[index].demod else { return }
        let frames = demod.finish()
        collect(index, keepFailed ? frames : frames.filter(\.isOK))
        candidates[index].demod = nil
    }

    /// Frames of mode `index`'s demodulator, moved to absolute positions.
    func collect(_ index: Int, _ frames: [DecodedFrame]) {
        guard !frames.isEmpty, let demod = candidates[index].demod else { return }
        let origin = candidates[index].origin
        for var frame in frames {
            frame.startSample += origin
            frame.endSample += origin
            pending.append(ReceivedFrame(frame: frame, mode: candidates[index].mode, lineCode: demod.lineCode))
        }
    }

    /// The earliest sample at which a frame not yet in `pending` can start.
    var horizon: Int {
        var h = position
        for c in candidates {
            if let demod = c.demod {
                let tracked = demod.earliestTrackedStart ?? Int.max
                let searched = demod.blockIndex * demod.blockLength - c.lookback
                h = min(h, c.origin + min(tracked, searched))
            } else {
                h = min(h, position - c.preroll - c.lookback)
            }
        }
        return h
    }

    /// Pending frames that nothing can still precede or overlap, in time order, overlaps
    /// between modes resolved: a frame that passed its checks wins over one that did not,
    /// and of two that did not, the earlier one stays.
    func release(final: Bool) -> [ReceivedFrame] {
        guard !pending.isEmpty else { return [] }
        let limit = final ? Int.max : horizon
        pending.sort { $0.frame.startSample < $1.frame.startSample }
        let split = pending.firstIndex { $0.frame.endSample > limit } ?? pending.count
        guard split > 0 else { return [] }
        let ready = Array(pending[..<split])
        pending.removeFirst(split)
        var out = [ReceivedFrame]()
        for f in ready {
            func overlaps(_ g: ReceivedFrame) -> Bool {
                g.mode != f.mode && g.frame.startSample < f.frame.endSample && f.frame.startSample < g.frame.endSample
            }
            if !f.frame.isOK {
                // Beaten by a good frame of another mode, released or still pending, or by an
                // earlier failed one of another mode.
                if (recent + pending).contains(where: { overlaps($0) && $0.frame.isOK }) { continue }
                if let last = out.last, overlaps(last) { continue }
            } else if let last = out.last, overlaps(last), !last.frame.isOK {
                out.removeLast()
            }
            if lockedMode == nil && f.frame.isOK { lockedMode = f.mode }
            out.append(f)
            if f.frame.isOK {
                recent.append(f)
                if recent.count > 8 { recent.removeFirst() }
            }
        }
        return out
    }
}
