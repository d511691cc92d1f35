import Testing
@testable import JSONSchema

@Test func moduleLoads() { #expect(Bool(true)) }
