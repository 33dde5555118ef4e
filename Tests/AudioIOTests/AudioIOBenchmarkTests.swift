import Foundation
import TestSupport
import Testing

@testable import AudioIO

/// Long-file checks for `scripts/bench-audio-rss.sh`; they do nothing unless their
/// environment variable names a file, so the ordinary suite stays fast.
@Suite struct AudioIOBenchmarkTests {
    /// `SOUNDSTACK_BENCH_WRITE=path [SOUNDSTACK_BENCH_SECONDS=3600]`: writes a 48 kHz mono
    /// 16-bit WAV of a 1 kHz tone with ``AudioFileWriter``, one second at a time.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SOUNDSTACK_BENCH_WRITE"] != nil, "opt-in benchmark"))
    func writeLongFile() throws {
        let path = try #require(ProcessInfo.processInfo.environment["SOUNDSTACK_BENCH_WRITE"])
        let seconds = Int(ProcessInfo.processInfo.environment["SOUNDSTACK_BENCH_SECONDS"] ?? "") ?? 3600
        let second = TestAudio.sine(frequency: 1000, sampleRate: 48000, seconds: 1)
        let start = Date()
        var writer = try AudioFileWriter(path: path, sampleRate: 48000)
        for _ in 0..<seconds { try writer.write(second) }
        try writer.close()
        let elapsed = Date().timeIntervalSince(start)
        print(
            "bench-audio: wrote \(seconds * 48000) frames in \(String(format: "%.2f", elapsed)) s"
                + " (\(String(format: "%.1f", Double(seconds * 48000) / elapsed / 1e6)) MS/s), peak RSS \(peakRSSKilobytes()) kB"
        )
    }

    /// `SOUNDSTACK_BENCH_READ=path` (or `-` for stdin): reads the file through ``AudioFileReader`` in 4096-frame
    /// blocks and reports frames, speed and this process's peak RSS.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SOUNDSTACK_BENCH_READ"] != nil, "opt-in benchmark"))
    func readLongFile() throws {
        let path = try #require(ProcessInfo.processInfo.environment["SOUNDSTACK_BENCH_READ"])
        let start = Date()
        var reader = try AudioFileReader(path: path)
        var block = [Float](repeating: 0, count: 4096)
        var frames = 0
        var energy: Float = 0
        while true {
            let n = try block.withUnsafeMutableBufferPointer { try reader.read(into: $0) }
            if n == 0 { break }
            frames += n
            energy += block[0] * block[0]
        }
        let elapsed = Date().timeIntervalSince(start)
        print(
            "bench-audio: read \(frames) frames (\(reader.formatDescription)) in \(String(format: "%.2f", elapsed)) s"
                + " (\(String(format: "%.1f", Double(frames) / elapsed / 1e6)) MS/s), peak RSS \(peakRSSKilobytes()) kB"
                + " [\(energy > 0 ? "signal" : "silence")]")
        if let count = reader.frameCount { #expect(frames == count) }
    }

    private func peakRSSKilobytes() -> Int {
        var usage = rusage()
        #if canImport(Glibc)
            getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        return Int(usage.ru_maxrss)
    }
}
