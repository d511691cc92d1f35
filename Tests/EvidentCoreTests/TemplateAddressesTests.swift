import Foundation
import Testing
@testable import EvidentCore

/// `TemplatePlaceholderRule.addresses(in:)` splits a template as bytes; the Character-wise split it
/// replaced is the reference, on every embedded template and on texts with odd characters.
struct TemplateAddressesTests {
    static func byCharacters(_ text: String) -> [String] {
        text.split(whereSeparator: { " \n\t[],:\"'#{}".contains($0) })
            .filter { $0.contains("@") && !$0.hasPrefix("{") }
            .map { $0.lowercased() }
    }

    @Test func theByteSplitEqualsTheCharacterSplitOnEveryTemplate() throws {
        let kinds = try Catalog.standard().kindNames
        #expect(kinds.count > 10)
        var addresses = 0
        for kind in kinds {
            let text = try #require(Templates.template(for: kind))
            #expect(TemplatePlaceholderRule.addresses(in: text) == Self.byCharacters(text), "\(kind)")
            addresses += TemplatePlaceholderRule.addresses(in: text).count
        }
        #expect(addresses > 0)
        #expect(TemplatePlaceholderRule.exampleAddresses.contains("reviewer@example.com"))
    }

    @Test func oddTextsSplitAlike() {
        for text in ["owner: Alice@Example.COM", "reviewers: [a@x.org, {b@y.org}, 'c@z.net']", "Ünïcödé@例え.jp, x@y",
                     "tab\there@there\tand,comma@c", "@", "{@}", "mail:@:x", "x@y.z#frag", ""] {
            #expect(TemplatePlaceholderRule.addresses(in: text) == Self.byCharacters(text), "\(text)")
        }
    }
}
