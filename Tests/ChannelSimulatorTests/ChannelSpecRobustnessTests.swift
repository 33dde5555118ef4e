import Foundation
import Testing

@testable import ChannelSimulator

// Cases the fuzzer found (scripts/fuzz.sh channelspec), kept as tests.

/// 50 ms of a 1 kHz tone at half scale.
private func tone(rate: Int = 8000) -> [Float] {
    (0..<(rate / 20)).map { Float(0.5 * sin(2 * Double.pi * 1000 * Double($0) / Double(rate))) }
}

/// An item that is only `=` (or `=value`) trapped on an empty split ("index out of range")
/// instead of naming an unknown key.
@Test(arguments: ["=", "=5", " = ", "ebn0=3,=", "=,seed=1"])
func anItemWithoutAKeyIsAnUnknownKey(text: String) {
    #expect(throws: ChannelError.unknownKey("")) { try ChannelSpec.parse(text) }
}

/// `key=` still means the key alone, as before.
@Test func anEmptyValueIsNoValue() throws {
    #expect(try ChannelSpec.parse("phone=").impairments == [.telephone])
    #expect(try ChannelSpec.parse("mulaw=").impairments == [.muLaw])
    #expect(throws: ChannelError.self) { try ChannelSpec.parse("ebn0=") }
}

/// The description printed six decimals, so `freq=0.073709551615` came back as 0.07371 Hz
/// (and `dc=0.0000001` as 0); it must parse back to the very same numbers, exponents included
/// (a band edge's `e` is no unit, its `-` no separator).
@Test(arguments: [
    "freq=0.073709551615", "dc=0.0000001", "gain=-123.456789012", "phone=0.00001-3400hz",
    "phone=1e-7-2e3", "phone=0.000001-0.0000015", "phone=300-3.4e3", "echo=1e-9ms@-6.0000001db", "ebn0=3,bits=1e300",
    "hum=1.5e-20hz@-20db", "drift=-0.0"
])
func theDescriptionKeepsEveryDigit(text: String) throws {
    let spec = try ChannelSpec.parse(text)
    let again = try ChannelSpec.parse(spec.description)
    #expect(again == spec, "\(text) → \(spec.description)")
}

/// `freq=1e308khz` overflowed to an infinite offset that parse accepted.
@Test(arguments: ["freq=1e308khz", "drift=1e305%", "pad=1e306s", "echo=1e307s"])
func aValueTooLargeForItsUnitIsRefused(text: String) {
    #expect(throws: ChannelError.self) { try ChannelSpec.parse(text) }
}

/// An echo tap's gain had no limit: +1000 dB made the samples infinite (and NaN in silence).
@Test func anEchoGainBeyond200dBIsRefused() throws {
    let loud = Impairment.echo([EchoTap(delayMilliseconds: 2, gainDB: 1000)])
    #expect(throws: ChannelError.self) { try loud.validate(sampleRate: 48_000) }
    #expect(throws: ChannelError.self) {
        try ChannelSimulator.apply(try ChannelSpec.parse("echo=2ms@1000db"), to: tone(), sampleRate: 8000)
    }
    let (y, _) = try ChannelSimulator.apply(try ChannelSpec.parse("echo=2ms@200db"), to: tone(), sampleRate: 8000)
    let finite = y.allSatisfy { $0.isFinite }
    #expect(finite)
}

/// Eb/N0 against a bit rate near 0 gave σ = ∞ and infinite samples; it is refused now.
@Test(arguments: ["ebn0=-300,bitrate=1e-300", "ebn0=0,bits=1e-300"])
func noiseBeyondFloatRangeIsRefused(text: String) throws {
    let spec = try ChannelSpec.parse(text)
    #expect(throws: ChannelError.self) { try ChannelSimulator.apply(spec, to: tone(), sampleRate: 8000) }
    // The strongest noise the grammar allows otherwise still runs and stays finite.
    let (y, _) = try ChannelSimulator.apply(try ChannelSpec.parse("snr=-300db"), to: tone(), sampleRate: 8000)
    let finite = y.allSatisfy { $0.isFinite }
    #expect(finite)
}
