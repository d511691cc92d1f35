import EvidentCore
import Foundation
import JSONSchema
import Testing
import Vulnerabilities
@testable import EvidentDisclosure

/// The `advisory-csaf` rule's own examples, and the mapping judged by the CSAF checker.
struct AdvisoryCSAFRuleTests {
    static func project(_ files: [String: String]) throws -> Project {
        try Project.load(from: MemorySource(files), catalog: Catalog.standard(), today: "2026-06-01")
    }

    @Test func triggeringExamplesTrigger() throws {
        for (index, example) in AdvisoryCSAFRule.description.triggering.enumerated() {
            let findings = AdvisoryCSAFRule().check(try Self.project(example.files))
            #expect(!findings.isEmpty, "triggering example \(index) gave no finding")
            #expect(findings.allSatisfy { $0.rule == "advisory-csaf" && $0.severity == .error })
        }
    }

    @Test func nonTriggeringExamplesStayQuiet() throws {
        for (index, example) in AdvisoryCSAFRule.description.nonTriggering.enumerated() {
            let findings = AdvisoryCSAFRule().check(try Self.project(example.files))
            #expect(findings.isEmpty, "non-triggering example \(index): \(findings.map(\.message))")
        }
    }

    /// Each bad input of the issue is a finding at the line and column of its cause.
    @Test func badInputsArePlaced() throws {
        func findings(_ files: [String: String]) throws -> [Finding] { AdvisoryCSAFRule().check(try Self.project(files)) }
        let missing = try findings(AdvisoryCSAFRuleExamples.files(advisoryDefects: "[DEF-2026-009]"))
        #expect(missing.count == 1 && missing[0].path == "security/advisories/ADV-2026-001.yaml" && missing[0].line == 7 && missing[0].message.contains("DEF-2026-009"))
        let cwe = try findings(AdvisoryCSAFRuleExamples.files(defectExtra: "cwe: CWE-99999\n"))
        #expect(cwe.count == 1 && cwe[0].path == "security/defects/DEF-2026-001.yaml" && cwe[0].line == 11 && cwe[0].column == 6)
        let contradicting = try findings(AdvisoryCSAFRuleExamples.files(fixed: "[\"2.3.0\"]"))
        #expect(contradicting.count == 1 && contradicting[0].line == 13 && contradicting[0].message.contains("both affected"))
        let noCVE = try findings(AdvisoryCSAFRuleExamples.files(cve: nil))
        #expect(noCVE.count == 1 && noCVE[0].message.contains("has no cve"))
        let range = try findings(AdvisoryCSAFRuleExamples.files(fixed: "[\"2.3.0\"]").merging(
            ["security/defects/DEF-2026-001.yaml": AdvisoryCSAFRuleExamples.files(fixed: "[\"2.3.0\"]")["security/defects/DEF-2026-001.yaml"]!
                .replacingOccurrences(of: "affected-versions: [\"2.3.0\"]", with: "affected-versions: [\"<= 2.3.0\", \"all versions\"]")]) { $1 })
        #expect(range.contains { $0.message.contains("'all versions' is neither a version nor a range") })
        #expect(range.contains { $0.message.contains("both affected") })
    }

    /// A committed CSAF file named by the advisory is checked too, findings in that file.
    @Test func committedCSAFFileIsChecked() throws {
        var files = AdvisoryCSAFRuleExamples.files()
        files["security/advisories/ADV-2026-001.yaml"]! += "csaf: security/advisories/ex-sa-2026-001.json\n"
        files["security/advisories/ex-sa-2026-001.json"] = "{\n  \"document\": {\"category\": \"csaf_base\"}\n}\n"
        let findings = AdvisoryCSAFRule().check(try Self.project(files))
        #expect(!findings.isEmpty && findings.allSatisfy { $0.path == "security/advisories/ex-sa-2026-001.json" && $0.message.contains("fails CSAF 2.0 test schema") })
        let project = try Self.project(AdvisoryCSAFRuleExamples.files())
        let context = DisclosureContext(project: project, repository: nil, tip: nil, toolVersion: "test")
        let valid = try AdvisoryMapper(context: context).map(try #require(project.recordsByID["ADV-2026-001"])).get().text
        files["security/advisories/ex-sa-2026-001.json"] = valid
        #expect(AdvisoryCSAFRule().check(try Self.project(files)).isEmpty)
    }

    /// A draft advisory's problems are warnings (export still refuses them).
    @Test func draftsWarn() throws {
        let files = AdvisoryCSAFRuleExamples.files(cve: nil)
        let draft = files.mapValues { $0.replacingOccurrences(of: "status: in-review\nowner: alice@example.com\nadvisory-id", with: "status: draft\nowner: alice@example.com\nadvisory-id") }
        let findings = AdvisoryCSAFRule().check(try Self.project(draft))
        #expect(findings.count == 1 && findings[0].severity == .warning && findings[0].message.contains("is a draft"))
    }

    /// The mapping of the rule's clean example passes the CSAF checker, and names the CWE as MITRE does.
    @Test func cleanExampleExportsValidCSAF() throws {
        let project = try Self.project(AdvisoryCSAFRuleExamples.files())
        let context = DisclosureContext(project: project, repository: nil, tip: nil, toolVersion: "test")
        let advisory = try #require(project.recordsByID["ADV-2026-001"])
        let document = try AdvisoryMapper(context: context).map(advisory).get()
        #expect(CSAFChecker().check(document.json).isEmpty)
        #expect(document.fileName == "ex-sa-2026-001.json")
        let text = document.text
        #expect(text.contains("\"name\": \"Out-of-bounds Write\""))
        #expect(text.contains("\"baseScore\": 9.8"))
        #expect(document.tracking.status == .draft && document.tracking.version == "0")
    }

    @Test(arguments: [("2.3.0", "2.3.0", false), ("<= 2.3.0", "vers:generic/<=2.3.0", true), ("2.0.0 - 2.3.0", "vers:generic/>=2.0.0|<=2.3.0", true),
                      ("< 2.3.1", "vers:generic/<2.3.1", true)])
    func versionRanges(text: String, expected: String, isRange: Bool) throws {
        let spec = try #require(VersionSpec.parse(text))
        #expect(spec.text == expected && spec.isRange == isRange)
    }

    @Test func rangesContainVersions() throws {
        let spec = try #require(VersionSpec.parse("2.0.0 - 2.3.0"))
        #expect(spec.contains("2.3.0") && spec.contains("2.0.0") && spec.contains("2.10.0") == false && !spec.contains("1.9.9"))
        #expect(VersionSpec.parse("all versions") == nil && VersionSpec.parse("before 2.3") == nil)
    }

    @Test func fileNamesFollowSection51() {
        #expect(CSAFDocument.fileName(forTrackingID: "EX-SA-2026-001") == "ex-sa-2026-001.json")
        #expect(CSAFDocument.fileName(forTrackingID: "cisco-sa-20180328-smi2") == "cisco-sa-20180328-smi2.json")
        #expect(CSAFDocument.fileName(forTrackingID: "RHSA-2019:1862") == "rhsa-2019_1862.json")
        #expect(CSAFDocument.fileName(forTrackingID: "Ä 1+2") == "_1+2.json")
    }

    /// The OASIS file-name tests: each invalid name differs from the one 5.1 derives from its tracking id.
    @Test func oasisFileNameTests() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/corpora/csaf/oasis-tests/filenames/data").standardizedFileURL
        guard let invalid = try? FileManager.default.contentsOfDirectory(at: folder.appendingPathComponent("invalid"), includingPropertiesForKeys: nil) else {
            print("OASIS file-name tests not found: skipped")
            return
        }
        var checked = 0
        for file in invalid where file.pathExtension == "json" {
            let findings = Disclosure.checkCSAF(files: [file.path]).filter { $0.rule == "csaf-5.1" }
            #expect(findings.count == 1, "\(file.lastPathComponent)")
            checked += 1
        }
        for file in (try? FileManager.default.contentsOfDirectory(at: folder.appendingPathComponent("valid"), includingPropertiesForKeys: nil)) ?? []
        where file.pathExtension == "json" {
            #expect(Disclosure.checkCSAF(files: [file.path]).filter { $0.rule == "csaf-5.1" }.isEmpty, "\(file.lastPathComponent)")
            checked += 1
        }
        #expect(checked > 0)
    }
}
