import Testing
@testable import ChannelSimulator

@Test func moduleNamed() { #expect(ChannelSimulatorModule.name == "ChannelSimulator") }
