import Testing

@testable import ChannelSimulator

@Suite struct MuLawTests {
    @Test func knownCodes() {
        #expect(MuLaw.encode(0) == 0xFF)
        #expect(MuLaw.decode(0xFF) == 0)
        #expect(MuLaw.decode(0x80) == 32_124)
        #expect(MuLaw.decode(0x00) == -32_124)
        #expect(MuLaw.encode(32_767) == 0x80)
        #expect(MuLaw.encode(-32_768) == 0x00)
        #expect(MuLaw.encode(1000) == 0xCE)  // segment 3, step 1
    }

    @Test func everyCodeRoundTrips() {
        for code in 0...255 {
            let c = UInt8(code)
            let v = MuLaw.decode(c)
            // 0x7F (−0) decodes to 0, which encodes as +0 (0xFF).
            if c == 0x7F { #expect(v == 0); continue }
            #expect(MuLaw.encode(v) == c)
        }
    }

    @Test func monotonicAndRelativeErrorBounded() {
        var previous = Int(MuLaw.decode(MuLaw.encode(-32_768)))
        for v in stride(from: -32_768, through: 32_767, by: 7) {
            let d = Int(MuLaw.decode(MuLaw.encode(Int16(v))))
            #expect(d >= previous)
            previous = d
            if abs(v) > 256 { #expect(abs(d - v) <= abs(v) / 16 + 1) }
        }
    }

    @Test func floatRoundTripSurvivesOutOfRangeValues() {
        var x: [Float] = [0, 0.5, -0.5, 2, -2, .nan, .infinity, -.infinity]
        MuLaw.roundTrip(&x)
        #expect(x[0] == 0)
        #expect(abs(x[1] - 0.5) < 0.02 && abs(x[2] + 0.5) < 0.02)
        #expect(x[3] == Float(32_124) / 32_768 && x[4] == -Float(32_124) / 32_768)
        #expect(x[5] == 0)
        #expect(x[6] == x[3] && x[7] == x[4])
    }
}
