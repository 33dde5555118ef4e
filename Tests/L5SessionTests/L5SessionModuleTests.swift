import Testing

@testable import L5Session

@Test func moduleNamed() { #expect(L5SessionModule.name == "L5Session") }
