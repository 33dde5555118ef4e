import Foundation
import L1Physical
import SignalBasics
import Testing

@testable import Framings

/// AX.25 at 300 Bd (AFSK 1600/1800 Hz) and 9600 Bd (G3RUH baseband) through our transmitter and
/// receiver, with noise; 1200 Bd for comparison.
@Suite struct AX25BaudTests {
    static let lines = [
        "N0CALL>APRS,WIDE1-1,WIDE2-1:!4903.50N/07201.75W-Test 1",
        "N0CALL-7>APZ001:>status with 0123456789",
        "K1ABC-15>CQ,RELAY*,WIDE2-1::N0CALL   :hello{42"
    ]

    static func noisy(_ x: [Float], snrDB: Float, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        let power = x.reduce(0) { $0 + $1 * $1 } / Float(max(1, x.count))
        let sigma = (power / pow(10, snrDB / 10)).squareRoot()
        return x.map { $0 + sigma * Float(rng.nextGaussian()) }
    }

    @Test func standardModems() {
        #expect(AX25Modem(baud: 300) == .afsk(.hf300))
        #expect(AX25Modem(baud: 1200) == .afsk(.bell202))
        #expect(AX25Modem(baud: 9600) == .g3ruh(baud: 9600))
        #expect(AX25Modem(baud: 2400) == nil)
        #expect(FSKSignalling.hf300 == FSKSignalling(mark: 1600, space: 1800, baud: 300))
    }

    @Test(arguments: [300, 1200, 9600], [48000.0, 96000.0])
    func roundTrip(baud: Int, rate: Double) throws {
        let modem = try #require(AX25Modem(baud: baud))
        let frames = try Self.lines.map { try AX25Frame(tnc2: $0) }
        let clean = try ProtocolTransmitter.ax25(frames, modem: modem, sampleRate: rate)
        let audio = Self.noisy(clean, snrDB: 12, seed: UInt64(baud))
        var options = ProtocolReceiverOptions()
        options.select(modem)
        let got = ProtocolReceiver.decode(audio, sampleRate: rate, protocols: [.ax25], options: options)
        #expect(got.map(\.text) == Self.lines)
        #expect(got.allSatisfy { $0.status == .ok })
    }

    @Test func nineSixHundredNeeds48kHzToTransmit() throws {
        let frames = [try AX25Frame(tnc2: Self.lines[0])]
        #expect(throws: ProtocolError.self) {
            try ProtocolTransmitter.ax25(frames, modem: .g3ruh(baud: 9600), sampleRate: 44100)
        }
    }

    /// A 9600 Bd transmission read at 44.1 kHz (resampled by linear interpolation) still decodes.
    @Test func nineSixHundredReceivedAt44100() throws {
        let frames = try Self.lines.map { try AX25Frame(tnc2: $0) }
        let audio = try ProtocolTransmitter.ax25(frames, modem: .g3ruh(baud: 9600), sampleRate: 48000)
        let ratio = 48000.0 / 44100.0
        let resampled = (0..<Int(Double(audio.count) / ratio) - 1).map { n -> Float in
            let t = Double(n) * ratio
            let i = Int(t), f = Float(t - Double(i))
            return audio[i] + (audio[i + 1] - audio[i]) * f
        }
        var options = ProtocolReceiverOptions()
        options.select(.g3ruh(baud: 9600))
        let got = ProtocolReceiver.decode(resampled, sampleRate: 44100, protocols: [.ax25], options: options)
        #expect(got.map(\.text) == Self.lines)
    }

    /// The 1200 Bd chain is the same with or without the modem named.
    @Test func twelveHundredUnchanged() throws {
        let frames = try Self.lines.map { try AX25Frame(tnc2: $0) }
        let audio = Self.noisy(ProtocolTransmitter.ax25(frames, sampleRate: 44100), snrDB: 6, seed: 9)
        var options = ProtocolReceiverOptions()
        options.select(.afsk(.bell202))
        let named = ProtocolReceiver.decode(audio, sampleRate: 44100, protocols: [.ax25], options: options)
        let plain = ProtocolReceiver.decode(audio, sampleRate: 44100, protocols: [.ax25])
        #expect(named == plain)
    }
}
