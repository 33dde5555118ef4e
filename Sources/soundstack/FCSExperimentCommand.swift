import ArgumentParser
import Foundation
import L2DataLink
import Measurements

extension SoundStackCommand {
    struct FCSExperimentCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fcs-experiment",
            abstract: "How often does a damaged Ethernet frame pass its CRC-32? Count it.",
            usage: "soundstack fcs-experiment [<options>]",
            discussion: """
                Builds random Ethernet frames, damages them (random bit errors at several rates, exactly 1, 2 or 3 \
                flipped bits, bursts of 2–32 bits, longer bursts) and counts the frames whose FCS still matches \
                with wrong content. CRC-32 guarantees none for 1–3 bit errors and bursts up to 32 bits; for the \
                rest about 2^-32 of frames.

                Examples:
                  soundstack fcs-experiment --frames 10000
                  soundstack fcs-experiment --frames 100000 --sizes 64,1500
                """)

        @Option(help: "Frames per payload size and error model (1…100000000).")
        var frames: Int = 10_000

        @Option(help: "Payload sizes in bytes, comma-separated (46…1500).")
        var sizes: String = "46,512,1500"

        @Option(help: "Seed.")
        var seed: UInt64 = 1

        func validate() throws {
            try require(frames, in: OptionRange.frames, "--frames")
            _ = try sizeList()
        }

        /// The `--sizes` list: whole numbers 46…1500.
        func sizeList() throws -> [Int] {
            let list = sizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !list.isEmpty, list.allSatisfy({ $0.map { (46...1500).contains($0) } == true }) else {
                throw ValidationError("--sizes: payload sizes 46…1500, comma-separated, not '\(sizes)'")
            }
            return list.compactMap { $0 }
        }

        func run() throws {
            let list = try sizeList()
            let report = FCSExperiment.run(
                frames: frames, payloadSizes: list,
                errorModels: FCSExperiment.ErrorModel.standard, seed: seed)
            for r in report.results { print(r) }
            let total = report.results.reduce(0) { $0 + $1.frames }
            let corrupted = report.results.reduce(0) { $0 + $1.corrupted }
            let undetected = report.results.reduce(0) { $0 + $1.undetected }
            print(
                "\(total) frames, \(corrupted) corrupted, \(undetected) passed the FCS with wrong content; "
                    + String(format: "%.0f frames/s", report.framesPerSecond))
            print(
                report.guaranteesHeld
                    ? "guarantees held: no undetected error for 1–3 bit errors or bursts ≤ 32 bits"
                    : "GUARANTEE BROKEN: an error CRC-32 must detect went through")
            if !report.guaranteesHeld { throw ExitCode(3) }
        }
    }
}
