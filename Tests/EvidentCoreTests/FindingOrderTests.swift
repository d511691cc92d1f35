import Foundation
import Testing
@testable import EvidentCore

/// `Finding.sorted` sorts positions rather than findings; the tuple order it replaced (path, line,
/// column, rule, message; equal findings in their order) is the reference.
struct FindingOrderTests {
    static func reference(_ findings: [Finding]) -> [Finding] {
        findings.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            let left = (x.path, x.line, x.column, x.rule, x.message), right = (y.path, y.line, y.column, y.rule, y.message)
            return left < right || (left == right && a.offset < b.offset)
        }.map(\.element)
    }

    @Test func positionsSortAsTheTuplesDid() {
        var generator = SystemRandomNumberGenerator()
        // NFC and NFD spellings of one path compare equal in Swift; both are in the mix.
        let paths = ["security/a.yaml", "security/b.yaml", "security/caf\u{E9}.yaml", "security/cafe\u{301}.yaml", "security/Z.yaml", "a", ""]
        let rules = ["schema", "dangling-reference", "unknown-person"]
        let messages = ["m", "another", "\u{E9}", "e\u{301}"]
        for _ in 0..<50 {
            let findings = (0..<Int.random(in: 0...300, using: &generator)).map { index in
                Finding(rule: rules.randomElement(using: &generator)!, severity: [.note, .warning, .error].randomElement(using: &generator)!,
                        path: paths.randomElement(using: &generator)!, line: Int.random(in: 1...4, using: &generator),
                        column: Int.random(in: 1...3, using: &generator), message: messages.randomElement(using: &generator)!,
                        record: "R-\(index)")
            }
            #expect(Finding.sorted(findings) == Self.reference(findings))
        }
    }
}
