import Testing
@testable import L1Physical

@Test func moduleNamed() { #expect(L1PhysicalModule.name == "L1Physical") }
