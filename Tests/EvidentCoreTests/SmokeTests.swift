import Testing
@testable import EvidentCore

@Test func moduleLoads() { #expect(Bool(true)) }
