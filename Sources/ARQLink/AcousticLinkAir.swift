import ChannelSimulator
import L1Physical
import L2DataLink
import SoundStack

/// The medium between the two stations: Ethernet frames out as one audio transmission, that
/// audio through the channel simulator, and the real demodulator (layers 1–2) at the far end.
///
///     let air = try LinkAir(physical: config, channel: spec)
///     let burst = try air.transmit(frames, from: ends)            // audio and where each frame sits
///     let heard = try air.hear(burst, seed: 7, station: farMAC)   // after the channel, demodulated
///     heard.statuses   // per frame sent: "ok", "fcs-mismatch", "not-found", …
struct LinkAir {
    /// One transmission: the clean audio and the sample range of each frame in it.
    struct Burst {
        var frames: [[UInt8]]
        var audio: [Float]
        var spans: [Range<Int>]
        var seconds: Double
    }

    /// What the receiving station made of one transmission.
    struct Hearing {
        /// The audio as the receiver heard it (after the channel).
        var audio: [Float]
        var reports: [LinkFrameReport]
        var deliveries: [LinkDelivery]
        /// For each frame sent, in order: the receiver's verdict and its detail.
        var statuses: [SentFrameVerdict]
        /// The channel as applied to this transmission (its own seed), nil for a clean one.
        var channel: ChannelSpec?

        var lost: Int { statuses.reduce(0) { $0 + ($1.isOK ? 0 : 1) } }

        /// The receiver's estimate of the channel: the mean Eb/N0 (dB, per data bit of the mode)
        /// of the frames it heard intact; nil when it heard none.
        var ebn0dB: Double? {
            let values = reports.filter(\.isOK).map(\.phy.frame.ebn0dB).filter(\.isFinite)
            return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        }
    }

    let physical: PhysicalConfig
    /// The channel with the mode's bit rate for Eb/N0.
    let channel: ChannelSpec?

    init(physical: PhysicalConfig, channel: ChannelSpec?) throws(AcousticLinkError) {
        var phy = physical
        phy.payloadCRC = false
        do { _ = try PhysicalTransmitter(phy) } catch { throw .configuration("physical layer: \(error)") }
        self.physical = phy
        let spec = channel?.withDefaultBitRate(phy.mode.bitRate(lineCode: phy.lineCode))
        for step in spec?.impairments ?? [] {
            do { try step.validate(sampleRate: phy.sampleRate) } catch { throw .configuration("channel: \(error)") }
        }
        self.channel = spec
    }

    /// Layer 1 for `frames`: one transmission, lead silence and gaps included, every frame
    /// with the forward error correction `fec`.
    func transmit(_ frames: [[UInt8]], from endpoints: StackEndpoints, fec: FECScheme = .none) throws(AcousticLinkError)
        -> Burst
    {
        var audio: [Float] = []
        var spans: [Range<Int>] = []
        var phy = physical
        phy.fec = fec
        do {
            _ = try StackTransmitter(endpoints: endpoints).transmit(frames, physical: phy) { chunk in
                if chunk.contains(where: { $0 != 0 }) { spans.append(audio.count..<(audio.count + chunk.count)) }
                audio += chunk
            }
        } catch { throw .configuration("physical layer: \(error)") }
        return Burst(
            frames: frames, audio: audio, spans: spans, seconds: Double(audio.count) / Double(physical.sampleRate))
    }

    /// The channel (seeded with `seed`), then layers 1–2 of the station at `station`.
    func hear(_ burst: Burst, seed: UInt64, station: MACAddress) throws(AcousticLinkError) -> Hearing {
        var heard = burst.audio
        var applied: ChannelSpec?
        if var spec = channel {
            spec.seed = seed
            do {
                heard = try ChannelSimulator.apply(spec, to: burst.audio, sampleRate: physical.sampleRate).output
            } catch { throw .configuration("channel: \(error)") }
            applied = spec
        }
        let link: LinkReceiver
        do {
            link = LinkReceiver(
                physical: try PhysicalReceiver(
                    modes: [physical.mode], lineCode: physical.lineCode,
                    sampleRate: Double(physical.sampleRate)),
                station: EthernetReceiver(address: station))
        } catch { throw .configuration("physical layer: \(error)") }
        var reception = heard.withUnsafeBufferPointer { link.process($0) }
        reception.append(link.finish())
        return Hearing(
            audio: heard, reports: reception.reports, deliveries: reception.deliveries,
            statuses: Self.match(reception.reports, to: burst, heardCount: heard.count), channel: applied)
    }

    /// Which report belongs to which frame sent: good frames by their bytes, the others by where
    /// they sit in time (shifted as the good ones are, e.g. by padding). Frames no report
    /// belongs to were not found at all.
    static func match(_ reports: [LinkFrameReport], to burst: Burst, heardCount: Int) -> [SentFrameVerdict] {
        var statuses = [SentFrameVerdict](
            repeating: SentFrameVerdict(status: nil, detail: "no frame found here"),
            count: burst.frames.count)
        var shifts: [Int] = []
        var placed = Set<Int>()
        for report in reports where report.isOK {
            guard
                let i = burst.frames.indices.first(where: {
                    !placed.contains($0) && burst.frames[$0] == report.phy.frame.payload
                })
            else { continue }
            placed.insert(i)
            statuses[i] = SentFrameVerdict(status: report.status, detail: report.detail)
            shifts.append(report.phy.frame.startSample - burst.spans[i].lowerBound)
        }
        let shift = shifts.isEmpty ? (heardCount - burst.audio.count) / 2 : shifts.sorted()[shifts.count / 2]
        for report in reports where !report.isOK {
            let mid = (report.phy.frame.startSample + report.phy.frame.endSample) / 2 - shift
            let nearest = burst.spans.indices.min { a, b in
                distance(mid, burst.spans[a]) < distance(mid, burst.spans[b])
            }
            guard let i = nearest, !placed.contains(i) else { continue }
            placed.insert(i)
            statuses[i] = SentFrameVerdict(status: report.status, detail: report.detail)
        }
        return statuses
    }

    private static func distance(_ x: Int, _ r: Range<Int>) -> Int {
        r.contains(x) ? 0 : (x < r.lowerBound ? r.lowerBound - x : x - r.upperBound + 1)
    }
}

/// What the receiver made of one frame sent: the report that belongs to it, or none.
struct SentFrameVerdict: Sendable {
    /// The verdict of the report that belongs to this frame; nil when no frame was found there.
    var status: LinkFrameStatus?
    /// The verdict with its numbers, for people.
    var detail: String

    /// Whether the frame arrived with every check passed.
    var isOK: Bool { status?.isOK ?? false }

    /// `ok`, `fcs-mismatch`, `phy-header-error`, `truncated`, …, or `not-found`.
    var tag: String { status?.tag ?? "not-found" }
}
