import Testing

@testable import L3Network

@Test func moduleNamed() { #expect(L3NetworkModule.name == "L3Network") }
