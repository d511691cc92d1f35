import Foundation
import Testing
@testable import EvidentCore

/// Property: any string put into a template through `Templates.fill` reads back identical through
/// evident's own YAML loader, and the record still parses with no YAML or schema problem.
struct TemplateValuePropertyTests {
    static let nasty: [String] = [
        "", " ", "  leading and trailing  ", "PX-500: Modbus/TCP MBAP buffer overflow", "a\nstatus: approved", "line\r\nbreak", "\n",
        "it's \"quoted\"", "'", "\"", "# not a comment", "a # b", "- item", "-", "--- ", "...", "* star", "*alias", "&anchor",
        "!tag", "!!python/object:os.system", "%YAML 1.1", "@at", "`tick`", "{flow: map}", "[a, b]", "a, b", "? key", "| literal",
        "> folded", "key: value", "trailing colon:", "true", "False", "null", "~", "1.10", "007", "0x1F", "1e3", ".inf", "-.5",
        "2026-03-01", "yes", "no", "on", "Ünïcödé ✓ 漢字 🚀", "tab\tinside", "\t", "nul\u{0}byte", "bell\u{7}", "del\u{7F}",
        "nel\u{85}", "nbsp\u{A0}", "ls\u{2028}ps\u{2029}", "\u{FEFF}bom", "back\\slash", "\\n", "é", "a: b: c", "=", "<<",
    ]

    static let alphabet: [String] = [
        "a", "Z", "0", "9", " ", ":", "#", "-", "*", "&", "!", "%", "@", "'", "\"", "\\", "\n", "\r", "\t", ",", "[", "]", "{", "}",
        "|", ">", "?", "~", ".", "\u{0}", "\u{1B}", "\u{85}", "\u{2028}", "é", "漢", "🚀", "\u{FEFF}", "\u{7F}", "\u{9F}",
    ]

    /// A deterministic random string of the alphabet, so a failing case replays by its index.
    static func generated(_ index: Int) -> String {
        var random = AnyBytesPropertyTests.Generator(state: UInt64(index) &* 104_729 &+ 17)
        return (0..<random.below(24)).map { _ in alphabet[random.below(alphabet.count)] }.joined()
    }

    static var cases: [String] { nasty + (0..<400).map(generated) }

    @Test func everyValueReadsBackIdentical() throws {
        let template = try #require(Templates.template(for: "advisory"))
        let catalog = try Catalog.standard()
        for (index, value) in Self.cases.enumerated() {
            let text = Templates.fill(template, ["id": "ADV-001", "title": value, "owner": "a@example.com", "date": "2026-03-01"],
                                      raw: ["schema-dir": "../../.evident/schemas"])
            let document = YAMLLoader.load(Data(text.utf8))
            #expect(document.problems.isEmpty, "case \(index) \(value.debugDescription): \(document.problems.map(\.message))\n\(text)")
            guard case .scalar(let title)? = document.root?["title"] else {
                Issue.record("case \(index) \(value.debugDescription): no title scalar")
                continue
            }
            #expect(title.coreValue == .string(value), "case \(index) \(value.debugDescription) read back as \(title.coreValue)")
            // No key was injected: the record has exactly the template's keys, status still draft.
            #expect(document.root?["status"]?.string == "draft", "case \(index)")
            let project = try Project.load(from: MemorySource([".evident.yml": RuleExample.defaultConfig, "security/advisories/ADV-001.yaml": text]), catalog: catalog, today: "2026-03-01")
            let broken = Checker().check(project).findings.filter { ["yaml-syntax", "duplicate-key", "envelope", "invalid-encoding"].contains($0.rule) }
            #expect(broken.isEmpty, "case \(index) \(value.debugDescription): \(broken.map(\.message))")
        }
    }

    @Test func plainOnlyWhenUnambiguous() {
        #expect(YAMLScalarWriter.scalar("Gateway threat model") == "Gateway threat model")
        #expect(YAMLScalarWriter.scalar("a@example.com") == "a@example.com")
        #expect(YAMLScalarWriter.scalar("1.10") == "\"1.10\"")
        #expect(YAMLScalarWriter.scalar("true") == "\"true\"")
        #expect(YAMLScalarWriter.scalar("") == "\"\"")
        #expect(YAMLScalarWriter.scalar("a\nstatus: approved") == "\"a\\nstatus: approved\"")
    }
}
