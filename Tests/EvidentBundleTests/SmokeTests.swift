import Testing
@testable import EvidentBundle

@Test func moduleLoads() { #expect(Bool(true)) }
