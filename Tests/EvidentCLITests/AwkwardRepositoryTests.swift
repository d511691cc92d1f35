import Foundation
import Testing

/// `check`, `coverage` and `log` through the built binary in repositories that are not a plain clone:
/// each works, or says clearly what it cannot tell (never a crash, never exit 2 where a judgement is possible).
@Suite(.serialized)
struct AwkwardRepositoryTests {
    static let defect = "kind: defect\nid: DEF-1\ntitle: Buffer overflow\nstatus: draft\nowner: ada@example.com\n"

    /// A product with one record committed twice.
    func product(recordPath: String = "security/defects/def-1.yaml") throws -> Scratch {
        let scratch = try Scratch.product()
        try scratch.write(recordPath, Self.defect)
        try scratch.git("add", "-A")
        try scratch.git("commit", "-q", "-m", "Add DEF-1")
        try scratch.write(recordPath, Self.defect + "description: Found by fuzzing.\n")
        try scratch.git("commit", "-q", "-am", "Describe DEF-1")
        return scratch
    }

    func expectJudged(_ result: RunResult, _ what: String) {
        #expect(result.status == 0 || result.status == 1, "\(what) exited \(result.status): \(result.output)")
        #expect(!result.output.contains("Fatal error"), "\(what): \(result.output)")
    }

    @Test func shallowCloneSaysHistoryIsIncomplete() throws {
        let scratch = try product()
        let shallow = scratch.root.appendingPathComponent("shallow")
        let cloned = try scratch.git("clone", "-q", "--depth", "1", "file://" + scratch.repo.path, shallow.path, in: scratch.root)
        #expect(cloned.status == 0, "\(cloned.output)")
        let check = try scratch.evident("check", "--records", in: shallow)
        expectJudged(check, "check --records")
        #expect(check.stdout.contains("note: shallow clone"), "\(check.stdout)")
        #expect(check.stdout.contains("DEF-1"))
        let log = try scratch.evident("log", "DEF-1", in: shallow)
        #expect(log.status == 0, "\(log.output)")
        #expect(log.output.contains("shallow clone"), "\(log.output)")
        expectJudged(try scratch.evident("coverage", in: shallow), "coverage")
    }

    @Test func emptyRepositoryRecordsAreNotYetCommitted() throws {
        let scratch = try Scratch()
        try scratch.git("init", "-q")
        #expect(try scratch.evident("init", "--product", "Test gateway").status == 0)
        try scratch.write("security/defects/def-1.yaml", Self.defect)
        let check = try scratch.evident("check", "--records")
        expectJudged(check, "check --records")
        #expect(check.stdout.contains("not yet committed"), "\(check.stdout)")
        #expect(check.stdout.contains("no commits yet"), "\(check.stdout)")
        let log = try scratch.evident("log", "DEF-1")
        #expect(log.status == 0, "\(log.output)")
        #expect(log.output.contains("no commits yet"), "\(log.output)")
        expectJudged(try scratch.evident("coverage"), "coverage")
    }

    @Test func unbornBranchInARepositoryWithCommits() throws {
        let scratch = try product()
        #expect(try scratch.git("checkout", "-q", "--orphan", "fresh").status == 0)
        let check = try scratch.evident("check", "--records")
        expectJudged(check, "check --records")
        #expect(check.stdout.contains("unborn"), "\(check.stdout)")
        #expect(check.stdout.contains("not yet committed"), "\(check.stdout)")
        expectJudged(try scratch.evident("coverage"), "coverage")
    }

    @Test func detachedHeadIsJudgedAtItsCommit() throws {
        let scratch = try product()
        #expect(try scratch.git("checkout", "-q", "--detach", "HEAD~1").status == 0)
        let check = try scratch.evident("check", "--records")
        expectJudged(check, "check --records")
        #expect(check.stdout.contains("created 2026-03-01 by ada@example.com"), "\(check.stdout)")
        #expect(check.stdout.contains("1 commit,"), "\(check.stdout)")
        let log = try scratch.evident("log", "DEF-1")
        #expect(log.status == 0 && log.output.contains("Add DEF-1") && !log.output.contains("Describe DEF-1"), "\(log.output)")
    }

    @Test func linkedWorktree() throws {
        let scratch = try product()
        let worktree = scratch.root.appendingPathComponent("linked tree")
        #expect(try scratch.git("worktree", "add", "-q", "-b", "side", worktree.path).status == 0)
        let check = try scratch.evident("check", "--records", in: worktree)
        expectJudged(check, "check --records")
        #expect(check.stdout.contains("2 commits"), "\(check.stdout)")
        let log = try scratch.evident("log", "DEF-1", in: worktree)
        #expect(log.status == 0 && log.output.contains("Describe DEF-1"), "\(log.output)")
        expectJudged(try scratch.evident("coverage", in: worktree), "coverage")
    }

    @Test func bareRepositoryNeedsRevAndWorksWithIt() throws {
        let scratch = try product()
        let bare = scratch.root.appendingPathComponent("bare.git")
        #expect(try scratch.git("clone", "-q", "--bare", scratch.repo.path, bare.path, in: scratch.root).status == 0)
        let plain = try scratch.evident("check", in: bare)
        #expect(plain.status == 2)
        #expect(plain.stderr.contains("--rev"), "\(plain.output)")
        let check = try scratch.evident("check", "--rev", "HEAD", "--records", in: bare)
        expectJudged(check, "check --rev HEAD --records")
        #expect(check.stdout.contains("2 commits"), "\(check.stdout)")
        expectJudged(try scratch.evident("coverage", "--rev", "main", in: bare), "coverage --rev main")
        #expect(try scratch.evident("check", "--rev", "nowhere", in: bare).status == 2)
    }

    @Test func nonUTF8CommitMessage() throws {
        let scratch = try product()
        try scratch.write("security/defects/def-1.yaml", Self.defect + "description: Caf\u{e9}.\n")
        let message = scratch.root.appendingPathComponent("message")
        try Data([0x43, 0x61, 0x66, 0xE9, 0x20, 0x66, 0x69, 0x78, 0x0A]).write(to: message) // "Café fix" in Latin-1
        #expect(try scratch.git("-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "-a", "-F", message.path).status == 0)
        let log = try scratch.evident("log", "DEF-1")
        #expect(log.status == 0, "\(log.output)")
        #expect(log.stdout.contains("Caf"), "\(log.stdout)")
        let json = try scratch.evident("log", "DEF-1", "--format", "json")
        #expect(json.status == 0)
        #expect((try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8))) != nil, "\(json.stdout)")
        expectJudged(try scratch.evident("check", "--records"), "check --records")
    }

    @Test func pathsWithSpacesAndNonASCII() throws {
        let path = "security/défauts et failles/DEF 1 – überlauf.yaml"
        let scratch = try product(recordPath: path)
        let check = try scratch.evident("check", "--records")
        expectJudged(check, "check --records")
        #expect(check.stdout.contains(path), "\(check.stdout)")
        #expect(check.stdout.contains("2 commits"), "\(check.stdout)")
        let byID = try scratch.evident("log", "DEF-1")
        #expect(byID.status == 0 && byID.output.contains("Describe DEF-1"), "\(byID.output)")
        let byPath = try scratch.evident("log", path)
        #expect(byPath.status == 0 && byPath.output.contains("Add DEF-1"), "\(byPath.output)")
        let json = try scratch.evident("check", "--format", "json")
        #expect((try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8))) != nil)
    }
}
