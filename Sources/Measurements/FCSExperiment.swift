import Checksums
import Foundation
import L2DataLink
import SignalBasics

/// How often a corrupted Ethernet frame still passes its CRC-32 check.
///
/// For each payload size and error model it builds `frames` random frames (random
/// addresses and payload, EtherType 0x88B5, padding, FCS), corrupts each one in place
/// and checks the FCS again. A frame whose bits changed but whose FCS still matches is
/// an *undetected error*. Bits are numbered in transmission order — byte by byte, least
/// significant bit first, FCS included — so a burst is a run of consecutive bits on the
/// wire, which is what the CRC's guarantees are about:
///
/// - every error of 1, 2 or 3 bits is detected (Hamming distance 4 at these lengths);
/// - every burst of 32 bits or fewer is detected;
/// - anything else slips through with probability about 2⁻³² ≈ 2.3 × 10⁻¹⁰.
///
///     let report = FCSExperiment.run(frames: 100_000, payloadSizes: [46, 1500],
///                                    errorModels: FCSExperiment.ErrorModel.standard, seed: 1)
///     for r in report.results { print(r) }
///
/// Deterministic: the same arguments give the same counts.
public enum FCSExperiment {
    /// How the bits of a frame are corrupted.
    public enum ErrorModel: Sendable, Hashable, CustomStringConvertible {
        /// Each bit flips independently with probability `ber` (some frames stay intact).
        case randomBits(ber: Double)
        /// Exactly `count` distinct bits flip (at most 64).
        case bitFlips(count: Int)
        /// One burst per frame, its length in bits drawn uniformly from `lengths`: the
        /// first and last bit of the burst flip, each bit inside flips with probability ½.
        case burst(lengths: ClosedRange<Int>)

        /// BER 10⁻⁴, 10⁻³, 10⁻²; 1, 2, 3 bit flips; bursts of 2…32 bits; bursts of 33…256 bits.
        public static let standard: [ErrorModel] = [
            .randomBits(ber: 1e-4), .randomBits(ber: 1e-3), .randomBits(ber: 1e-2),
            .bitFlips(count: 1), .bitFlips(count: 2), .bitFlips(count: 3),
            .burst(lengths: 2...32), .burst(lengths: 33...256)
        ]

        /// Whether CRC-32 guarantees to detect every error of this model.
        public var detectionGuaranteed: Bool {
            switch self {
            case .randomBits: return false
            case .bitFlips(let n): return n >= 1 && n <= 3
            case .burst(let lengths): return lengths.upperBound <= 32
            }
        }

        public var description: String {
            switch self {
            case .randomBits(let ber): return "random bits BER \(ber)"
            case .bitFlips(let n): return "\(n)-bit flip"
            case .burst(let r): return "burst \(r.lowerBound)…\(r.upperBound) bits"
            }
        }
    }

    /// The counts for one payload size under one error model.
    public struct Result: Sendable, Hashable, CustomStringConvertible {
        /// How the frames were corrupted.
        public let model: ErrorModel
        /// Payload bytes per frame.
        public let payloadSize: Int
        /// Frames built and checked.
        public let frames: Int
        /// Frames in which at least one bit changed.
        public let corrupted: Int
        /// Corrupted frames whose FCS no longer matched.
        public let detected: Int
        /// Corrupted frames whose FCS still matched: wrong content accepted as good.
        public let undetected: Int
        /// Bits flipped over all frames.
        public let bitErrors: Int

        /// Undetected errors per corrupted frame (0 when none were corrupted).
        public var undetectedRate: Double { corrupted == 0 ? 0 : Double(undetected) / Double(corrupted) }

        public var description: String {
            "\(model), payload \(payloadSize): \(frames) frames, \(corrupted) corrupted, "
                + "\(detected) detected, \(undetected) undetected"
        }
    }

    /// All results of one run and how long it took.
    public struct Report: Sendable {
        /// One result per error model and payload size.
        public let results: [Result]
        /// The seed the corruptions were drawn from.
        public let seed: UInt64
        /// Wall-clock time of the run.
        public let seconds: Double
        /// Frames built, corrupted and checked per second.
        public var framesPerSecond: Double {
            seconds > 0 ? Double(results.reduce(0) { $0 + $1.frames }) / seconds : 0
        }
        /// Whether every model that CRC-32 guarantees to detect was detected every time.
        public var guaranteesHeld: Bool {
            results.allSatisfy { !$0.model.detectionGuaranteed || $0.undetected == 0 }
        }
    }

    /// Runs the experiment.
    /// - Parameters:
    ///   - frames: frames per payload size and error model.
    ///   - payloadSizes: payload lengths in bytes, clamped to 0…1500 (short ones are padded to 46).
    ///   - errorModels: the corruptions to apply.
    ///   - seed: the PRNG seed; the same seed gives the same counts.
    /// - Complexity: O(frames × sizes × models × frame length); no allocation per frame.
    public static func run(
        frames: Int, payloadSizes: [Int] = [46, 512, 1500],
        errorModels: [ErrorModel] = ErrorModel.standard, seed: UInt64 = 1
    ) -> Report {
        var rng = SeededGenerator(seed: seed)
        var buffer = [UInt8](repeating: 0, count: EthernetFrame.maximumFrameLength)
        var positions = [Int](repeating: 0, count: 64)
        var results: [Result] = []
        let clock = ContinuousClock()
        let start = clock.now
        for size in payloadSizes {
            let payload = min(max(size, 0), EthernetFrame.mtu)
            let length =
                EthernetFrame.headerLength + max(payload, EthernetFrame.minimumPayload) + EthernetFrame.fcsLength
            for model in errorModels {
                let result = buffer.withUnsafeMutableBufferPointer { buf in
                    positions.withUnsafeMutableBufferPointer { pos in
                        trial(
                            model: model, payload: payload, length: length, frames: max(frames, 0),
                            frame: buf, positions: pos, rng: &rng)
                    }
                }
                results.append(result)
            }
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return Report(results: results, seed: seed, seconds: seconds)
    }

    /// Builds, corrupts and checks `frames` frames of one size under one model.
    static func trial(
        model: ErrorModel, payload: Int, length: Int, frames: Int,
        frame: UnsafeMutableBufferPointer<UInt8>, positions: UnsafeMutableBufferPointer<Int>,
        rng: inout SeededGenerator
    ) -> Result {
        let bits = length * 8
        let body = length - EthernetFrame.fcsLength
        let dataEnd = EthernetFrame.payloadOffset + payload
        var corrupted = 0, detected = 0, undetected = 0, bitErrors = 0
        for i in dataEnd..<body { frame[i] = 0 }  // padding stays zero

        @inline(__always) func flip(_ bit: Int) {
            frame[bit >> 3] ^= UInt8(1) << UInt8(bit & 7)
        }

        for _ in 0..<frames {
            // Build: random addresses and payload, EtherType 0x88B5, FCS.
            var i = 0
            while i < dataEnd {
                var word = rng.next()
                let stop = min(i + 8, dataEnd)
                while i < stop { frame[i] = UInt8(truncatingIfNeeded: word); word >>= 8; i += 1 }
            }
            frame[12] = 0x88
            frame[13] = 0xB5
            var crc = CRC32()
            crc.update(buffer: UnsafeBufferPointer(rebasing: frame[0..<body]))
            let fcs = crc.value
            frame[body] = UInt8(truncatingIfNeeded: fcs)
            frame[body + 1] = UInt8(truncatingIfNeeded: fcs >> 8)
            frame[body + 2] = UInt8(truncatingIfNeeded: fcs >> 16)
            frame[body + 3] = UInt8(truncatingIfNeeded: fcs >> 24)

            // Corrupt, counting distinct flipped bits.
            var flips = 0
            switch model {
            case .randomBits(let ber):
                guard ber > 0 else { break }
                if ber >= 1 {
                    for b in 0..<bits { flip(b) }
                    flips = bits
                    break
                }
                let scale = 1 / log1p(-ber)
                var bit = -1
                while true {
                    let gap = (log(rng.unitOpenZero()) * scale).rounded(.down)
                    guard gap < Double(bits) else { break }
                    bit += Int(gap) + 1
                    guard bit < bits else { break }
                    flip(bit)
                    flips += 1
                }
            case .bitFlips(let count):
                let n = min(max(count, 0), min(bits, positions.count))
                for k in 0..<n {
                    var b: Int
                    repeat { b = rng.below(bits) } while (0..<k).contains { positions[$0] == b }
                    positions[k] = b
                    flip(b)
                }
                flips = n
            case .burst(let lengths):
                let lo = min(max(lengths.lowerBound, 1), bits), hi = min(max(lengths.upperBound, lo), bits)
                let span = lo + rng.below(hi - lo + 1)
                let first = rng.below(bits - span + 1)
                flip(first)
                flips = 1
                if span > 1 {
                    flip(first + span - 1)
                    flips += 1
                    var word: UInt64 = 0
                    for k in 1..<(span - 1) {
                        if (k - 1) & 63 == 0 { word = rng.next() }
                        if word & 1 != 0 { flip(first + k); flips += 1 }
                        word >>= 1
                    }
                }
            }
            guard flips > 0 else { continue }

            // Check, as a receiver would.
            corrupted += 1
            bitErrors += flips
            var check = CRC32()
            check.update(buffer: UnsafeBufferPointer(rebasing: frame[0..<body]))
            let received =
                UInt32(frame[body]) | UInt32(frame[body + 1]) << 8
                | UInt32(frame[body + 2]) << 16 | UInt32(frame[body + 3]) << 24
            if check.value == received { undetected += 1 } else { detected += 1 }
        }
        return Result(
            model: model, payloadSize: payload, frames: frames, corrupted: corrupted,
            detected: detected, undetected: undetected, bitErrors: bitErrors)
    }
}

extension SeededGenerator {
    /// A uniform integer in 0 ..< bound (bound > 0), by Lemire's multiply-shift
    /// (the tiny bias is irrelevant here and the method is branch-free).
    @inline(__always) mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A uniform double in (0, 1]: never 0, so its logarithm is finite.
    @inline(__always) mutating func unitOpenZero() -> Double {
        Double((next() >> 11) + 1) * 0x1.0p-53
    }
}
