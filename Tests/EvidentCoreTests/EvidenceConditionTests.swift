import Foundation
import Testing
@testable import EvidentCore

/// Each content condition: a record that fails it does not count for its requirement (and says
/// why); the same record with the content an auditor asks for does.
struct EvidenceConditionTests {
    static let envelope = "title: A\nstatus: approved\nowner: a@example.com\n"

    struct Case: Sendable, CustomStringConvertible {
        var requirement: String
        var condition: String
        var failing: String
        var passing: String
        var description: String { "\(condition) (\(requirement))" }
    }

    static let cases: [Case] = [
        Case(requirement: "SR-2", condition: "threats-dispositioned",
             failing: "kind: threat-model\nid: TM-1\n" + envelope + "threats:\n  - id: T-1\n    title: X\n    status: open\n    mitigations: []\n",
             passing: "kind: threat-model\nid: TM-1\n" + envelope + "threats:\n  - id: T-1\n    title: X\n    status: accepted\n    rationale: Physical access is out of scope.\n"),
        Case(requirement: "SR-5", condition: "requirements-review-roles",
             failing: "kind: security-requirement\nid: REQ-1\n" + envelope + "reviewers:\n  - {email: d@x.org, role: developer, date: 2026-01-01, decision: approved}\n  - {email: d@x.org, role: tester, date: 2026-01-01, decision: approved}\n  - {email: c@x.org, role: customer-advocate, date: 2026-01-01, decision: approved}\n  - {email: s@x.org, role: security-adviser, date: 2026-01-01, decision: approved}\n",
             passing: "kind: security-requirement\nid: REQ-1\n" + envelope + "reviewers:\n  - {email: d@x.org, role: developer, date: 2026-01-01, decision: approved}\n  - {email: t@x.org, role: tester, date: 2026-01-01, decision: approved}\n  - {email: c@x.org, role: customer-advocate, date: 2026-01-01, decision: approved}\n  - {email: s@x.org, role: security-adviser, date: 2026-01-01, decision: approved}\n"),
        Case(requirement: "SD-3", condition: "design-findings-closed",
             failing: "kind: design-review\nid: DR-1\n" + envelope + "findings:\n  - {id: F-1, description: Unsigned images, severity: high, status: open}\n",
             passing: "kind: design-review\nid: DR-1\n" + envelope + "findings:\n  - {id: F-1, description: Unsigned images, severity: high, status: closed, resolution: Signed since v2}\n  - {id: F-2, description: Wording, severity: low, status: open}\n"),
        Case(requirement: "SI-1", condition: "code-review-findings-closed",
             failing: "kind: code-review\nid: CR-1\n" + envelope + "outcome: approved\nfindings:\n  - {id: F-1, description: Overflow, severity: critical, status: open}\n",
             passing: "kind: code-review\nid: CR-1\n" + envelope + "outcome: approved\nfindings: []\n"),
        Case(requirement: "SVV-4", condition: "test-verdict-and-revision",
             failing: "kind: test-report\nid: TR-1\n" + envelope + "test-type: penetration\n",
             passing: "kind: test-report\nid: TR-1\n" + envelope + "test-type: penetration\ntested-revision: v1.0\nsummary:\n  verdict: pass-with-findings\n"),
        Case(requirement: "SUM-3", condition: "dependency-update-statements",
             failing: "kind: security-update\nid: SUP-1\n" + envelope,
             passing: "kind: security-update\nid: SUP-1\n" + envelope + "dependency-updates:\n  - {component: 'pkg:generic/zlib@1.3.1', to-version: 1.3.1, compatibility: No API change.}\n"),
        Case(requirement: "SUM-1", condition: "update-qualified",
             failing: "kind: security-update\nid: SUP-1\n" + envelope + "qualification:\n  test-reports: [TR-1]\n  regression: not-run\n",
             passing: "kind: security-update\nid: SUP-1\n" + envelope + "qualification:\n  test-reports: [TR-1]\n  regression: passed\n"),
        Case(requirement: "DM-5", condition: "advisory-content",
             failing: "kind: advisory\nid: ADV-1\n" + envelope + "defects: [DEF-1]\naffected-versions: ['1.0']\nresolution: Update.\n",
             passing: "kind: advisory\nid: ADV-1\n" + envelope + "defects: [DEF-2]\naffected-versions: ['1.0']\nresolution: Update.\n"),
        Case(requirement: "DM-3", condition: "defect-assessed",
             failing: "kind: defect\nid: DEF-1\n" + envelope + "affected-versions: ['1.0']\nanalysis:\n  state: in_triage\n",
             passing: "kind: defect\nid: DEF-2\n" + envelope + "cvss: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\naffected-versions: ['1.0']\nanalysis:\n  state: not_affected\n"),
    ]

    /// Both defects exist beside every case, so DM-5 judges only the advisory's content.
    static let defects = [
        "security/d1.yaml": "kind: defect\nid: DEF-1\n" + envelope + "affected-versions: ['1.0']\nanalysis:\n  state: in_triage\n",
        "security/d2.yaml": "kind: defect\nid: DEF-2\n" + envelope + "cvss: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\naffected-versions: ['1.0']\nanalysis:\n  state: not_affected\n",
    ]

    func judge(_ text: String, _ requirement: String) throws -> String? {
        var files = Self.defects
        if !text.hasPrefix("kind: defect") { files["security/r.yaml"] = text } else { files = ["security/r.yaml": text] }
        let example = RuleExample(files)
        let project = try Project.load(from: MemorySource(example.files), catalog: RuleExampleTests.catalog, today: example.today)
        let record = try #require(project.records.first { $0.path == "security/r.yaml" })
        return EvidenceConditions.unmet(record, for: requirement, in: project)
    }

    @Test(arguments: cases) func failingRecordDoesNotCountAndPassingDoes(_ item: Case) throws {
        let failing = try judge(item.failing, item.requirement)
        #expect(failing?.hasPrefix(item.condition + ":") == true, "\(failing ?? "nil")")
        #expect(try judge(item.passing, item.requirement) == nil)
    }

    @Test func everyConditionHasACase() {
        let covered = Set(Self.cases.map(\.condition))
        #expect(Set(EvidenceConditions.all.map { type(of: $0).name }) == covered)
    }

    /// Through coverage: an approved design review with an open high finding does not meet SD-3.
    @Test func coverageSaysWhichRecordDoesNotCountAndWhy() throws {
        let process = "kind: process\nid: PROC-1\n" + Self.envelope + "practices:\n  - practice: SD\n    covers: [SD-3]\n    steps:\n      - id: S-1\n        description: Review designs.\n        responsible: security-reviewer\n        outputs: [design-review]\n"
        let review = Self.cases.first { $0.requirement == "SD-3" }!.failing
        let example = RuleExample(["security/p.yaml": process, "security/r.yaml": review])
        let project = try Project.load(from: MemorySource(example.files), catalog: RuleExampleTests.catalog, today: example.today)
        let report = CoverageCalculator().coverage(of: project, level: 1, findings: [])  // content alone: the records are minimal, not schema-complete
        let sd3 = try #require(report.requirements.first { $0.requirement.id == "SD-3" })
        #expect(sd3.evidence.first { $0.record == "DR-1" }?.excluded?.contains("design-findings-closed: open finding F-1 (high)") == true)
        #expect(sd3.reason.contains("not counted: DR-1 does not count"))
    }
}
