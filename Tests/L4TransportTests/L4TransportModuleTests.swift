import Testing

@testable import L4Transport

@Test func moduleNamed() { #expect(L4TransportModule.name == "L4Transport") }
