import Testing

@testable import ChannelSimulator

@Suite struct ChannelSpecTests {
    @Test func theFullExample() throws {
        let spec = try ChannelSpec.parse(
            "ebn0=12,drift=200ppm,freq=5hz,gain=-6db,hum=60hz@-20db,phone,mulaw,echo=30ms@-6db,"
                + "burst=3x20ms,dropout=5x20ms,pad=250ms,dc=0.05,seed=7")
        #expect(spec.seed == 7)
        #expect(
            spec.impairments == [
                .clockDrift(ppm: 200),
                .frequencyOffset(hertz: 5),
                .echo([EchoTap(delayMilliseconds: 30, gainDB: -6)]),
                .telephoneBand(low: 300, high: 3400),
                .muLaw,
                .padding(milliseconds: 250),
                .dropout(count: 5, milliseconds: 20),
                .hum(frequency: 60, levelDB: -20),
                .burstNoise(count: 3, milliseconds: 20, levelDB: 0),
                .awgn(.ebN0(dB: 12, bitRate: nil)),
                .dcOffset(0.05),
                .gain(dB: -6)
            ])
        let filled = spec.withDefaultBitRate(1200)
        #expect(filled.impairments[9] == .awgn(.ebN0(dB: 12, bitRate: .bitsPerSecond(1200))))
    }

    @Test func unitsAndVariants() throws {
        let s = try ChannelSpec.parse(
            " EbN0=8dB , bitrate=1.2kbps, drift=0.5%, phone=300-3000hz, "
                + "echo=20@-3db/45ms@-10db, snr=10db@4khz, pad=0.1s ")
        #expect(s.seed == 1)
        #expect(s.impairments.contains(.clockDrift(ppm: 5000)))
        #expect(s.impairments.contains(.telephoneBand(low: 300, high: 3000)))
        #expect(
            s.impairments.contains(
                .echo([
                    EchoTap(delayMilliseconds: 20, gainDB: -3),
                    EchoTap(delayMilliseconds: 45, gainDB: -10)
                ])))
        #expect(s.impairments.contains(.awgn(.snr(dB: 10, bandwidth: 4000))))
        #expect(s.impairments.contains(.awgn(.ebN0(dB: 8, bitRate: .bitsPerSecond(1200)))))
        #expect(s.impairments.contains(.padding(milliseconds: 100)))
        let k = try ChannelSpec.parse("ebn0=10,bits=16000,hum=50")
        #expect(
            k.impairments == [
                .hum(frequency: 50, levelDB: -20),
                .awgn(.ebN0(dB: 10, bitRate: .payloadBits(16000)))
            ])
    }

    @Test(arguments: [
        "foo=1", "drift=abc", "pad=-5ms", "gain=6dbx", "burst=3y20ms", "mulaw=1",
        "seed=-1", "echo=0ms", "phone=3400-300", "hum=60hz@-20db@3", "ebn0",
        "drift=1,drift=2", "bitrate=0", "dropout=2x10ms@3db"
    ])
    func badSpecsThrow(text: String) {
        #expect(throws: ChannelError.self) { try ChannelSpec.parse(text) }
    }

    @Test func errorsSayWhat() {
        #expect(throws: ChannelError.unknownKey("foo")) { try ChannelSpec.parse("foo=1") }
        #expect(throws: ChannelError.duplicateKey("drift")) { try ChannelSpec.parse("drift=1,drift=2") }
        do {
            _ = try ChannelSpec.parse("pad=-5ms")
            Issue.record("no error")
        } catch let error as ChannelError {
            #expect(error.description == "bad value '-5ms' for 'pad': must not be negative")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: [
        "ebn0=12,drift=200ppm,freq=5hz,gain=-6db,hum=60hz@-20db,phone,mulaw,echo=30ms@-6db,"
            + "burst=3x20ms,dropout=5x20ms,pad=250ms,dc=0.05,seed=7",
        "snr=3db@4000hz,bits=16000,drift=-0.25%,echo=10/20ms@-9.5db,seed=18446744073709551615",
        "ebn0=7.5,bits=12345,phone=250-3000,seed=0"
    ])
    func descriptionParsesBack(text: String) throws {
        let spec = try ChannelSpec.parse(text)
        let again = try ChannelSpec.parse(spec.description)
        #expect(again == spec, "\(spec.description)")
    }
}
