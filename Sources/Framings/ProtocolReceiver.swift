import Foundation
import L1Physical

/// The real-world FSK framings SoundStack speaks besides its own.
public enum RealWorldProtocol: String, Sendable, CaseIterable, Hashable {
    /// AX.25 UI frames in HDLC at 1200 Bd Bell 202 (APRS packet radio); 300 Bd AFSK and 9600 Bd
    /// G3RUH baseband with ``ProtocolReceiverOptions/select(_:)``.
    case ax25
    /// Asynchronous serial characters (8-N-1 by default) on Bell 202 tones unless told otherwise.
    case uart
    /// Radioteletype: 5-bit Baudot (ITA2) characters at 45.45 Bd.
    case rtty
    /// Specific Area Message Encoding: the headers of NOAA weather radio and EAS alerts.
    case same
    /// Bell 202 caller ID (SDMF/MDMF) as sent between rings.
    case callerid
    /// Kansas City standard cassette data (8-N-2).
    case kcs

    /// The framings with a check (FCS, checksum, header syntax) that `auto` listens for.
    public static let checked: [RealWorldProtocol] = [.ax25, .same, .callerid]

    /// The usual tones and bit rate.
    public var defaultSignalling: FSKSignalling {
        switch self {
        case .ax25, .callerid, .uart: .bell202
        case .rtty: .rtty45
        case .same: .same
        case .kcs: .kcs
        }
    }
}

/// One decoded message of a real-world framing.
public struct ProtocolMessage: Sendable, Hashable {
    /// Which framing decoded the message.
    public var proto: RealWorldProtocol
    /// Sample index (of the input) where the message was recognised.
    public var sample: Int
    /// Seconds from the start of the input.
    public var time: Double
    /// How the message passed its check: ``HDLCFrame/Status/ok``; for an AX.25 frame also
    /// ``HDLCFrame/Status/repaired`` (its FCS matched after a bit was inverted),
    /// ``HDLCFrame/Status/combined`` (after a bit was taken from another slicer's failed copy)
    /// or ``HDLCFrame/Status/fx25``. Its `rawValue` is the tag JSON output shows.
    public var status: HDLCFrame.Status
    /// The printable line: TNC2 monitor line, SAME message, caller ID line or decoded text.
    public var text: String
    /// The message bytes (AX.25 frame without FCS, caller ID message, UART/RTTY data).
    public var bytes: [UInt8]
    /// Named fields for JSON (source, destination, path, info; DATE, NUMBER, …).
    public var fields: [String: String]
}

/// Options of a ``ProtocolReceiver``.
public struct ProtocolReceiverOptions: Sendable {
    /// Tones and bit rate; `nil` for each protocol's default.
    public var signalling: FSKSignalling?
    /// Character format for `uart` (8-N-1 by default); RTTY is 5 bits, KCS 8-N-2.
    public var uartFormat: UARTFormat?
    /// Try single-bit repair of AX.25 frames with a bad FCS.
    public var repairBits = false
    /// Number of AX.25 slicers (mark/space gain ratios) spread over ±`slicerSpanDB`.
    public var slicers = 5
    /// The span in dB of the AX.25 slicers' mark/space gain ratios, either side of 1.
    public var slicerSpanDB = 16.0
    /// AX.25: matched-filter lengths (in bits) of demodulators run side by side.
    public var windowsBits: [Double] = [1.0, 1.0, 1.3, 1.45, 1.15]
    /// AX.25: DPLL correction per transition, one per entry of ``windowsBits``.
    public var loopGains: [Double] = [0.3, 0.1, 0.1, 0.1, 0.3]
    /// AX.25: band-pass ahead of the demodulators, `prefilterBits` bit periods long (0: none),
    /// reaching `prefilterMargin`·baud beyond each tone.
    public var prefilterBits = 3.0
    /// How far beyond each tone the AX.25 band-pass reaches, in multiples of the baud rate.
    public var prefilterMargin = 0.5
    /// AX.25: after the band-pass, keep every n-th sample so that the demodulators run at
    /// about this rate or above (Hz).
    public var decimatedRate = 12000.0
    /// AX.25: the modem; nil for AFSK on ``signalling`` (Bell 202 unless given).
    /// ``AX25Modem/g3ruh(baud:)`` runs the baseband chain instead of the AFSK one.
    public var ax25Modem: AX25Modem?
    /// AX.25 at 9600 Bd: the baseband receiver's filters, slicers and loop gains.
    public var baseband = BasebandDemodulator.Options()

    /// Listens for AX.25 on `modem`: its signalling (AFSK) or baseband chain (G3RUH). At 300 Bd
    /// the band-pass is 4 bits long and reaches 0.4·baud beyond the tones, and the demodulators
    /// run at 4.8 kHz (16 samples a bit): on `gen_packets -B 300 -n 100` that finds 81 frames at
    /// 48 kHz and 80 at 44.1 kHz, where 3 bits, 0.3·baud and 8 kHz found 79 and 79, and more
    /// slowly. 1200 Bd keeps every default.
    public mutating func select(_ modem: AX25Modem) {
        ax25Modem = modem
        if case .afsk(let s) = modem {
            signalling = s
            if s.baud <= 300 {
                prefilterBits = 4
                prefilterMargin = 0.4
                decimatedRate = 4800
            }
        }
    }

    /// Options; each framing's standard signalling and format unless given.
    public init(signalling: FSKSignalling? = nil, uartFormat: UARTFormat? = nil, repairBits: Bool = false) {
        self.signalling = signalling
        self.uartFormat = uartFormat
        self.repairBits = repairBits
    }
}

/// Receives blocks of samples and returns the messages of one or more real-world framings.
///
///     samples ─┬─ ax25 ── band-pass ─ ÷n ─ 5 demodulators (filter 1–1.45 bit) × 5 slicers ─ DPLL ─ HDLC ─┐
///              │  (9600 Bd: low-pass × 4 ─ AGC ─  8 slicers ─ DPLL ─ G3RUH descrambler ─ HDLC) ─────────┤
///              ├─ same ── demodulator (0 dB slicer) ─ DPLL ─ 0xAB sync ─ bursts ─ 3-burst vote ──────────┤
///              ├─ callerid ─ demodulator × 7 slicers ─ UART 8-N-1 ─ MDMF/SDMF checksum ─────────────────┼─ de-dup ─ messages
///              └─ uart / rtty / kcs ─ demodulator (AGC slicer for RTTY) ─ UART ─ bytes / Baudot ─────────┘
///
/// Listening for several framings at once (`--protocol auto`), a shared `ToneGate` (L1Physical) watches
/// each framing's two tones, and a framing's chain runs only while its tones stand above the
/// noise: it is started when they appear, fed the audio from a little before, and finished a
/// second after they have gone. Silence and noise cost the gate alone. One framing is
/// listened for on every sample.
///
///     var rx = ProtocolReceiver(protocols: [.ax25], sampleRate: 44100)
///     for block in blocks { for m in rx.process(block) { print(m.text) } }
///     for m in rx.finish() { print(m.text) }
public struct ProtocolReceiver: Sendable {
    /// Input samples per second.
    public let sampleRate: Double
    /// The framings listened for.
    public let protocols: [RealWorldProtocol]
    private let options: ProtocolReceiverOptions

    /// A framing listened for, its chain while it runs, and where that chain began.
    private struct Slot: Sendable {
        let proto: RealWorldProtocol
        /// AX.25's own chain, its 9600 Bd baseband chain, or
        var ax25: AX25Pipeline?
        var g3ruh: AX25BasebandPipeline?
        /// any other framing's.
        var pipeline: Pipeline?
        var origin = 0
        var lastSeen = 0

        var running: Bool { ax25 != nil || g3ruh != nil || pipeline != nil }

        mutating func begin(_ rate: Double, _ options: ProtocolReceiverOptions) {
            if proto == .ax25, case .g3ruh(let baud) = options.ax25Modem {
                g3ruh = AX25BasebandPipeline(baud: baud, sampleRate: rate, options: options)
            } else if proto == .ax25 {
                var options = options
                if case .afsk(let s) = options.ax25Modem { options.signalling = s }
                ax25 = AX25Pipeline(sampleRate: rate, options: options)
            } else {
                pipeline = Pipeline(proto: proto, sampleRate: rate, options: options)
            }
        }

        /// Feeds the chain (moved out and back so its buffers are not copied).
        mutating func process(_ block: UnsafeBufferPointer<Float>) -> [ProtocolMessage] {
            if var p = ax25 {
                ax25 = nil
                defer { ax25 = p }
                return p.process(block)
            }
            if var p = g3ruh {
                g3ruh = nil
                defer { g3ruh = p }
                return p.process(block)
            }
            if var p = pipeline {
                pipeline = nil
                defer { pipeline = p }
                return p.process(block)
            }
            return []
        }

        mutating func finish() -> [ProtocolMessage] {
            if var p = ax25 {
                ax25 = nil
                defer { ax25 = p }
                return p.finish()
            }
            if var p = g3ruh {
                g3ruh = nil
                defer { g3ruh = p }
                return p.finish()
            }
            if var p = pipeline {
                pipeline = nil
                defer { pipeline = p }
                return p.finish()
            }
            return []
        }
    }
    private var slots: [Slot]
    /// Watches the framings' tones when there are several (nil with one).
    private var gate: ToneGate?
    /// The gate's mode index of each slot.
    private let gateIndex: [Int]
    /// The chunk being filled and the samples before it, for chains started late.
    private var chunks = AudioChunks(chunkLength: 1, keeping: 0)
    /// Samples of audio a chain started by the gate is given from before it opened (0.5 s).
    private var preroll: Int { Int(0.5 * sampleRate) }
    /// Closed-gate time after which a chain is finished (1 s).
    private var hangover: Int { Int(sampleRate) }

    /// A receiver listening for `protocols` at `sampleRate` samples per second.
    public init(protocols: [RealWorldProtocol], sampleRate: Double, options: ProtocolReceiverOptions = .init()) {
        self.sampleRate = sampleRate
        self.protocols = protocols
        self.options = options
        slots = protocols.map { Slot(proto: $0) }
        guard protocols.count > 1 else {
            gateIndex = []
            for k in slots.indices { slots[k].begin(sampleRate, options) }
            return
        }
        // One gate "mode" per distinct pair of tones.
        var signallings: [FSKSignalling] = []
        var index: [Int] = []
        for proto in protocols {
            let sig = options.signalling ?? proto.defaultSignalling
            if let k = signallings.firstIndex(of: sig) {
                index.append(k)
            } else {
                index.append(signallings.count)
                signallings.append(sig)
            }
        }
        gateIndex = index
        let g = ToneGate(
            modes: signallings.map { Mode(name: $0.description, baud: $0.baud, tones: [$0.space, $0.mark]) },
            sampleRate: sampleRate, requiredTones: 1)
        gate = g
        chunks = AudioChunks(chunkLength: g.blockLength * 16, keeping: preroll)
    }

    /// Consumes a block of samples (any length); returns the messages completed in it.
    public mutating func process(_ block: UnsafeBufferPointer<Float>) -> [ProtocolMessage] {
        var out: [ProtocolMessage] = []
        guard gate != nil else {
            for k in slots.indices { out += slots[k].process(block) }
            return out.sorted { $0.sample < $1.sample }
        }
        guard block.baseAddress != nil else { return [] }
        var i = 0
        while i < block.count {
            i = chunks.stage(block, from: i)
            if chunks.isFull { out += runChunk() }
        }
        return out.sorted { $0.sample < $1.sample }
    }

    /// Convenience for arrays.
    public mutating func process(_ block: [Float]) -> [ProtocolMessage] {
        block.withUnsafeBufferPointer { process($0) }
    }

    /// Ends the input: returns what was still held back.
    public mutating func finish() -> [ProtocolMessage] {
        var out: [ProtocolMessage] = []
        if gate != nil && chunks.staged > 0 { out += runChunk() }
        for k in slots.indices { out += stop(k) }
        return out.sorted { $0.sample < $1.sample }
    }

    /// Gate, start, feed and stop the chains over one chunk of the input.
    private mutating func runChunk() -> [ProtocolMessage] {
        guard var g = gate else { return [] }
        let count = chunks.staged
        var seen = [Bool](repeating: false, count: g.modes.count)
        let blocks = count / g.blockLength
        chunks.withChunk { c in
            for b in 0..<blocks {
                g.analyse(UnsafeBufferPointer(rebasing: c[(b * g.blockLength)..<((b + 1) * g.blockLength)]))
                for m in seen.indices where g.present[m] { seen[m] = true }
            }
        }
        gate = g
        let end = chunks.position + count
        var out: [ProtocolMessage] = []
        for k in slots.indices {
            if seen[gateIndex[k]] {
                slots[k].lastSeen = end
                if !slots[k].running { out += start(k) }
            }
            guard slots[k].running else { continue }
            let found = chunks.withChunk { slots[k].process($0) }
            out += shifted(found, by: slots[k].origin)
            if end - slots[k].lastSeen >= hangover { out += stop(k) }
        }
        chunks.advance()
        return out
    }

    /// Starts framing `k`'s chain on the audio since `preroll` samples before the chunk.
    private mutating func start(_ k: Int) -> [ProtocolMessage] {
        slots[k].begin(sampleRate, options)
        let earlier = chunks.recent(preroll)
        slots[k].origin = chunks.position - earlier.count
        let found = earlier.withUnsafeBufferPointer { slots[k].process($0) }
        return shifted(found, by: slots[k].origin)
    }

    /// Finishes framing `k`'s chain and returns what it still held.
    private mutating func stop(_ k: Int) -> [ProtocolMessage] {
        guard slots[k].running else { return [] }
        let found = slots[k].finish()
        if gate != nil {
            slots[k].ax25 = nil
            slots[k].g3ruh = nil
            slots[k].pipeline = nil
        }
        return shifted(found, by: slots[k].origin)
    }

    /// Messages of a chain that began at `origin`, moved to positions in the whole input.
    private func shifted(_ messages: [ProtocolMessage], by origin: Int) -> [ProtocolMessage] {
        guard origin != 0 else { return messages }
        return messages.map { m in
            var m = m
            m.sample += origin
            m.time = Double(m.sample) / sampleRate
            return m
        }
    }

    /// Decodes a whole signal at once.
    public static func decode(
        _ samples: [Float], sampleRate: Double, protocols: [RealWorldProtocol],
        options: ProtocolReceiverOptions = .init()
    ) -> [ProtocolMessage] {
        var rx = ProtocolReceiver(protocols: protocols, sampleRate: sampleRate, options: options)
        var out: [ProtocolMessage] = []
        let block = 8192
        var i = 0
        while i < samples.count {
            let j = min(samples.count, i + block)
            out += samples.withUnsafeBufferPointer { rx.process(UnsafeBufferPointer(rebasing: $0[i..<j])) }
            i = j
        }
        return out + rx.finish()
    }
}
