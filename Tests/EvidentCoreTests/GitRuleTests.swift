import Foundation
import GitKit
import Testing
@testable import EvidentCore

/// The git rules against real repositories written with GitKit (fixed identities and dates).
final class GitRuleFixture {
    let root: URL
    let repository: Repository
    var clock = 1_767_225_600.0 // 2026-01-01T00:00:00Z
    var ids: [String: ObjectID] = [:]

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("evident-gitrules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        repository = try Repository.create(at: root.path)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func person(_ email: String) -> Signature {
        clock += 3600
        return Signature(name: String(email.prefix { $0 != "@" }), email: email, time: Date(timeIntervalSince1970: clock))
    }

    @discardableResult
    func commit(_ name: String, by email: String, _ files: [String: String?]) throws -> ObjectID {
        let who = person(email)
        let id = try repository.commit(files: files.mapValues { $0.map { Data($0.utf8) } }, message: "\(name)\n",
                                       author: who, committer: who)
        ids[name] = id
        return id
    }

    func tag(_ name: String, at commit: String) throws {
        guard let id = ids[commit] else { throw GitError(message: "no commit \(commit)", call: "test") }
        try repository.createAnnotatedTag(name: name, target: id, tagger: person("rm@example.com"), message: "Release \(name)\n")
    }

    func hex(_ name: String) -> String { ids[name]?.hex ?? "missing" }

    func findings(_ rule: String, today: String = "2026-06-01") throws -> [Finding] {
        let project = try Workspace(repository: repository).loadProject(.revision("HEAD"), today: today)
        return Checker().check(project).findings.filter { $0.rule == rule }
    }

    /// dev@ writes two versions of the code (v1.0, then the fix in v1.1); records follow.
    static func product() throws -> GitRuleFixture {
        let fixture = try GitRuleFixture()
        try fixture.commit("first", by: "dev@example.com", [
            ".evident.yml": "version: 1\nproduct: Example gateway\nrecords: security\nidentities:\n  - email: sec@example.com\n    aliases: [s.ec@example.org]\n",
            "src dir/gerät.c": "int main(void) { return 0; }\n",
            "docs/readme.txt": "docs by writer\n",
        ])
        try fixture.tag("v1.0", at: "first")
        try fixture.commit("fix", by: "dev@example.com", ["src dir/gerät.c": "int main(void) { return 1; }\n"])
        try fixture.commit("docs", by: "writer@example.com", ["docs/readme.txt": "more docs\n"])
        try fixture.tag("v1.1", at: "docs")
        return fixture
    }

    static let head = "status: draft\nowner: sec@example.com\n"
}

struct GitRuleTests {
    typealias F = GitRuleFixture

    @Test func gitReferencesMustResolve() throws {
        let f = try F.product()
        try f.commit("records", by: "sec@example.com", [
            "security/d1.yaml": "kind: defect\nid: DEF-1\ntitle: A\n" + F.head + "fixed-in: \(f.hex("fix"))\nroot-cause:\n  introduced-in: v1.0\n",
            "security/d2.yaml": "kind: defect\nid: DEF-2\ntitle: B\n" + F.head + "fixed-in: 0123456789abcdef0123456789abcdef01234567\n",
            "security/d3.yaml": "kind: defect\nid: DEF-3\ntitle: B\nstatus: approved\nowner: sec@example.com\nfixed-in: v7\n",
            "security/r1.yaml": "kind: release\nid: REL-1\ntitle: R\n" + F.head + "tag: v1.1\n",
            "security/r2.yaml": "kind: release\nid: REL-2\ntitle: R\n" + F.head + "tag: v9.9\n",
            "security/r3.yaml": "kind: release\nid: REL-3\ntitle: R\n" + F.head + "tag: \(f.hex("fix"))\n",
            "security/c1.yaml": "kind: code-review\nid: CR-1\ntitle: C\n" + F.head + "range: v1.0..nowhere\n",
            "security/t1.yaml": "kind: test-report\nid: TR-1\ntitle: T\n" + F.head + "tested-revision: v1.1~1\n",
            "security/x1.yaml": "kind: design-review\nid: DR-1\ntitle: D\n" + F.head + "revision: v1.1\nfindings:\n  - id: F-1\n    fixed-in: deadbeef\n",
        ])
        let found = try f.findings("git-reference")
        let byRecord = Dictionary(grouping: found, by: { $0.record ?? "" })
        #expect(Set(byRecord.keys) == ["DEF-2", "DEF-3", "REL-2", "REL-3", "CR-1", "DR-1"], "\(found)")
        // Drafts may name what does not exist yet (a release written before tagging): a warning; others: an error.
        #expect(byRecord["DEF-2"]?.first?.severity == .warning)
        #expect(byRecord["DEF-3"]?.first?.severity == .error)
        #expect(byRecord["DEF-2"]?.first?.message.contains("fixed-in '0123456789abcdef0123456789abcdef01234567' does not name a commit") == true)
        #expect(byRecord["REL-3"]?.first?.message.contains("resolves to a commit, but a release names a tag") == true)
        #expect(byRecord["CR-1"]?.first?.message.contains("its head 'nowhere'") == true)
        #expect(byRecord["DR-1"]?.first?.message.contains("findings[1].fixed-in 'deadbeef'") == true)
        #expect(byRecord["DEF-2"]?.first?.line == 6)
    }

    @Test func fixMustBeAncestorOfTheReleaseClaimingIt() throws {
        let f = try F.product()
        try f.commit("records", by: "sec@example.com", [
            "security/d1.yaml": "kind: defect\nid: DEF-1\ntitle: A\n" + F.head + "fixed-in: \(f.hex("fix"))\n",
            "security/r1.yaml": "kind: release\nid: REL-1\ntitle: R\n" + F.head + "tag: v1.0\nopen-issues-reviewed:\n  - defect: DEF-1\n    decision: fixed\n",
            "security/r2.yaml": "kind: release\nid: REL-2\ntitle: R\n" + F.head + "tag: v1.1\nopen-issues-reviewed:\n  - defect: DEF-1\n    decision: fixed\n",
            "security/r3.yaml": "kind: release\nid: REL-3\ntitle: R\n" + F.head + "tag: v1.0\nopen-issues-reviewed:\n  - defect: DEF-1\n    decision: deferred\n",
            "security/u1.yaml": "kind: security-update\nid: SU-1\ntitle: U\n" + F.head + "release: REL-1\nfixes: [DEF-1]\n",
            "security/u2.yaml": "kind: security-update\nid: SU-2\ntitle: U\n" + F.head + "release: REL-2\nfixes: [DEF-1]\n",
        ])
        let found = try f.findings("fix-not-in-release")
        #expect(Set(found.compactMap(\.record)) == ["REL-1", "SU-1"], "\(found)")
        #expect(found.allSatisfy { $0.message.contains("not an ancestor of the release tag v1.0") && $0.severity == .error })
    }

    @Test func approvalCommittedBySomeoneElse() throws {
        let f = try F.product()
        let approval = "approval:\n  by: %@\n  date: 2026-02-01\n  digest: sha256:1111111111111111111111111111111111111111111111111111111111111111\n"
        func approved(_ id: String, by: String) -> String {
            "kind: defect\nid: \(id)\ntitle: A\n" + F.head + approval.replacingOccurrences(of: "%@", with: by)
        }
        try f.commit("draft", by: "dev@example.com", ["security/a.yaml": "kind: defect\nid: DEF-1\ntitle: A\n" + F.head])
        // boss approves, but dev commits it; sec approves under an alias and commits under the main address.
        try f.commit("approvals", by: "dev@example.com", ["security/a.yaml": approved("DEF-1", by: "boss@example.com")])
        try f.commit("approvals2", by: "sec@example.com", ["security/b.yaml": approved("DEF-2", by: "S.EC@example.org")])
        // A later unrelated commit by someone else keeps the approval block: the introducer still counts.
        try f.commit("later", by: "boss@example.com", ["security/b.yaml": approved("DEF-2", by: "S.EC@example.org") + "x-note: n\n"])
        let found = try f.findings("approval-not-by-approver")
        #expect(found.map(\.record) == ["DEF-1"], "\(found)")
        #expect(found.first?.message.contains("committed by dev@example.com") == true)
        #expect(found.first?.severity == .warning)
    }

    @Test func approvalIsJudgedByTheCommitThatBroughtTheCurrentBlock() throws {
        let f = try F.product()
        let body = "kind: defect\nid: DEF-1\ntitle: A\n" + F.head
        try f.commit("draft", by: "dev@example.com", ["security/a.yaml": body])
        // dev commits jonas's approval: the warning's advice is that jonas approves and commits himself.
        let first = try ApprovalText.approving(body, by: "jonas@example.com", date: "2026-02-01T10:00:00Z").text
        try f.commit("approval by dev", by: "dev@example.com", ["security/a.yaml": first])
        let warned = try f.findings("approval-not-by-approver")
        #expect(warned.count == 1 && warned.first?.message.contains("committed by dev@example.com (\(f.hex("approval by dev").prefix(12)))") == true, "\(warned)")
        // Same content, same digest: the new approval differs by its date, so jonas has something to commit.
        let date = ApprovalText.nextDate(now: "2026-02-01T10:00:00Z", after: "2026-02-01T10:00:00Z")
        let second = try ApprovalText.approving(first, by: "jonas@example.com", date: date).text
        #expect(second != first)
        try f.commit("approval by jonas", by: "jonas@example.com", ["security/a.yaml": second])
        #expect(try f.findings("approval-not-by-approver").isEmpty)
    }

    @Test func releaseGateMustBeApprovedAtItsTag() throws {
        let f = try F.product()
        func release(_ id: String, tag: String) -> String {
            "kind: release\nid: \(id)\ntitle: R\nstatus: in-review\nowner: rm@example.com\nversion: \"2.0\"\ntag: \(tag)\ndate: 2026-02-01\nopen-issues-reviewed: []\nprocess-verification: {}\n"
        }
        try f.commit("gates", by: "rm@example.com", ["security/r1.yaml": release("REL-1", tag: "v2.0"), "security/r2.yaml": release("REL-2", tag: "v2.1")])
        // Before any tag: a warning that the tag is not created yet, whatever the status.
        let approved1 = try ApprovalText.approving(release("REL-1", tag: "v2.0"), by: "rm@example.com", date: "2026-02-02T10:00:00Z").text
        try f.commit("approve REL-1", by: "rm@example.com", ["security/r1.yaml": approved1])
        let early = try f.findings("git-reference")
        #expect(early.count == 2 && early.allSatisfy { $0.severity == .warning && $0.message.contains("not created yet") }, "\(early)")
        #expect(try f.findings("release-gate").isEmpty)
        // REL-1 is tagged after its approval; v2.1 is made before REL-2 is approved.
        try f.tag("v2.0", at: "approve REL-1")
        try f.tag("v2.1", at: "approve REL-1")
        let unapproved = try f.findings("release-gate")
        #expect(unapproved.map(\.record) == ["REL-2"], "\(unapproved)")
        #expect(unapproved.first?.severity == .error)
        #expect(unapproved.first?.message.contains("is not approved at it (it is in-review there)") == true, "\(unapproved)")
        let approved2 = try ApprovalText.approving(release("REL-2", tag: "v2.1"), by: "rm@example.com", date: "2026-02-03T10:00:00Z").text
        try f.commit("approve REL-2", by: "rm@example.com", ["security/r2.yaml": approved2])
        let late = try f.findings("release-gate")
        #expect(late.count == 1 && late.first?.record == "REL-2", "\(late)")
        #expect(late.first?.message.contains("git tag -f v2.1 \(f.hex("approve REL-2").prefix(12))") == true, "\(late)")
        #expect(try f.findings("git-reference").isEmpty)
        // Judged at the tag itself, REL-1's gate shows approved there.
        let atTag = try Workspace(repository: f.repository).loadProject(.revision("v2.0"), today: "2026-06-01")
        #expect(atTag.records.first { $0.id == "REL-1" }?.isApprovedAndCurrent == true)
    }

    static let roles = "kind: roles\nid: ROLES-1\ntitle: Roles\n" + GitRuleFixture.head
        + "people:\n  - email: dev@example.com\n    name: Dev\n    organisation: Example\n    department: Firmware\n"
        + "  - email: writer@example.com\n    name: Writer\n    organisation: Example\n    department: Docs\n"

    static func report(_ id: String, type: String, revision: String, paths: [String]?, tester: String, department: String, organisation: String = "Example") -> String {
        "kind: test-report\nid: \(id)\ntitle: T\n" + GitRuleFixture.head + "test-type: \(type)\ntested-revision: \(revision)\n"
            + (paths.map { "tested-paths: [\($0.map { "\"\($0)\"" }.joined(separator: ", "))]\n" } ?? "")
            + "testers:\n  - email: \(tester)\n    organisation: \(organisation)\n    department: \(department)\n"
    }

    @Test func testersIndependentOfDevelopers() throws {
        let f = try F.product()
        try f.commit("records", by: "sec@example.com", [
            "security/roles.yaml": Self.roles,
            // dev tests the code dev wrote.
            "security/t1.yaml": Self.report("TR-1", type: "vulnerability", revision: "v1.1", paths: ["src dir/gerät.c"], tester: "dev@example.com", department: "QA"),
            // writer tests only the code: independent person, but the same department is not asked for vulnerability tests.
            "security/t2.yaml": Self.report("TR-2", type: "vulnerability", revision: "v1.1", paths: ["src dir"], tester: "writer@example.com", department: "Firmware"),
            // a colleague of dev's department tests requirements: not independent enough.
            "security/t3.yaml": Self.report("TR-3", type: "requirements", revision: "v1.1", paths: ["src dir"], tester: "colleague@example.com", department: "firmware"),
            // same department name in another organisation: independent.
            "security/t4.yaml": Self.report("TR-4", type: "penetration", revision: "v1.1", paths: ["src dir"], tester: "pen@other.example", department: "Firmware", organisation: "Other"),
            // writer authored docs, which are in the whole tree tested.
            "security/t5.yaml": Self.report("TR-5", type: "requirements", revision: "v1.1", paths: nil, tester: "writer@example.com", department: "Docs"),
            // up to v1.0 writer had not committed anything under docs/.
            "security/t6.yaml": Self.report("TR-6", type: "vulnerability", revision: "v1.0", paths: ["docs"], tester: "writer@example.com", department: "Docs"),
            // a range: only the fix and the docs commits.
            "security/t7.yaml": Self.report("TR-7", type: "vulnerability", revision: "v1.0..v1.1", paths: nil, tester: "dev@example.com", department: "QA"),
        ])
        let found = try f.findings("tester-independence")
        #expect(Set(found.compactMap(\.record)) == ["TR-1", "TR-3", "TR-5", "TR-7"], "\(found)")
        #expect(found.first { $0.record == "TR-3" }?.message.contains("like developer dev@example.com") == true)
    }

    @Test func reviewersAreNotAuthors() throws {
        let f = try F.product()
        let head = "kind: code-review\ntitle: C\n" + F.head
        try f.commit("records", by: "sec@example.com", [
            "security/c1.yaml": head + "id: CR-1\nrevision: \(f.hex("fix"))\nreviewers: [dev@example.com]\n",
            "security/c2.yaml": head + "id: CR-2\nrange: v1.0..v1.1\nreviewers: [writer@example.com]\n",
            "security/c3.yaml": head + "id: CR-3\nrange: v1.0..v1.1\nreviewers: [sec@example.com]\n",
            "security/c4.yaml": head + "id: CR-4\nrevision: v1.1\nauthors: [s.ec@example.org]\nreviewers: [sec@example.com]\n",
        ])
        let found = try f.findings("reviewer-independence")
        #expect(Set(found.compactMap(\.record)) == ["CR-1", "CR-2", "CR-4"], "\(found)")
        #expect(found.first { $0.record == "CR-2" }?.message.contains("authored commits in v1.0..v1.1") == true)
    }

    @Test func gitRulesAreSilentWithoutGit() throws {
        let files = [
            ".evident.yml": RuleExample.defaultConfig,
            "security/d.yaml": "kind: defect\nid: DEF-1\ntitle: A\n" + F.head + "fixed-in: nothing\n",
        ]
        let project = try Project.load(from: MemorySource(files), catalog: Catalog.standard(), today: "2026-06-01")
        let found = Checker().check(project).findings.filter { ["git-reference", "fix-not-in-release", "approval-not-by-approver", "tester-independence"].contains($0.rule) }
        #expect(found.isEmpty)
    }

    @Test(arguments: [("2026-01-31", 1, "2026-02-28"), ("2024-01-31", 1, "2024-02-29"), ("2025-11-15", 12, "2026-11-15"), ("2025-12-01", 1, "2026-01-01")])
    func monthArithmetic(date: String, months: Int, expected: String) {
        #expect(Day.adding(months: months, to: date) == expected)
    }
}
