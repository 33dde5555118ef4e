import Testing

@testable import L7Application

@Test func moduleNamed() { #expect(L7ApplicationModule.name == "L7Application") }
