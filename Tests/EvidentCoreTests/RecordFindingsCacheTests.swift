import Foundation
import Testing
@testable import EvidentCore

/// The record rules' findings come back from `record-findings.txt` by blob id and path: the same
/// findings as a check without the cache, on records as `evident new` writes them with a person's
/// edits and mistakes; an edited record is judged again; a damaged file is ignored, never trusted in part.
struct RecordFindingsCacheTests {
    static func fromTemplate(_ kind: String, id: String) -> String {
        Templates.fill(Templates.template(for: kind) ?? "", ["id": id, "title": "From the template", "owner": "dana@example.com", "date": "2026-03-02"],
                       raw: ["schema-dir": "../.evident/schemas"])
    }

    /// A defect as `evident new` writes it, then edited by hand: in review with its placeholder left,
    /// a CVSS vector typed out of order, and a score that does not match it.
    static let editedDefect = fromTemplate("defect", id: "DEF-2026-007")
        .replacingOccurrences(of: "status: draft", with: "status: in-review")
        .replacingOccurrences(of: "# cvss: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H   # or, without a vector, severity: high",
                              with: "cvss: CVSS:3.1/AC:L/AV:N/PR:N/UI:N/S:U/C:H/I:H/A:H\ncvss-score: 5.0")
    /// A guideline whose section's document climbs out of the repository, and an id not of the form PREFIX-NUMBER.
    static let guideline = section(fromTemplate("guideline", id: "guide"), documents: "../../etc/passwd")

    static func section(_ text: String, documents: String) -> String {
        text.replacingOccurrences(of: "    body: Replace with the hardening guidance.\n",
                                  with: "    body: Replace with the hardening guidance.\n    documents: [\(documents)]\n")
    }

    static func files(_ extra: [String: String] = [:]) -> [String: String] {
        var files = [".evident.yml": RuleExample.defaultConfig,
                     "security/defects/DEF-2026-007.yaml": editedDefect,
                     "security/tests/TR-001.yaml": fromTemplate("test-report", id: "TR-001"),
                     "security/guidelines/guide.yaml": guideline,
                     // The same bytes at a second path: its findings name that path.
                     "security/copy/TR-001.yaml": fromTemplate("test-report", id: "TR-001")]
        files.merge(extra) { _, new in new }
        return files
    }

    static func findings(_ files: [String: String], cache directory: String?) throws -> [Finding] {
        var project = try Project.load(from: MemorySource(files), catalog: try Catalog.standard(), today: "2026-06-01", hashBlobs: true)
        project.cacheDirectory = directory
        return Checker().check(project, attribution: false).findings
    }

    static let recordRules: Set<String> = ["envelope", "template-placeholder", "unsafe-path", "cvss-vector"]

    @Test func cachedFindingsAreTheFindingsOfAFreshCheck() throws {
        let directory = try CacheFolder.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fresh = try Self.findings(Self.files(), cache: nil)
        // Every record rule finds something on these records, so the comparison means something.
        #expect(Self.recordRules.isSubset(of: Set(fresh.map(\.rule))), "\(Set(fresh.map(\.rule)))")
        #expect(fresh.contains { $0.rule == "template-placeholder" && $0.path == "security/copy/TR-001.yaml" })
        #expect(try Self.findings(Self.files(), cache: directory) == fresh)
        let file = directory + "/record-findings.txt"
        #expect(FileManager.default.fileExists(atPath: file))
        #expect(try Self.findings(Self.files(), cache: directory) == fresh)

        // The warm run read them from the file: a message changed there is the one reported.
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "is absolute or leaves the repository", with: "leaves the repository (from the cache)")
        #expect(edited != text)
        try edited.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try Self.findings(Self.files(), cache: directory).contains { $0.message.contains("(from the cache)") })

        // A damaged line makes the whole file unread: judged afresh, the edited message is gone.
        try (edited + "0123456789012345678901234567890123456789\tsecurity/x.yaml\tenvelope\tfatal\t1\t1\t\tbad severity\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try Self.findings(Self.files(), cache: directory) == fresh)
    }

    @Test func anEditedRecordIsJudgedAgain() throws {
        let directory = try CacheFolder.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try Self.findings(Self.files(), cache: directory)
        // The person fixes the path and the vector's order; the score is still wrong.
        let fixed = Self.files([
            "security/guidelines/guide.yaml": Self.section(Self.fromTemplate("guideline", id: "SG-001"), documents: "docs/secure-coding.md"),
            "security/defects/DEF-2026-007.yaml": Self.editedDefect.replacingOccurrences(of: "CVSS:3.1/AC:L/AV:N/", with: "CVSS:3.1/AV:N/AC:L/"),
        ])
        let warm = try Self.findings(fixed, cache: directory)
        #expect(warm == (try Self.findings(fixed, cache: nil)))
        #expect(!warm.contains { $0.rule == "unsafe-path" })
        #expect(warm.contains { $0.rule == "cvss-vector" && $0.message.contains("disagrees with the vector's score 9.8") })
        #expect(!warm.contains { $0.rule == "cvss-vector" && $0.message.contains("malformed") })
    }

    @Test(arguments: ["plain", "tab\there", "new\nline", "back\\slash", "security/odd\tname.yaml"])
    func fieldsSurviveTheFile(text: String) throws {
        let directory = try CacheFolder.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let blob = String(repeating: "ab", count: 20)
        let finding = Finding(rule: "envelope", severity: .warning, path: text, line: 3, column: 7, message: text, record: text)
        let cache = RecordFindingsCache(directory: directory, ruleIDs: ["envelope"])
        cache.remember(blob: blob, path: text, findings: [finding])
        cache.remember(blob: blob, path: "clean.yaml", findings: [])
        cache.save(keeping: [(blob: blob, path: text), (blob: blob, path: "clean.yaml")])
        let again = RecordFindingsCache(directory: directory, ruleIDs: ["envelope"])
        #expect(again.findings(blob: blob, path: text) == [finding])
        #expect(again.findings(blob: blob, path: "clean.yaml") == [])
        // Another set of record rules starts afresh.
        #expect(RecordFindingsCache(directory: directory, ruleIDs: ["envelope", "unsafe-path"]).findings(blob: blob, path: text) == nil)
    }
}
