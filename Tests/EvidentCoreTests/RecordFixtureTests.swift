import Foundation
import Testing
@testable import EvidentCore

/// The record fixtures: one valid record per kind checks clean; each invalid one gets a schema
/// finding at the line its `# expect:` comment names.
struct RecordFixtureTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/records")

    static func names(_ sub: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(sub).path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    func check(_ text: String) throws -> [Finding] {
        let project = try Project.load(from: MemorySource([".evident.yml": RuleExample.defaultConfig, "security/r.yaml": text]),
                                       catalog: try Catalog.standard(), today: "2026-06-01")
        return Checker(rules: [EnvelopeRule(), SchemaRule(), UnknownKindRule(), UnknownRequirementRule(), YAMLSyntaxRule(), DuplicateKeyRule()]).check(project).findings
    }

    @Test(arguments: names("valid"))
    func validFixtureChecksClean(name: String) throws {
        let text = try String(contentsOf: Self.folder.appendingPathComponent("valid/\(name)"), encoding: .utf8)
        let findings = try check(text)
        #expect(findings.isEmpty, "\(name): \(findings.map { "\($0.line):\($0.column) [\($0.rule)] \($0.message)" })")
    }

    @Test(arguments: names("invalid"))
    func invalidFixtureFindsAtExpectedLine(name: String) throws {
        let text = try String(contentsOf: Self.folder.appendingPathComponent("invalid/\(name)"), encoding: .utf8)
        let expect = try #require(text.split(separator: "\n").first { $0.hasPrefix("# expect:") })
        let parts = expect.split(separator: " ")
        let line = try #require(parts.last.flatMap { Int($0) })
        let findings = try check(text)
        #expect(!findings.isEmpty, "\(name) should fail")
        #expect(findings.contains { $0.line == line }, "\(name): expected a finding at line \(line), got \(findings.map { "\($0.line):\($0.column) \($0.message)" })")
    }

    @Test func fixturesArePresent() {
        #expect(Self.names("valid").count == 16)
        #expect(Self.names("invalid").count >= 10)
    }
}
