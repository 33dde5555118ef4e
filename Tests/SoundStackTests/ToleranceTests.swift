import AudioIO
import ChannelSimulator
import Foundation
import L1Physical
import SignalBasics
import SoundStack
import TestSupport
import Testing

/// What a real audio path does to a signal, each decoded with no flags (mode detected).
enum Path: String, CaseIterable, CustomStringConvertible {
    case clockFast, clockSlow, tapeWowFlutter, toneOffsetUp, toneOffsetDown, quiet40dB, clipped, dcOffset
    case resample8k, resample22k, resample44k, phoneLine, oggVorbis, stereoOneChannel
    var description: String { rawValue }
}

private let message = Array("The quick brown fox jumps over the lazy dog. 0123456789".utf8)

private func encode(_ mode: Mode, rate: Int = 48000) throws -> [Float] {
    let tx = try PhysicalTransmitter(PhysicalConfig(mode: mode, sampleRate: rate))
    var out = [Float]()
    _ = try tx.transmit([message]) { out.append(contentsOf: $0) }
    return out
}

private func decode(_ x: [Float], rate: Int, mode: Mode? = nil) throws -> [ReceivedFrame] {
    let modes =
        mode.map { [$0] }
        ?? Mode.all.filter { (try? $0.validate(sampleRate: Double(rate), lineCode: $0.defaultLineCode)) != nil }
    let rx = try PhysicalReceiver(modes: modes, lineCode: nil, sampleRate: Double(rate))
    return x.withUnsafeBufferPointer { rx.process($0) } + rx.finish()
}

@Test(arguments: ["bell202", "fsk1200", "bell103"], Path.allCases)
func toleratesRealAudioPath(modeName: String, path: Path) throws {
    let mode = try #require(Mode.named(modeName))
    var rate = 48000
    var x = try encode(mode)
    let noise: [Impairment] = [.awgn(.ebN0(dB: 25, bitRate: .bitsPerSecond(mode.bitRate)))]
    func impair(_ steps: [Impairment]) throws {
        x = try ChannelSimulator.apply(steps + noise, to: x, sampleRate: rate, seed: 5).output
    }
    switch path {
    case .clockFast: try impair([.clockDrift(ppm: 30000)])
    case .clockSlow: try impair([.clockDrift(ppm: -30000)])
    case .tapeWowFlutter:
        try impair([.clockDrift(ppm: -20000), .wow(percent: 0.5, hertz: 0.55), .flutter(percent: 0.2, hertz: 7)])
    case .toneOffsetUp: try impair([.frequencyOffset(hertz: 0.02 * mode.shift)])
    case .toneOffsetDown: try impair([.frequencyOffset(hertz: -0.02 * mode.shift)])
    case .quiet40dB: try impair([]); x = x.map { $0 * 0.0143 }  // peak 0.7 → −40 dBFS
    case .clipped: try impair([.gain(dB: 20)])  // hard-clipped at full scale
    case .dcOffset: try impair([.dcOffset(0.3)])
    case .resample8k, .resample22k, .resample44k:
        let to = path == .resample8k ? 8000 : path == .resample22k ? 22050 : 44100
        x = try Resampler.resample(x, from: rate, to: to)
        rate = to
        try impair([])
    case .phoneLine: try impair([.telephoneBand(low: 300, high: 3400)])
    case .oggVorbis:
        try impair([])
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("\(modeName).ogg")
        try AudioFile.write(x, sampleRate: rate, to: file)
        x = try AudioFile.read(path: file).samples
    case .stereoOneChannel:
        try impair([])
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("\(modeName)-stereo.wav")
        var interleaved = [Float](repeating: 0, count: 2 * x.count)
        var rng = SeededGenerator(seed: 9)
        for i in x.indices {
            interleaved[2 * i] = Float(rng.nextGaussian() * 0.05)  // left: hiss only
            interleaved[2 * i + 1] = x[i]  // right: the signal
        }
        var w = try AudioFileWriter(path: file, sampleRate: rate, channels: 2)
        try w.write(interleaved)
        try w.close()
        x = try AudioFile.read(path: file, channel: .auto).samples
    }
    let frames = try decode(x, rate: rate, mode: mode)
    #expect(frames.count == 1)
    #expect(frames.first?.mode.name == modeName)
    #expect(frames.first?.frame.status == .ok)
    #expect(frames.first?.frame.payload == message)
}

/// Without --mode the receiver finds the mode itself, through impairments.
@Test(arguments: [
    ("bell202", Impairment.clockDrift(ppm: -5000)), ("bell103", .telephoneBand(low: 300, high: 3400)),
    ("mfsk4", .frequencyOffset(hertz: 20)), ("fsk300", .dcOffset(0.2))
])
func detectsModeThroughImpairments(modeName: String, step: Impairment) throws {
    let mode = try #require(Mode.named(modeName))
    let x = try ChannelSimulator.apply(
        [step, .awgn(.ebN0(dB: 20, bitRate: .bitsPerSecond(mode.bitRate)))],
        to: try encode(mode), sampleRate: 48000, seed: 3
    ).output
    let frames = try decode(x, rate: 48000)
    #expect(frames.map(\.mode.name) == [modeName])
    #expect(frames.first?.frame.payload == message)
}

/// Every mode through a tape at the wrong speed that wanders (wow and flutter), found blind
/// (no --mode) and its clock error reported. mfsk16's top tones move by half their spacing at
/// 3 %: the tracker turns them back.
@Test(arguments: Mode.all.map(\.name), [-30000.0, 30000.0])
func everyModeFollowsAWanderingClock(modeName: String, ppm: Double) throws {
    let mode = try #require(Mode.named(modeName))
    let clock = ppm
    let x = try ChannelSimulator.apply(
        [
            .clockDrift(ppm: clock), .wow(percent: 0.3, hertz: 0.55), .flutter(percent: 0.1, hertz: 7),
            .awgn(.ebN0(dB: 25, bitRate: .bitsPerSecond(mode.bitRate)))
        ],
        to: try encode(mode), sampleRate: 48000, seed: 8
    ).output
    let frames = try decode(x, rate: 48000)
    #expect(frames.map(\.mode.name) == [modeName])
    #expect(frames.first?.frame.status == .ok)
    #expect(frames.first?.frame.payload == message)
    // Sent fast, the symbols arrive short: the reported error is the sender's clock against ours.
    let reported = try #require(frames.first?.frame.clockErrorPPM)
    #expect(abs(reported - clock) < 4000, "\(reported) ppm for \(clock)")
}
