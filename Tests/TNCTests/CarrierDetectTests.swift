import Foundation
import Framings
import SignalBasics
import Testing

@testable import TNC

/// Data carrier detect, which holds the TNC's channel access while another station transmits.
@Suite struct CarrierDetectTests {
    static func feed(_ detect: CarrierDetect, _ samples: [Float]) {
        samples.withUnsafeBufferPointer { all in
            var start = 0
            while start < all.count {
                let end = min(all.count, start + 1000)
                detect.analyse(UnsafeBufferPointer(rebasing: all[start..<end]))
                start = end
            }
        }
    }

    @Test func busyWhileAFSKIsHeardFreeOnNoiseAndAfterTheHold() throws {
        let detect = CarrierDetect(modem: .afsk(.bell202))
        detect.start(sampleRate: 48000)
        #expect(!detect.isBusy)
        var rng = SeededGenerator(seed: 5)
        let noise = (0..<48000).map { _ in Float.random(in: -0.05...0.05, using: &rng) }
        Self.feed(detect, noise)
        #expect(!detect.isBusy, "white noise is not a carrier")
        let frame = try AX25Frame(tnc2: SoftwareTNCTests.line)
        let audio = TNCTransmission.render(frame.bytes, parameters: KISSPortParameters(), sampleRate: 48000)
        Self.feed(detect, zip(audio, noise).map { $0 + $1 })
        #expect(detect.isBusy)
        Thread.sleep(forTimeInterval: CarrierDetect.hold * 2)
        #expect(!detect.isBusy)
    }

    @Test func baseband300And1200() throws {
        // 9600 Bd G3RUH has no tones to watch: never busy. 300 Bd listens on 1600/1800 Hz.
        let g3ruh = CarrierDetect(modem: .g3ruh(baud: 9600))
        g3ruh.start(sampleRate: 48000)
        Self.feed(g3ruh, (0..<4800).map { Float(sin(Double($0) * 0.3)) })
        #expect(!g3ruh.isBusy)
        let hf = CarrierDetect(modem: try #require(AX25Modem(baud: 300)))
        hf.start(sampleRate: 48000)
        Self.feed(hf, (0..<9600).map { Float(0.5 * sin(2 * Double.pi * 1600 * Double($0) / 48000)) })
        Self.feed(hf, (0..<9600).map { Float(0.5 * sin(2 * Double.pi * 1800 * Double($0) / 48000)) })
        #expect(hf.isBusy)
    }
}
