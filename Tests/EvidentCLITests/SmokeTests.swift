import Testing
@testable import EvidentCLI

@Test func moduleLoads() { #expect(Bool(true)) }
