import Foundation
import Testing
@testable import EvidentCore

/// Attribution keeps its facts in shared storage; it must still behave as a plain value.
struct AttributionValueTests {
    let event = Attribution.Event(commit: "abc", author: "A", email: "a@example.com", date: "2026-01-01T00:00:00Z")

    @Test func copiesAreIndependentValues() {
        let original = Attribution(created: event, lastChanged: event, commits: 2, authors: ["a@example.com"], uncommitted: false)
        var copy = original
        copy.commits = 3
        copy.uncommitted = true
        copy.authors.append("b@example.com")
        copy.lastChanged = nil
        #expect(original.commits == 2 && !original.uncommitted && original.authors == ["a@example.com"] && original.lastChanged == event)
        #expect(copy.commits == 3 && copy.uncommitted && copy.authors.count == 2 && copy.lastChanged == nil && copy.created == event)
        #expect(copy != original)
        #expect(Attribution(created: event, lastChanged: event, commits: 2, authors: ["a@example.com"], uncommitted: false) == original)
        #expect(Set([original, original]).count == 1)
    }

    /// Encoded with the plain struct's keys, absent events left out, and read back equal.
    @Test func codableAsAPlainStruct() throws {
        let value = Attribution(created: event, lastChanged: nil, commits: 1, authors: ["a@example.com"], uncommitted: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(value), as: UTF8.self)
        #expect(text.contains("\"created\"") && !text.contains("lastChanged") && text.contains("\"uncommitted\":true"))
        #expect(try JSONDecoder().decode(Attribution.self, from: Data(text.utf8)) == value)
    }
}
