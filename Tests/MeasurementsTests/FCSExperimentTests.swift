import Foundation
import L2DataLink
import Measurements
import Testing

@Suite struct FCSExperimentTests {
    @Test func guaranteedDetectionsHold() {
        let report = FCSExperiment.run(
            frames: 1000, payloadSizes: [46, 1500],
            errorModels: FCSExperiment.ErrorModel.standard, seed: 2026)
        #expect(report.results.count == 16)
        #expect(report.guaranteesHeld)
        for r in report.results {
            #expect(r.frames == 1000)
            #expect(r.detected + r.undetected == r.corrupted)
            switch r.model {
            case .bitFlips(let n):
                #expect(r.corrupted == 1000 && r.bitErrors == 1000 * n)
            case .burst(let lengths):
                #expect(r.corrupted == 1000)
                #expect(r.bitErrors >= 1000 * 2 && r.bitErrors <= 1000 * lengths.upperBound)
            case .randomBits:
                break
            }
            // 2^-32 per corrupted frame: none expected in this many.
            #expect(r.undetected == 0, "\(r)")
        }
        // BER 1e-2 on a 1518-byte frame corrupts every frame; 1e-4 on 64 bytes only some (~5%).
        let heavy = report.results.first { $0.model == .randomBits(ber: 1e-2) && $0.payloadSize == 1500 }
        #expect(heavy?.corrupted == 1000)
        let light = report.results.first { $0.model == .randomBits(ber: 1e-4) && $0.payloadSize == 46 }
        #expect((10...120).contains(light?.corrupted ?? -1))
        #expect(report.framesPerSecond > 0)
    }

    @Test func sameSeedSameCounts() {
        let models: [FCSExperiment.ErrorModel] = [.randomBits(ber: 1e-3), .burst(lengths: 33...64)]
        let a = FCSExperiment.run(frames: 500, payloadSizes: [100], errorModels: models, seed: 5)
        let b = FCSExperiment.run(frames: 500, payloadSizes: [100], errorModels: models, seed: 5)
        let c = FCSExperiment.run(frames: 500, payloadSizes: [100], errorModels: models, seed: 6)
        #expect(a.results == b.results)
        #expect(a.results != c.results)
    }

    @Test func edgeArguments() {
        let r = FCSExperiment.run(
            frames: 10, payloadSizes: [-5, 9000],
            errorModels: [.randomBits(ber: 0), .bitFlips(count: 0), .burst(lengths: 1...1)], seed: 1)
        #expect(r.results.map(\.payloadSize) == [0, 0, 0, 1500, 1500, 1500])
        #expect(r.results.map(\.corrupted) == [0, 0, 10, 0, 0, 10])
        #expect(r.results.allSatisfy { $0.undetected == 0 })
        #expect(
            FCSExperiment.run(frames: 0, payloadSizes: [46], errorModels: [.bitFlips(count: 1)], seed: 1)
                .results.first?.corrupted == 0)
    }

    @Test func modelDescriptions() {
        #expect(FCSExperiment.ErrorModel.burst(lengths: 2...32).description == "burst 2…32 bits")
        #expect(FCSExperiment.ErrorModel.bitFlips(count: 2).description == "2-bit flip")
        #expect(FCSExperiment.ErrorModel.burst(lengths: 2...32).detectionGuaranteed)
        #expect(!FCSExperiment.ErrorModel.burst(lengths: 33...256).detectionGuaranteed)
    }
}

/// Throughput and full counts, run only when asked:
/// `L2_BENCH_FRAMES=100000 swift test --filter FCSExperimentBenchmark` (add `-c release` for release speed).
@Suite struct FCSExperimentBenchmark {
    static let frames = Int(ProcessInfo.processInfo.environment["L2_BENCH_FRAMES"] ?? "") ?? 0

    @Test(.enabled(if: frames > 0, "opt-in benchmark: set L2_BENCH_FRAMES"))
    func benchmark() {
        let report = FCSExperiment.run(
            frames: Self.frames, payloadSizes: [46, 512, 1500],
            errorModels: FCSExperiment.ErrorModel.standard, seed: 1)
        for r in report.results { print(r) }
        print("MAC", MACAddress.stable(from: "alice"))
        print(String(format: "%.0f frames/s, %.2f s", report.framesPerSecond, report.seconds))
        #expect(report.guaranteesHeld)
        // The README's figure: not one corrupted frame of any model passed the FCS.
        #expect(report.results.allSatisfy { $0.undetected == 0 })
    }
}
