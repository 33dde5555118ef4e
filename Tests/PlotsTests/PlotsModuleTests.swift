import Testing

@testable import Plots

@Test func moduleNamed() { #expect(PlotsModule.name == "Plots") }
