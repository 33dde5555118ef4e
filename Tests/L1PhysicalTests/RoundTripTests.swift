import SignalBasics
import TestSupport
import Testing

@testable import L1Physical

@Test(arguments: ["fsk1200", "bell202", "bell103", "mfsk4", "mfsk16", "baseband"])
func cleanRoundTrip(modeName: String) throws {
    let mode = try #require(Mode.named(modeName))
    var rng = SeededGenerator(seed: 1)
    let payloads = [Array("Hello, layer 1!".utf8), rng.bytes(40)]
    let x = try transmit(payloads, mode: mode)
    let frames = try receive(x, mode: mode)
    #expect(frames.map(\.status) == [.ok, .ok])
    #expect(frames.map(\.payload) == payloads)
}

@Test(arguments: LineCode.allCases)
func lineCodesRoundTrip(code: LineCode) throws {
    let mode = try #require(Mode.named("fsk1200"))
    let payload = Array("line code \(code)".utf8) + [0, 0, 0, 0, 0xFF, 0xFF, 0xFF]
    let x = try transmit([payload], mode: mode, lineCode: code)
    let frames = try receive(x, mode: mode, lineCode: code)
    #expect(frames.count == 1)
    #expect(frames.first?.payload == payload)
    #expect(frames.first?.status == .ok)
}

@Test func noisyFramesAreFoundAndErrorsCaught() throws {
    let mode = try #require(Mode.named("fsk1200"))
    var rng = SeededGenerator(seed: 2)
    let payloads = (0..<6).map { _ in rng.bytes(100) }
    let x = addNoise(try transmit(payloads, mode: mode), ebn0: 10, bitRate: 1200, rate: 48000, seed: 3)
    let frames = try receive(x, mode: mode)
    // Every frame is found (the header is 4.8 dB more robust than the payload) …
    try #require(frames.count == payloads.count)
    var errors = 0
    for (f, p) in zip(frames, payloads) {
        let wrong = zip(f.payload, p).reduce(0) { $0 + ($1.0 ^ $1.1).nonzeroBitCount }
        errors += wrong
        // … a frame with wrong bits is never reported good, a good one is exact.
        #expect(f.isOK == (wrong == 0))
        #expect(abs(f.ebn0dB - 10) < 1.5, "estimated \(f.ebn0dB) dB")
    }
    // Theory for non-coherent BFSK at 10 dB: 3.4e-3; 4800 bits.
    let ber = Double(errors) / Double(payloads.count * 800)
    #expect(ber > 2e-4 && ber < 1e-2, "BER \(ber)")
}

/// Why NRZ needs whitening: a long run of zeros gives the timing loop no transitions, so
/// a drifting clock slips symbols. Whitened, the same bytes come through.
@Test func whiteningKeepsTimingThroughLongRuns() throws {
    let mode = try #require(Mode.named("fsk1200"))
    let zeros = [UInt8](repeating: 0, count: 500)
    var results = [Bool: DecodedFrame.Status]()
    for whiten in [true, false] {
        var x = try transmit([zeros], mode: mode, scramble: whiten, rate: 8000)
        x = resampleLinear(x, factor: 1 + 5000e-6)
        x = addNoise(x, ebn0: 16, bitRate: mode.bitRate, rate: 8000, seed: 9)
        let frames = try receive(x, mode: mode, rate: 8000)
        results[whiten] = frames.first?.status
    }
    #expect(results[true] == .ok)
    #expect(results[false] != .ok)
}
