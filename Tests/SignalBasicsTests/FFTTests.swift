import Foundation
import Testing

@testable import SignalBasics

@Suite struct FFTTests {
    @Test func sineLandsInItsBinAtZeroDB() throws {
        let fft = try FFT(size: 256)
        let samples = (0..<256).map { Float(sin(2 * Double.pi * 16 * Double($0) / 256)) }
        let p = fft.powerSpectrum(of: samples)
        #expect(p.count == 129)
        #expect(abs(p[16] - 1) < 1e-6)
        #expect(p[40] < 1e-12)
    }

    @Test func matchesDirectDFT() throws {
        let fft = try FFT(size: 16)
        var re = (0..<16).map { Double(($0 * 7) % 5) - 2 }, im = [Double](repeating: 0, count: 16)
        let x = re
        fft.transform(re: &re, im: &im)
        for k in 0..<16 {
            var r = 0.0, i = 0.0
            for n in 0..<16 {
                r += x[n] * cos(-2 * Double.pi * Double(k * n) / 16);
                i += x[n] * sin(-2 * Double.pi * Double(k * n) / 16)
            }
            #expect(abs(re[k] - r) < 1e-9 && abs(im[k] - i) < 1e-9)
        }
    }

    @Test func rejectsNonPowerOfTwo() {
        #expect(throws: FFTError.sizeNotPowerOfTwo(100)) { try FFT(size: 100) }
    }
}
