import ChannelSimulator
import L1Physical
import L2DataLink
import SignalBasics

/// One "file" of a sweep: a few frames of random data at one Eb/N0, sent with silence
/// between them, noise added, decoded, and every frame found matched to the frame sent
/// at that place and counted.
struct ErrorRateBatch: Sendable {
    var pointIndex: Int
    var ebn0dB: Double
    var batch: Int
    var frames: Int

    /// The station the Ethernet frames are sent to, and from.
    static let receiverAddress = MACAddress(0x02, 0x53, 0x53, 0x00, 0x00, 0x02)
    static let senderAddress = MACAddress(0x02, 0x53, 0x53, 0x00, 0x00, 0x01)

    /// A seed for one purpose of this batch, from the sweep seed, the Eb/N0 value (not its
    /// index, so a point's results do not depend on the rest of the sweep) and the batch.
    func derivedSeed(_ seed: UInt64, purpose: UInt64) -> UInt64 {
        let key = UInt64(bitPattern: Int64((ebn0dB * 1000).rounded()))
        var z = seed
        for v in [key, UInt64(batch), purpose] {
            z = (z ^ v) &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
        }
        return z
    }

    /// The PHY payloads of this batch.
    func payloads(_ config: ErrorRateSweep.Config) throws(ErrorRateError) -> [[UInt8]] {
        var rng = SeededGenerator(seed: derivedSeed(config.seed, purpose: 1))
        var out = [[UInt8]]()
        for _ in 0..<frames {
            var data = [UInt8](repeating: 0, count: config.frameBytes)
            for i in data.indices { data[i] = UInt8(truncatingIfNeeded: rng.next()) }
            switch config.layer {
            case .phy:
                out.append(data)
            case .ethernet:
                let frame = EthernetFrame(
                    destination: Self.receiverAddress, source: Self.senderAddress,
                    etherType: .localExperimental1, payload: data)
                do { out.append(try frame.emit()) } catch { throw .ethernet("\(error)") }
            }
        }
        return out
    }

    /// Sends, impairs, decodes and counts.
    func run(_ config: ErrorRateSweep.Config) throws(ErrorRateError) -> ErrorRateCounts {
        let sent = try payloads(config)
        let rate = Double(config.sampleRate)
        let encoder = FrameEncoder(
            mode: config.mode, lineCode: config.lineCode, payloadCRC: config.layer == .phy, fec: config.fec)
        let modulator = FSKModulator(mode: config.mode, lineCode: config.lineCode, sampleRate: rate)
        let gap = Int(config.gapSeconds * rate)
        var audio = [Float](repeating: 0, count: gap)
        var starts = [Int]()
        for payload in sent {
            let symbols: [UInt8]
            do { symbols = try encoder.frame(payload: payload).symbols } catch { throw .physical(error) }
            starts.append(audio.count)
            audio += modulator.samples(symbols: symbols)
            audio += [Float](repeating: 0, count: gap)
        }
        let reference: BitRate =
            config.perPayloadBit
            ? .payloadBits(Double(8 * config.frameBytes * sent.count)) : .bitsPerSecond(config.mode.bitRate)
        let noise = Impairment.awgn(.ebN0(dB: ebn0dB, bitRate: reference))
        let noisy: [Float]
        do {
            noisy = try ChannelSimulator.apply(
                [noise], to: audio, sampleRate: config.sampleRate,
                seed: derivedSeed(config.seed, purpose: 2)
            ).output
        } catch { throw .channel("\(error)") }
        audio = []

        var options = Demodulator.Options()
        options.lineCode = config.lineCode
        let found: [DecodedFrame]
        do {
            let demod = try Demodulator(mode: config.mode, sampleRate: rate, options: options)
            found = demod.process(noisy) + demod.finish()
        } catch { throw .physical(error) }

        let tolerance = 8 * modulator.samplesPerSymbol
        return Self.count(found: found, sent: sent, starts: starts, tolerance: tolerance, layer: config.layer)
    }

    /// What one decoded frame amounts to after every check of `layer`.
    enum Outcome: Int, Comparable {
        case delivered = 0, notForMe, fcs, payloadCRC, runt, tooLong, truncated, phyHeaderError
        static func < (a: Outcome, b: Outcome) -> Bool { a.rawValue < b.rawValue }
    }

    static func outcome(_ frame: DecodedFrame, layer: ErrorRateLayer) -> Outcome {
        switch frame.status {
        case .headerError: return .phyHeaderError
        case .truncated: return .truncated
        case .payloadCRCMismatch: return .payloadCRC
        case .ok:
            guard layer == .ethernet else { return .delivered }
            let report = EthernetReceiver(address: receiverAddress).classify(frame.payload)
            if report.delivered != nil { return .delivered }
            switch report.status {
            case .ok: return .delivered
            case .fcsMismatch: return .fcs
            case .runt: return .runt
            case .tooLong: return .tooLong
            case .notForMe: return .notForMe
            }
        }
    }

    /// Matches each decoded frame to the sent frame starting within `tolerance` samples of
    /// it, keeps the best-passing find per sent frame, and counts.
    static func count(
        found: [DecodedFrame], sent: [[UInt8]], starts: [Int], tolerance: Double,
        layer: ErrorRateLayer
    ) -> ErrorRateCounts {
        var c = ErrorRateCounts()
        var best = [(frame: DecodedFrame, outcome: Outcome)?](repeating: nil, count: sent.count)
        var extras = [(frame: DecodedFrame, outcome: Outcome)]()
        for f in found {
            let o = outcome(f, layer: layer)
            var nearest: Int? = nil
            for (i, s) in starts.enumerated() where Double(abs(f.startSample - s)) <= tolerance {
                if let n = nearest, abs(starts[n] - f.startSample) <= abs(s - f.startSample) { continue }
                nearest = i
            }
            guard let i = nearest else { extras.append((f, o)); continue }
            if let b = best[i] {
                // Keep the find that got furthest; the other is a duplicate.
                if o < b.outcome { extras.append(b); best[i] = (f, o) } else { extras.append((f, o)) }
            } else {
                best[i] = (f, o)
            }
        }
        for (i, payload) in sent.enumerated() {
            let bits = payload.count * 8
            c.framesSent += 1
            c.bits += bits
            guard let b = best[i] else { c.notFound += 1; c.bitErrors += bits; continue }
            let got = b.frame.payload
            var wrong = 0
            for (x, y) in zip(got, payload) { wrong += (x ^ y).nonzeroBitCount }
            wrong += 8 * max(0, payload.count - got.count)
            c.bitErrors += wrong
            if got.count == payload.count {
                c.bitsInFound += bits
                c.bitErrorsInFound += wrong
            }
            switch b.outcome {
            case .delivered:
                if got == payload { c.deliveredOK += 1 } else { c.wrongDelivered += 1 }
            case .notForMe: c.notForMe += 1
            case .fcs: c.fcs += 1
            case .payloadCRC: c.payloadCRC += 1
            case .runt: c.runt += 1
            case .tooLong: c.tooLong += 1
            case .truncated: c.truncated += 1
            case .phyHeaderError: c.phyHeaderError += 1
            }
        }
        let sentSet = Set(sent)
        for e in extras {
            c.spurious += 1
            if e.outcome == .delivered, !sentSet.contains(e.frame.payload) { c.spuriousDelivered += 1 }
        }
        return c
    }
}
