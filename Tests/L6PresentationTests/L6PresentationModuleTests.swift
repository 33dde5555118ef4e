import Testing

@testable import L6Presentation

@Test func moduleNamed() { #expect(L6PresentationModule.name == "L6Presentation") }
