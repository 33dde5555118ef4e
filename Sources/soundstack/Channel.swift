import ArgumentParser
import AudioIO
import ChannelSimulator
import Foundation
import L1Physical
import Measurements
import SoundStack

extension SoundStackCommand {
    struct Channel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "channel",
            abstract: "Pass a recording through a simulated channel: noise, drift, filters.",
            discussion: """
                White Gaussian noise is calibrated as Eb/N0 per data bit of the mode, exactly as the shared \
                benchmark's channel.py does (signal power over the non-silent part), so the numbers compare with \
                minimodem's and Dire Wolf's. Every step is seeded. Steps run in this order: drift, freq, echo, \
                phone, mulaw, pad, dropout, hum, burst, awgn, dc, gain.

                Examples:
                  soundstack channel clean.wav --output noisy.wav --ebn0 10 --seed 7
                  soundstack channel clean.wav -o bad.wav --ebn0 12 --drift 5000 --gain -30
                  soundstack channel clean.wav -o off.wav --ebn0 12 --freq-offset 20
                  soundstack channel in.wav -o phone.wav --spec "phone,mulaw,echo=30ms@-12db"
                  soundstack channel in.wav -o hiss.wav --spec "snr=25db@3khz,hum=60hz@-20db"
                """)

        @Argument(help: "Audio file to impair ('-' for stdin).")
        var input: String

        @Option(name: .shortAndLong, help: "Where to write the result ('-' for stdout).")
        var output: String

        @Option(parsing: .unconditional, help: "Noise as Eb/N0 in dB per data bit (-50…100).")
        var ebn0: Double?

        @Option(parsing: .unconditional, help: "Noise as SNR in dB per sample (-50…100).")
        var snr: Double?

        @Option(help: "Bit rate Eb refers to, 1…384000 (default: the mode's; without --mode the mode is detected).")
        var bitrate: Double?

        @Option(name: .shortAndLong, help: "Mode whose bit rate Eb refers to.")
        var mode: Mode?

        @Option(help: "Seed of every random choice.")
        var seed: UInt64 = 1

        @Option(parsing: .unconditional, help: "Sample-clock error in ppm (5000 = 0.5 %), -100000…100000.")
        var drift: Double?

        @Option(parsing: .unconditional, help: "Frequency offset in Hz, below the recording's Nyquist frequency.")
        var freqOffset: Double?

        @Option(
            parsing: .unconditional,
            help: "Gain in dB, -120…60, clipped at full scale (default: scale down only if it would clip).")
        var gain: Double?

        @Option(parsing: .unconditional, help: "DC offset, -1…1 (full scale = 1).")
        var dc: Double?

        @Option(
            help:
                "More steps as a spec: phone, mulaw, hum=60hz@-20db, echo=30ms@-6db, reverb=1s@6db, wow=0.5%@0.55hz, flutter=0.2%@7hz, burst=3x20ms, dropout=5x20ms, pad=250ms, …"
        )
        var spec: String?

        @Option(help: "Flip this many channel symbols inside each frame's payload (seeded places), 0…1000000.")
        var flipBits: Int = 0

        @Option(help: "Also put one burst of wrong symbols this many ms long (0…60000) inside each frame's payload.")
        var burst: Double = 0

        @Option(help: "Write the report as JSON here.")
        var json: String?

        @Option(help: "Output sample encoding (default pcm16).")
        var encoding: AudioEncoding?

        @Flag(name: .shortAndLong, help: "Say nothing on stderr.")
        var quiet = false

        func validate() throws {
            if ebn0 != nil && snr != nil { throw ValidationError("give --ebn0 or --snr, not both") }
            try require(ebn0, in: OptionRange.decibels, "--ebn0")
            try require(snr, in: OptionRange.decibels, "--snr")
            try require(bitrate, in: 1...384_000, "--bitrate")
            try require(drift, in: -100_000...100_000, "--drift")
            try require(
                freqOffset, in: -OptionRange.frequency.upperBound...OptionRange.frequency.upperBound, "--freq-offset")
            try require(gain, in: -120...60, "--gain")
            try require(dc, in: -1...1, "--dc")
            try require(flipBits, in: 0...1_000_000, "--flip-bits")
            try require(burst, in: 0...60_000, "--burst")
            if let s = spec {
                do { _ = try ChannelSpec.parse(s) } catch { throw ValidationError("--spec: \(error)") }
            }
            try OutputPaths.refuseOverlap(outputs: [output, json], inputs: [input])
        }

        func run() throws {
            var reader = try AudioFileReader(path: input, channel: .auto)
            let rate = reader.sampleRate
            let x = try AudioFile.readAll(&reader)
            var steps = [Impairment]()
            var parsedSeed = seed
            if let s = spec {
                let parsed = try ChannelSpec.parse(s)
                steps += parsed.impairments
                if s.lowercased().contains("seed=") { parsedSeed = parsed.seed }
            }
            if let d = drift { steps.append(.clockDrift(ppm: d)) }
            if let f = freqOffset { steps.append(.frequencyOffset(hertz: f)) }
            if let d = dc { steps.append(.dcOffset(d)) }
            if let g = gain { steps.append(.gain(dB: g)) }
            var rateNote = ""
            if let e = ebn0 {
                let (r, how) = try bitRateForEb(samples: x, sampleRate: rate)
                rateNote = how
                steps.append(.awgn(.ebN0(dB: e, bitRate: .bitsPerSecond(r))))
            } else if let s = snr {
                steps.append(.awgn(.snr(dB: s, bandwidth: nil)))
            }
            // A spec's Eb/N0 without a rate gets the mode's.
            if steps.contains(where: {
                if case .awgn(.ebN0(_, nil)) = $0 { return true }; return false
            }) {
                let (r, how) = try bitRateForEb(samples: x, sampleRate: rate)
                rateNote = how
                steps = ChannelSpec(impairments: steps).withDefaultBitRate(r).impairments
            }
            steps = Impairment.defaultOrder(steps)
            var flipped = x
            var flips = [SymbolFlipper.Flip]()
            if flipBits > 0 || burst > 0 {
                flips = try SymbolFlipper(flipsPerFrame: flipBits, burstSeconds: burst / 1000, seed: parsedSeed)
                    .apply(to: &flipped, sampleRate: rate)
                if flips.isEmpty { throw ValidationError("--flip-bits/--burst: no SoundStack frame found to damage") }
            }
            var (y, report) = try ChannelSimulator.apply(steps, to: flipped, sampleRate: rate, seed: parsedSeed)
            // Like channel.py: without an explicit gain, scale down only if it would clip.
            var scaled = ""
            if gain == nil, let peak = y.lazy.map({ abs($0) }).max(), peak >= 0.999 {
                let g = 0.9 / peak
                for i in y.indices { y[i] *= g }
                scaled = String(format: "scaled by %.2f dB to avoid clipping", 20 * log10(Double(g)))
                report.clippedSamples = 0
            }
            let enc = encoding
            var writer = try AudioFileWriter(path: output, sampleRate: rate, channels: 1, encoding: enc)
            try writer.write(y)
            try writer.close()
            if let path = json {
                let e = JSONEncoder()
                e.outputFormatting = [.sortedKeys]
                try AtomicFile.write(Array(e.encode(report)), to: path)
            }
            if !quiet {
                if !rateNote.isEmpty { note(rateNote) }
                if !flips.isEmpty {
                    note(
                        "flipped \(flips.count) symbol\(flips.count == 1 ? "" : "s"): "
                            + flips.prefix(12).map(\.description).joined(separator: "; ")
                            + (flips.count > 12 ? "; …" : ""))
                }
                for line in report.summaryLines { note(line) }
                if !scaled.isEmpty { note(scaled) }
            }
        }

        /// The bit rate Eb refers to, and how it was chosen.
        func bitRateForEb(samples: [Float], sampleRate: Int) throws -> (Double, String) {
            if let r = bitrate { return (r, "Eb per bit at \(r) bit/s (--bitrate)") }
            if let m = mode {
                return (m.bitRate, "Eb per data bit of \(m.name): \(Int(m.bitRate)) bit/s")
            }
            // Detect the mode by decoding.
            let modes = Mode.all.filter {
                (try? $0.validate(sampleRate: Double(sampleRate), lineCode: $0.defaultLineCode)) != nil
            }
            let rx = try PhysicalReceiver(modes: modes, lineCode: nil, sampleRate: Double(sampleRate))
            var found = samples.withUnsafeBufferPointer { rx.process($0) }
            found += rx.finish()
            guard let m = rx.lockedMode ?? found.first?.mode else {
                throw ValidationError(
                    "cannot tell the bit rate Eb refers to: no SoundStack frame found; give --mode or --bitrate")
            }
            return (m.bitRate, "Eb per data bit of \(m.name) (detected): \(Int(m.bitRate)) bit/s")
        }
    }
}
