import Testing
@testable import AudioIO

@Test func moduleNamed() { #expect(AudioIOModule.name == "AudioIO") }
