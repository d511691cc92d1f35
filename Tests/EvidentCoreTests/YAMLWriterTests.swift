import Foundation
import Testing
@testable import EvidentCore

/// Generated YAML reads back as exactly the strings written, whatever they hold.
struct YAMLWriterTests {
    static let awkward = [
        "no", "yes", "on", "off", "true", "False", "null", "~", "", " ", "1.10", "2.3.0", "0x1F", "1e3", ".inf", "-.NaN", "007",
        "2026-04-01", "a: b", "a #b", "#comment", "- item", "[x]", "{y}", "&anchor", "*alias", "!!python/object", "|", ">", "%TAG",
        "@scope/name", "`tick`", "line\nbreak", "tab\there", "quote\"and\\back", "nul\u{0}byte", "bell\u{7}", "del\u{7F}", "nel\u{85}",
        "ls\u{2028}ps\u{2029}", "bom\u{FEFF}", "trailing ", " leading", "key:", "http://example.com/a?b=c#d", "pkg:npm/%40scope/x@1.0.0?arch=x",
        "ünïcödé", "emoji 🚀", "CVE-2021-44228", "a'b", "'single'", "\"double\"", "?", ":", "-", "---", "...", "= sign",
    ]

    @Test func everyAwkwardStringRoundTrips() throws {
        var pairs: [(String, YAMLWriter.Value)] = [("kind", .string("defect"))]
        for (index, text) in Self.awkward.enumerated() { pairs.append(("k\(index)", .string(text))) }
        pairs.append(("list", .list(Self.awkward.map(YAMLWriter.Value.string))))
        pairs.append(("nested", .list([.map([("to", .string("yes")), ("relation", .string("a: b"))])])))
        let text = YAMLWriter.document(pairs, header: ["generated"])
        let document = YAMLLoader.load(Data(text.utf8))
        #expect(document.problems.isEmpty, "\(document.problems)\n\(text)")
        let root = try #require(document.root)
        for (index, expected) in Self.awkward.enumerated() {
            #expect(root["k\(index)"]?.string == expected, "k\(index): \(String(reflecting: expected)) read back as \(String(reflecting: root["k\(index)"]?.string))")
            // Typed as a string under YAML 1.2 core (never a bool, number or null).
            if case .scalar(let scalar)? = root["k\(index)"] {
                if case .string = scalar.coreValue {} else if scalar.style == .plain { Issue.record("k\(index) is typed \(scalar.coreValue)") }
            }
        }
        guard case .sequence(let items, _)? = root["list"] else { Issue.record("list is not a sequence"); return }
        #expect(items.map(\.string) == Self.awkward.map(Optional.some))
        #expect(RecordJSON.value(of: root) == TriagePlan.json(.map(pairs)))
    }

    @Test func randomStringsRoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aZ09 :#-?[]{}!&*|>'\"%@`,\\\n\t\u{0}\u{85}\u{2028}é🚀.~")
        for _ in 0..<500 {
            let text = String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            let yaml = YAMLWriter.document([("v", .string(text))])
            let document = YAMLLoader.load(Data(yaml.utf8))
            #expect(document.problems.isEmpty && document.root.map { RecordJSON.value(of: $0) } == .object(.init([("v", .string(text))])),
                    "\(String(reflecting: text)) -> \(yaml)")
        }
    }
}
