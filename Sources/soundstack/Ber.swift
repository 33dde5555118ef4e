import ArgumentParser
import AudioIO
import Foundation
import L1Physical
import Measurements
import Plots
import SoundStack

extension SoundStackCommand {
    /// `soundstack ber`: error-rate sweeps against Eb/N0, next to the theory.
    struct Ber: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ber",
            abstract: "Measure bit and frame error rates against Eb/N0, next to theory.",
            discussion: """
                For each Eb/N0 point, --frames random frames are sent as audio (batches of up to 30 s, silence \
                between frames), white Gaussian noise is added at that Eb/N0 per data bit of the mode (calibrated \
                like the shared bench's channel.py), and the recording is decoded.

                Every frame sent ends in one bucket: delivered intact; not found (no sync); phy-header-error \
                (header CRC-8); caught by the payload CRC-32 (--layer phy) or by the Ethernet FCS (--layer \
                ethernet; also runt, too-long, not-for-me); truncated; or WRONG: passed every check with damaged \
                content. WRONG must stay 0.

                BER is counted before any check, per data bit (a frame not found, or whose header failed, counts \
                all its bits as wrong); "BER found" counts only frames found with the right length. Theory: \
                non-coherent M-FSK for the mode's tone count, coherent BFSK for reference, FER = 1 - (1 - BER)^bits \
                for the frame's checked bits. At the end: the measured gap to theory at BER 1e-3 (log10 BER \
                interpolated in dB).

                With --layer ethernet, --frame-bytes is the Ethernet payload (46…1500 is a legal frame; shorter \
                payloads are padded), sent as the PHY payload with the PHY CRC off. --mode and --frame-bytes take \
                comma lists: one sweep for each pair. Results depend only on --seed and each point's Eb/N0, not on \
                --jobs. The exit code is 3 if any damaged frame was delivered as good.

                --fec sends coded frames (see `soundstack modes`), one sweep per scheme; Eb/N0 is then per \
                payload bit: the energy of the whole frame (preamble, header, parity, CRC) over the payload's \
                bits, as the shared bench's channel.py --payload-bits, so coded and uncoded curves compare fairly. \
                BER is counted after decoding. Each sweep ends with the Eb/N0 from which 99 % of frames arrive.

                Examples:
                  soundstack ber --mode fsk1200 --ebn0 6:14:1 --frames 200
                  soundstack ber --layer ethernet --frame-bytes 64,512,1500 --frames 120
                  soundstack ber --layer ethernet --csv fer.csv --plot fer.svg
                  soundstack ber --mode fsk1200,mfsk4,mfsk16 --ebn0 4:13:1 --json ber.json
                  soundstack ber -m mfsk16 --fec none,cc1/2 --frame-bytes 256 --ebn0 3:12:.5
                  soundstack plot --kind ber --csv fer.csv -o fer.png
                """)

        @Option(name: .shortAndLong, help: "Modulation mode(s), comma-separated (see `soundstack modes`).")
        var mode: String = "fsk1200"

        @Option(
            name: .customLong("line-code"),
            help: "Line code: nrz, nrzi, manchester or diff-manchester. Default: the mode's.")
        var lineCode: String?

        @Option(help: "Eb/N0 points in dB (above -20, below 100): a:b:step or a comma list.")
        var ebn0: String = "6:14:1"

        @Option(
            name: .customLong("frame-bytes"),
            help:
                "Payload bytes per frame, 1…65535 (the Ethernet payload with --layer ethernet); a comma list for several sweeps."
        )
        var frameBytes: String = "64"

        @Option(
            help:
                "Forward error correction, a comma list (see `soundstack modes`): one sweep each. Eb/N0 is then per payload bit."
        )
        var fec: String?

        @Option(help: "Frames sent per Eb/N0 point (1…100000000).")
        var frames: Int = 100

        @Option(help: "Where the frames are checked: phy (CRC-8 header, CRC-32 payload) or ethernet (FCS).")
        var layer: ErrorRateLayer = .phy

        @Option(help: "Seed of the payloads and of the noise.")
        var seed: UInt64 = 1

        @Option(help: "Worker threads, 1…1024 (default: active processors).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(name: .customLong("sample-rate"), help: "Audio sample rate in Hz (8000…384000).")
        var sampleRate: Int = 48000

        @Option(help: "Write the points as CSV here (readable by `soundstack plot --kind ber`).")
        var csv: String?

        @Option(help: "Write the results as JSON here.")
        var json: String?

        @Option(help: "Draw the curves with theory here (.svg or .png).")
        var plot: String?

        @Flag(name: .shortAndLong, help: "No progress and no table; files only (a damaged delivery is still reported).")
        var quiet = false

        func validate() throws {
            try OutputPaths.refuseOverlap(outputs: [csv, json, plot], inputs: [])
            for m in modeNames where Mode.named(m) == nil {
                throw ValidationError("unknown mode '\(m)'; `soundstack modes` lists them")
            }
            if let c = lineCode { _ = try LineCode(name: c) }
            let points: [Double]
            do { points = try ErrorRateSweep.points(ebn0) } catch { throw ValidationError("--ebn0: \(error)") }
            for p in points where !(p > -20 && p < 100) {
                throw ValidationError("--ebn0 points must be above -20 and below 100 dB, not \(p)")
            }
            let sizes = try sizes()
            if sizes.isEmpty { throw ValidationError("--frame-bytes: give at least one size") }
            for size in sizes { try require(size, in: 1...65_535, "--frame-bytes") }
            try require(frames, in: OptionRange.frames, "--frames")
            try require(jobs, in: OptionRange.jobs, "--jobs")
            try require(sampleRate, in: OptionRange.sampleRate, "--sample-rate")
            if let p = plot { _ = try ImageFormat(path: p) }
            _ = try schemes()
        }

        /// The `--fec` schemes; `[none]` without the option.
        func schemes() throws -> [FECScheme] {
            guard let fec else { return [.none] }
            let list = try fec.split(separator: ",").map {
                let name = $0.trimmingCharacters(in: .whitespaces)
                guard let s = FECScheme(name: name) else {
                    throw ValidationError(
                        "--fec: unknown scheme '\(name)'; use " + FECScheme.allCases.map(\.name).joined(separator: ", ")
                    )
                }
                return s
            }
            if list.isEmpty { throw ValidationError("--fec: give at least one scheme") }
            return list
        }

        var modeNames: [String] { mode.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

        func sizes() throws -> [Int] {
            try frameBytes.split(separator: ",").map {
                guard let n = Int($0.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--frame-bytes: '\($0)' is not a whole number")
                }
                return n
            }
        }

        func run() throws {
            let points = try ErrorRateSweep.points(ebn0)
            let code = try lineCode.map { try LineCode(name: $0) }
            var configs = [ErrorRateSweep.Config]()
            for name in modeNames {
                guard let m = Mode.named(name) else { throw PhysicalLayerError.unknownMode(name) }
                for size in try sizes() {
                    for scheme in try schemes() {
                        configs.append(
                            try ErrorRateSweep.Config(
                                mode: m, lineCode: code, ebn0Points: points, frameBytes: size,
                                framesPerPoint: frames, layer: layer, seed: seed,
                                sampleRate: sampleRate, jobs: jobs, fec: scheme, perPayloadBit: fec != nil))
                    }
                }
            }
            let showProgress = !quiet && isatty(STDERR_FILENO) != 0
            var results = [ErrorRateSweepResult]()
            for (k, config) in configs.enumerated() {
                let tag =
                    "[\(k + 1)/\(configs.count)] \(config.mode.name) \(config.layer.rawValue) \(config.frameBytes) B"
                    + (config.fec == .none ? "" : " \(config.fec.name)")
                let started = Date()
                let result = try ErrorRateSweep.run(config) { done, all in
                    guard showProgress else { return }
                    FileHandle.standardError.write(Data("\r\(tag): batch \(done)/\(all)\u{1B}[K".utf8))
                }
                if showProgress {
                    FileHandle.standardError.write(
                        Data(
                            String(
                                format: "\r\(tag): done in %.1f s\u{1B}[K\n",
                                Date().timeIntervalSince(started)
                            ).utf8))
                }
                results.append(result)
            }
            if !quiet { print(ErrorRateReport.table(results), terminator: "") }
            if let path = csv { try write(ErrorRateReport.csv(results), to: path) }
            if let path = json { try write(try ErrorRateReport.json(results), to: path) }
            if let path = plot {
                try AtomicFile.write(ErrorRateReport.chart(results).encoded(as: ImageFormat(path: path)), to: path)
            }
            let bad = results.reduce(0) { $0 + $1.totals.damagedDelivered }
            if bad > 0 {
                note("soundstack ber: \(bad) DAMAGED FRAME(S) DELIVERED AS GOOD — a check let errors through")
                throw ExitCode(3)
            }
        }

        func write(_ text: String, to path: String) throws {
            try AtomicFile.write(Array(text.utf8), to: path)
        }
    }
}

extension ErrorRateLayer: ExpressibleByArgument {}
