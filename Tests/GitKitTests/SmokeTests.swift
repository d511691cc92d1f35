import Testing
@testable import GitKit

@Test func moduleLoads() { #expect(Bool(true)) }
