import Testing

@testable import L2DataLink

@Test func moduleNamed() { #expect(L2DataLinkModule.name == "L2DataLink") }
