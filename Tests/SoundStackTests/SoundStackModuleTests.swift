import Testing
@testable import SoundStack

@Test func moduleNamed() { #expect(SoundStackModule.name == "SoundStack") }
