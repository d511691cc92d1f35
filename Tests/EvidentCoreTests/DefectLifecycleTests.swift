import Foundation
import Testing
@testable import EvidentCore

/// The defect lifecycle rules that ask git, on repositories written with GitKit: the fix's first
/// release is the earliest release record whose tag contains `fixed-in`.
struct DefectLifecycleTests {
    typealias F = GitRuleFixture

    static let policy = "version: 1\nproduct: Example gateway\nrecords: security\npolicy:\n  triage-days: {critical: 2, high: 3, medium: 7, low: 14}\n  fix-days: {critical: 14, high: 30, medium: 90, low: 180}\n  residual-risk: 4.0\n"
    static let high = "cvss: CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n"

    static func defect(_ id: String, _ fields: String) -> String {
        "kind: defect\nid: \(id)\ntitle: A\n" + F.head + "source: researcher\ndescription: D\naffected-versions: [\"1.0\"]\n" + fields
    }

    static func release(_ id: String, tag: String, version: String, date: String, reviewed: String = "[]") -> String {
        "kind: release\nid: \(id)\ntitle: R\n" + F.head + "version: \"\(version)\"\ntag: \(tag)\ndate: \(date)\nopen-issues-reviewed: \(reviewed)\n"
    }

    @Test func fixDeadlineFollowsTheFirstReleaseWhoseTagContainsTheFix() throws {
        let f = try F.product()
        try f.commit("records", by: "sec@example.com", [
            ".evident.yml": Self.policy,
            // Fixed in "fix", which v1.1 (released 2026-02-01) contains and v1.0 does not: on time.
            "security/d1.yaml": Self.defect("DEF-1", Self.high + "received: 2026-01-10\ntriaged: 2026-01-11\nfixed: 2026-01-20\nfixed-in: \(f.hex("fix"))\nanalysis: {state: resolved}\nfixed-versions: [\"1.1\"]\n"),
            // Same fix, received earlier: v1.1 on 2026-02-01 is more than 30 days later: released late.
            "security/d2.yaml": Self.defect("DEF-2", Self.high + "received: 2025-12-01\ntriaged: 2025-12-02\nfixed: 2026-01-20\nfixed-in: \(f.hex("fix"))\nanalysis: {state: resolved}\nfixed-versions: [\"1.1\"]\n"),
            // Fixed only in v1.0's history? "first" is in both; the first release (v1.0, 2026-01-05) counts.
            "security/d3.yaml": Self.defect("DEF-3", Self.high + "received: 2026-01-01\ntriaged: 2026-01-02\nfixed: 2026-01-03\nfixed-in: \(f.hex("first"))\nanalysis: {state: resolved}\nfixed-versions: [\"1.0\"]\n"),
            // Open for months with no fix in any release: overdue.
            "security/d4.yaml": Self.defect("DEF-4", Self.high + "received: 2026-03-01\ntriaged: 2026-03-02\nanalysis: {state: exploitable}\n"),
            "security/r1.yaml": Self.release("REL-1", tag: "v1.0", version: "1.0", date: "2026-01-05", reviewed: "[{defect: DEF-2, decision: deferred, rationale: Fix planned}]"),
            "security/r2.yaml": Self.release("REL-2", tag: "v1.1", version: "1.1", date: "2026-02-01"),
        ])
        let found = try f.findings("fix-deadline")
        let byRecord = Dictionary(grouping: found, by: { $0.record ?? "" })
        #expect(Set(byRecord.keys) == ["DEF-2", "DEF-4"], "\(found)")
        #expect(byRecord["DEF-2"]?.first?.severity == .warning)
        #expect(byRecord["DEF-2"]?.first?.message.contains("reached users 2026-02-01 (REL-2)") == true)
        #expect(byRecord["DEF-4"]?.first?.severity == .error)
        #expect(byRecord["DEF-4"]?.first?.message.contains("overdue") == true)
    }

    @Test func craFinalReportClockStartsAtTheFirstReleaseWithTheFix() throws {
        let f = try F.product()
        try f.commit("records", by: "sec@example.com", [
            ".evident.yml": Self.policy,
            "security/d1.yaml": Self.defect("DEF-1", Self.high + "received: 2026-01-10\ntriaged: 2026-01-10\nfixed: 2026-01-20\nfixed-in: \(f.hex("fix"))\nanalysis: {state: resolved}\nfixed-versions: [\"1.1\"]\nexploitation: {actively-exploited: true, known: 2026-01-10T09:00:00Z}\ncra-reporting: {early-warning: 2026-01-10T18:00:00Z, notification: 2026-01-13T08:00:00+01:00}\n"),
            "security/r2.yaml": Self.release("REL-2", tag: "v1.1", version: "1.1", date: "2026-02-01", reviewed: "[{defect: DEF-1, decision: fixed}]"),
        ])
        // Within the 14 days after v1.1 (2026-02-01): a warning with hours left, then an error.
        var project = try Workspace(repository: f.repository).loadProject(.revision("HEAD"), today: "2026-02-13")
        project.now = "2026-02-13T12:00:00Z"
        let soon = CRAReportingRule().check(project)
        #expect(soon.count == 1 && soon.first?.severity == .warning, "\(soon)")
        #expect(soon.first?.message.contains("36 h left") == true, "\(soon)")
        project.now = "2026-02-15T01:00:00Z"
        let late = CRAReportingRule().check(project)
        #expect(late.count == 1 && late.first?.severity == .error && late.first?.message.contains("final-report missing") == true, "\(late)")
        // The notification at 08:00+01:00 is 07:00Z on the 13th: within 72 h of 09:00Z on the 10th.
        #expect(!late.contains { $0.message.contains("notification") })
    }

    @Test func releaseGateAsksForDefectsOpenAtTheRelease() throws {
        let f = try F.product()
        try f.commit("records", by: "sec@example.com", [
            "security/d1.yaml": Self.defect("DEF-1", "received: 2026-01-02\nanalysis: {state: exploitable}\n").replacingOccurrences(of: "[\"1.0\"]", with: "[\"<= 1.1\"]"),
            "security/r1.yaml": Self.release("REL-1", tag: "v1.0", version: "1.0", date: "2026-01-05", reviewed: "[{defect: DEF-1, decision: deferred, rationale: R}]"),
            "security/r2.yaml": Self.release("REL-2", tag: "v1.1", version: "1.1", date: "2026-02-01"),
        ])
        let found = try f.findings("release-open-defects")
        #expect(found.count == 1 && found.first?.record == "REL-2", "\(found)")
        #expect(found.first?.message.contains("DEF-1") == true)
    }

    /// Releases of one version over time, listed out of date order: a defect counts at the releases
    /// dated from its received day until it is closed, by plain version and by range alike.
    @Test func openDefectsFollowEachReleaseDate() throws {
        func release(_ id: String, _ date: String) -> String {
            "kind: release\nid: \(id)\ntitle: R\nstatus: draft\nowner: a@example.com\nversion: \"1.0\"\ndate: \(date)\nopen-issues-reviewed: []\n"
        }
        func defect(_ id: String, _ versions: String, _ fields: String) -> String {
            "kind: defect\nid: \(id)\ntitle: D\nstatus: draft\nowner: a@example.com\nsource: tester\ndescription: D\naffected-versions: \(versions)\n" + fields
        }
        let project = try Project.load(from: MemorySource([
            ".evident.yml": RuleExample.defaultConfig,
            "security/a-march.yaml": release("REL-2", "2026-03-01"),
            "security/b-january.yaml": release("REL-1", "2026-01-01"),
            "security/c-may.yaml": release("REL-3", "2026-05-01"),
            // Open at the March release only: received in February, resolved in April.
            "security/d1.yaml": defect("DEF-1", "[\"1.0\"]", "received: 2026-02-01\ntriaged: 2026-02-02\nfixed: 2026-04-01\nanalysis: {state: resolved}\n"),
            // Open from March on (a range), never closed.
            "security/d2.yaml": defect("DEF-2", "[\"<= 1.0\"]", "received: 2026-03-01\nanalysis: {state: exploitable}\n"),
            // Closed (not affected) the day it arrived: never open at a release.
            "security/d3.yaml": defect("DEF-3", "[\"1.0\"]", "received: 2026-02-10\ntriaged: 2026-02-10\nanalysis: {state: not_affected, justification: code_not_present}\n"),
        ]), catalog: try Catalog.standard(), today: "2026-06-01")
        let found = ReleaseOpenDefectsRule().check(project).map { "\($0.record ?? "") \($0.message.prefix(5))" }.sorted()
        #expect(found == ["REL-2 DEF-1", "REL-2 DEF-2", "REL-3 DEF-2"], "\(found)")
    }

    @Test(arguments: [
        ("2026-09-14", 1_789_344_000.0), ("2026-09-14T08:30:00Z", 1_789_374_600.0), ("2026-09-14T10:30:00+02:00", 1_789_374_600.0),
        ("2026-09-14T08:30:00.123Z", 1_789_374_600.0), ("2026-09-14T08:30Z", 1_789_374_600.0),
    ])
    func timestampsReadWithTheirZone(text: String, seconds: Double) {
        #expect(DayClock.seconds(text) == seconds)
    }

    @Test(arguments: ["2026-09-14T08:30:00", "2026-13-01", "yesterday", "2026-09-14T25:00:00Z", "2026-09-14T08:30:00+0200"])
    func timestampsWithoutZoneOrOutOfRangeAreRefused(text: String) {
        #expect(DayClock.seconds(text) == nil)
    }

    @Test(arguments: [
        ("2.3.0", "2.3.0", true), ("2.3", "2.3.0", true), ("<= 2.3.0", "2.3.1", false), ("< 2.3.1", "2.3.0", true),
        ("2.0.0 - 2.3.0", "2.2.9", true), ("2.0.0 - 2.3.0", "2.4", false), (">= 2.0, < 3", "2.10.1", true), (">= 2.0, < 3", "3.0", false),
        ("*", "9", true), ("2.3.0", "2.3.1", false), ("v2.3.0", "2.3.0", true),
    ])
    func affectedVersionRanges(range: String, version: String, contained: Bool) {
        #expect(VersionRange.contains(range, version) == contained)
    }
}
