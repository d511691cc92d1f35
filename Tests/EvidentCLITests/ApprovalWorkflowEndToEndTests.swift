import Foundation
import Testing

/// A team's approval cycle through the built binary, in a real repository with several authors and
/// the pre-commit hook installed: create, approve, reopen, revise, re-approve, a release gate
/// approved before its tag. Nobody edits an approval block by hand, and every piece of advice the
/// tool prints is followed as written and must clear what it was about. The git CLI is the oracle.
@Suite struct ApprovalWorkflowEndToEndTests {
    struct Person {
        var name: String
        var email: String
    }

    static let alice = Person(name: "Alice Adams", email: "alice@example.com")   // product security officer
    static let bob = Person(name: "Bob Brown", email: "bob@example.com")         // developer
    static let rita = Person(name: "Rita Rossi", email: "rita@example.com")      // release manager

    /// A scratch product whose commits carry distinct, increasing dates.
    final class Team {
        let scratch: Scratch
        var minute = 0

        init() throws {
            scratch = try Scratch.product()
        }

        func environment(_ person: Person) -> [String: String] {
            minute += 1
            let date = String(format: "2026-03-02T%02d:%02d:00Z", 8 + minute / 60, minute % 60)
            return ["GIT_AUTHOR_NAME": person.name, "GIT_AUTHOR_EMAIL": person.email, "GIT_COMMITTER_NAME": person.name,
                    "GIT_COMMITTER_EMAIL": person.email, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date]
        }

        /// Runs evident as a person (their git identity in the environment, as on their machine).
        @discardableResult
        func evident(_ person: Person, _ arguments: String...) throws -> RunResult {
            guard let binary = EvidentBinary.path else { throw ScratchError.noBinary }
            return try scratch.run(binary, arguments, env: environment(person))
        }

        @discardableResult
        func git(_ person: Person, _ arguments: String...) throws -> RunResult {
            try scratch.run("/usr/bin/env", ["git", "-c", "commit.gpgsign=false"] + arguments, env: environment(person))
        }

        /// `git add -A` and `git commit` as a person; the hook judges it.
        @discardableResult
        func commit(_ person: Person, _ message: String...) throws -> RunResult {
            try git(person, "add", "-A")
            return try scratch.run("/usr/bin/env", ["git", "-c", "commit.gpgsign=false", "commit", "-q"] + message.flatMap { ["-m", $0] },
                                   env: environment(person))
        }

        /// Runs a command line the tool printed as advice (`git add X && git commit -m '...'`, `git tag -f ...`).
        @discardableResult
        func follow(_ person: Person, _ advice: String) throws -> RunResult {
            try scratch.run("/bin/sh", ["-c", advice.replacingOccurrences(of: "git ", with: "git -c commit.gpgsign=false ")], env: environment(person))
        }

        func text(_ path: String) throws -> String { String(decoding: try scratch.read(path), as: UTF8.self) }

        func head() throws -> String { try scratch.git("rev-parse", "HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// The command line of the `next: ...` advice in a command's output (from its first `git `).
    static func advice(_ output: String) -> String? {
        guard let line = output.components(separatedBy: "\n").first(where: { $0.hasPrefix("next: ") }),
              let start = line.range(of: "git ") else { return nil }
        return String(line[start.lowerBound...])
    }

    /// The repository path `evident new` printed.
    static func createdPath(_ output: String, in scratch: Scratch) -> String? {
        guard let line = output.components(separatedBy: "\n").first(where: { $0.hasSuffix(".yaml") }) else { return nil }
        return line.hasPrefix(scratch.repo.path + "/") ? String(line.dropFirst(scratch.repo.path.count + 1)) : line
    }

    static let roles = """
        kind: roles
        id: ROLES-001
        title: Gateway security roles
        status: draft
        owner: alice@example.com
        people:
          - {email: alice@example.com, name: Alice Adams, department: Product Security}
          - {email: bob@example.com, name: Bob Brown, department: Firmware}
          - {email: rita@example.com, name: Rita Rossi, department: Release Management}
        roles:
          - id: product-security-officer
            name: Product security officer
            members: [alice@example.com]
            approves: [process, roles, threat-model]
          - id: release-manager
            name: Release manager
            members: [rita@example.com]
            approves: [release]
          - id: developer
            name: Firmware developer
            members: [bob@example.com]
        raci:
          - activity: Threat modelling
            requirements: [SR-2]
            responsible: [product-security-officer]
            accountable: product-security-officer

        """

    @Test func createApproveReopenReviseReapproveWithTheHookInstalled() throws {
        let team = try Team()
        #expect(try team.scratch.evident("hook", "install").status == 0)
        try team.scratch.write("security/process/ROLES-001.yaml", Self.roles)
        #expect(try team.commit(Self.alice, "Roles").status == 0)
        let rolesApproval = try team.evident(Self.alice, "approve", "ROLES-001")
        #expect(rolesApproval.status == 0, "\(rolesApproval.output)")
        #expect(try team.follow(Self.alice, try #require(Self.advice(rolesApproval.stdout))).status == 0)

        // Bob writes the threat model; as a developer he may not approve it, and nothing is written.
        let created = try team.evident(Self.bob, "new", "threat-model", "--title", "Gateway threat model")
        let path = "security/threat-models/TM-001.yaml"
        #expect(created.stdout.contains(path), "\(created.output)")
        try TemplateFilling.fill(at: team.scratch.repo.appendingPathComponent(path))
        #expect(try team.commit(Self.bob, "Threat model draft").status == 0)
        let draft = try team.scratch.read(path)
        let refused = try team.evident(Self.bob, "approve", "TM-001")
        #expect(refused.status == 1, "\(refused.output)")
        #expect(refused.stderr.contains("[approver-role]") && refused.stderr.contains("product-security-officer (alice@example.com, ROLES-001)"), "\(refused.stderr)")
        #expect(try team.scratch.read(path) == draft)

        // Alice approves: status and approval together, nothing else changed; the hook lets her commit it.
        let approved = try team.evident(Self.alice, "approve", "TM-001")
        #expect(approved.status == 0, "\(approved.output)")
        let approvedText = try team.text(path)
        #expect(approvedText.contains("\nstatus: approved\n") && approvedText.contains("\napproval:\n  by: alice@example.com\n  date: 2026-03-01T00:00:00Z\n"))
        #expect(approvedText.replacingOccurrences(of: "status: approved", with: "status: draft").hasPrefix(String(decoding: draft, as: UTF8.self)))
        #expect(try team.follow(Self.alice, try #require(Self.advice(approved.stdout))).status == 0)
        let firstApproval = try team.head()
        let clean = try team.scratch.evident("check")
        #expect(clean.status == 0 && clean.stdout.contains("0 errors, 0 warnings"), "\(clean.output)")

        // Bob changes the approved model: the hook refuses, and its advice names 'evident reopen'.
        let body = try team.text(path)
        try team.scratch.write(path, body.replacingOccurrences(of: "scope: Stated by the team", with: "scope: Gateway firmware and its Modbus/TCP service."))
        let blocked = try team.commit(Self.bob, "Widen the scope")
        #expect(blocked.status != 0)
        #expect(blocked.output.contains("[stale-approval]") && blocked.output.contains("'evident reopen TM-001'"), "\(blocked.output)")
        let reopened = try team.evident(Self.bob, "reopen", "TM-001", "--reason", "scope covers the Modbus/TCP service")
        #expect(reopened.status == 0, "\(reopened.output)")
        let reopenedText = try team.text(path)
        #expect(reopenedText.contains("\nstatus: in-review\n") && !reopenedText.contains("approval:"))
        let reopenAdvice = try #require(Self.advice(reopened.stdout))
        #expect(reopenAdvice.contains("Reopen-Reason: scope covers the Modbus/TCP service"))
        let reopenCommit = try team.follow(Self.bob, reopenAdvice)
        #expect(reopenCommit.status == 0, "\(reopenCommit.output)")
        let reopenID = try team.head()
        // Reopening what is not approved is refused, writing nothing.
        let again = try team.evident(Self.bob, "reopen", "TM-001")
        #expect(again.status == 2 && again.stderr.contains("is not approved (status in-review)"), "\(again.output)")
        #expect(try team.text(path) == reopenedText)

        // Under revision the record does not count as approved; Bob revises and commits freely.
        try team.scratch.write(path, reopenedText.replacingOccurrences(of: "title: Gateway threat model", with: "title: Gateway threat model (Modbus/TCP)"))
        #expect(try team.commit(Self.bob, "Revise the threat model").status == 0)

        // A hand-set 'in-review' over a stale approval is a note, not a refusal: the hook never forces
        // anyone to edit an approval block by hand.
        try team.scratch.write(path, approvedText)
        #expect(try team.commit(Self.alice, "Restore the approved version").status == 0)
        try team.scratch.write(path, approvedText.replacingOccurrences(of: "status: approved", with: "status: in-review")
            .replacingOccurrences(of: "method: STRIDE", with: "method: STRIDE per element"))
        let noted = try team.commit(Self.bob, "Edit under review")
        #expect(noted.status == 0, "\(noted.output)")
        let noteCheck = try team.scratch.evident("check")
        #expect(noteCheck.status == 0 && noteCheck.stdout.contains("note: [stale-approval]") && noteCheck.stdout.contains("1 note"), "\(noteCheck.output)")

        // Alice re-approves on Bob's machine (--by), Bob commits: a warning whose advice Alice follows.
        let onBobs = try team.evident(Self.bob, "approve", "TM-001", "--by", "alice@example.com")
        #expect(onBobs.status == 0, "\(onBobs.output)")
        #expect(try team.commit(Self.bob, "Approve TM-001 for Alice").status == 0)
        let warned = try team.scratch.evident("check")
        #expect(warned.stdout.contains("[approval-not-by-approver]") && warned.stdout.contains("committed by bob@example.com"), "\(warned.output)")
        let byAlice = try team.evident(Self.alice, "approve", "TM-001")
        #expect(byAlice.status == 0, "\(byAlice.output)")
        let followed = try team.follow(Self.alice, try #require(Self.advice(byAlice.stdout)))
        #expect(followed.status == 0, "the re-approval of unchanged content must leave something to commit: \(followed.output)")
        let cleared = try team.scratch.evident("check")
        #expect(cleared.status == 0 && !cleared.stdout.contains("approval-not-by-approver") && cleared.stdout.contains("0 warnings"), "\(cleared.output)")

        // The approval history, from git: newest first, each at the commit git log names.
        let log = try team.scratch.evident("log", "TM-001", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [String: Any])
        let approvals = try #require(object["approvals"] as? [[String: Any]])
        #expect(approvals.map { $0["event"] as? String } == ["approved", "approved", "stale", "approved", "removed", "approved"], "\(approvals)")
        #expect(approvals.map { $0["author"] as? String } == ["alice@example.com", "bob@example.com", "bob@example.com", "alice@example.com", "bob@example.com", "alice@example.com"])
        #expect(approvals.last?["commit"] as? String == firstApproval)
        #expect(approvals[4]["commit"] as? String == reopenID)
        #expect(approvals[4]["reason"] as? String == "scope covers the Modbus/TCP service")
        #expect(approvals.first?["date"] as? String == "2026-03-01T00:00:02Z")
        #expect(approvals.allSatisfy { ($0["digest"] as? String)?.hasPrefix("sha256:") == true })
        let oracle = try team.scratch.git("log", "--format=%H", "--", path).stdout.split(separator: "\n").map(String.init)
        #expect(approvals.allSatisfy { oracle.contains($0["commit"] as? String ?? "") })
        let text = try team.scratch.evident("log", "TM-001")
        #expect(text.stdout.contains("Approvals (newest first):") && text.stdout.contains("reason: scope covers the Modbus/TCP service"), "\(text.stdout)")
    }

    @Test func releaseGateApprovedBeforeItsTag() throws {
        let team = try Team()
        #expect(try team.scratch.evident("hook", "install").status == 0)
        try team.scratch.write("security/process/ROLES-001.yaml", Self.roles)
        #expect(try team.commit(Self.alice, "Roles").status == 0)
        let created = try team.evident(Self.rita, "new", "release", "--title", "Release 1.0.0")
        #expect(created.status == 0, "\(created.output)")
        try TemplateFilling.fill(at: team.scratch.repo.appendingPathComponent(try #require(Self.createdPath(created.stdout, in: team.scratch))))
        #expect(try team.commit(Self.rita, "Release gate draft").status == 0)
        let pending = try team.scratch.evident("check")
        #expect(pending.status == 0 && pending.stdout.contains("warning: [git-reference] tag v1.0.0 not created yet"), "\(pending.output)")

        // Approved and committed before the tag: a warning only, so the hook lets it through.
        let approved = try team.evident(Self.rita, "approve", "REL-001")
        #expect(approved.status == 0, "\(approved.output)")
        #expect(approved.stdout.contains("tag v1.0.0 not created yet"))
        #expect(try team.follow(Self.rita, try #require(Self.advice(approved.stdout))).status == 0)
        #expect(try team.git(Self.rita, "tag", "-a", "v1.0.0", "-m", "Release 1.0.0").status == 0)
        let tagged = try team.scratch.evident("check")
        #expect(tagged.status == 0 && tagged.stdout.contains("0 errors, 0 warnings"), "\(tagged.output)")
        // At the tag the gate shows approved.
        let atTag = try team.scratch.evident("check", "--rev", "v1.0.0", "--format", "json")
        #expect(atTag.status == 0 && atTag.stdout.contains("\"status\" : \"approved\""), "\(atTag.stdout.prefix(600))")

        // The next release is tagged before its gate is approved: an error that blocks, with advice that works.
        let second = try team.evident(Self.rita, "new", "release", "--title", "Release 1.1.0")
        let path = try #require(Self.createdPath(second.stdout, in: team.scratch))
        try team.scratch.write(path, TemplateFilling.fill(try team.text(path)).replacingOccurrences(of: "tag: v1.0.0 ", with: "tag: v1.1.0 ").replacingOccurrences(of: "version: \"1.0.0\"", with: "version: \"1.1.0\""))
        #expect(try team.commit(Self.rita, "Release 1.1.0 gate").status == 0)
        #expect(try team.git(Self.rita, "tag", "-a", "v1.1.0", "-m", "Release 1.1.0").status == 0)
        let early = try team.scratch.evident("check")
        #expect(early.status == 1 && early.stdout.contains("error: [release-gate] tag v1.1.0 exists"), "\(early.output)")
        let approve = try team.evident(Self.rita, "approve", "REL-002")
        #expect(approve.status == 0 && approve.stdout.contains("warning: [release-gate] tag v1.1.0 already exists"), "\(approve.output)")
        #expect(try team.follow(Self.rita, try #require(Self.advice(approve.stdout))).status == 0)
        let late = try team.scratch.evident("check")
        #expect(late.status == 1, "\(late.output)")
        let move = try #require(late.stdout.components(separatedBy: "'").first { $0.hasPrefix("git tag -f v1.1.0 ") }, "\(late.stdout)")
        #expect(try team.follow(Self.rita, move).status == 0)
        let moved = try team.scratch.evident("check")
        #expect(moved.status == 0 && moved.stdout.contains("0 errors, 0 warnings"), "\(moved.output)")
    }

    @Test func approveRefusesBadInputAndWritesNothing() throws {
        let team = try Team()
        let created = try team.evident(Self.bob, "new", "process", "--title", "SDL procedure")
        let path = try #require(Self.createdPath(created.stdout, in: team.scratch))
        try team.scratch.write(path, TemplateFilling.fill(try team.text(path)).replacingOccurrences(of: "\nowner:", with: "\naudiance: everyone\nowner:"))
        let before = try team.scratch.read(path)
        let invalid = try team.evident(Self.alice, "approve", "PROC-001")
        #expect(invalid.status == 1 && invalid.stderr.contains("\(path):") && invalid.stderr.contains("audiance"), "\(invalid.output)")
        let retired = try #require(Self.createdPath(try team.evident(Self.bob, "new", "guideline", "--title", "Old guide").stdout, in: team.scratch))
        try team.scratch.write(retired, try team.text(retired).replacingOccurrences(of: "\nstatus: draft\n", with: "\nstatus: retired\n"))
        try FileManager.default.createSymbolicLink(atPath: team.scratch.repo.appendingPathComponent("security/link.yaml").path, withDestinationPath: "process/PROC-001.yaml")
        try team.scratch.write("outside.yaml", "kind: process\n")
        let cases: [([String], String)] = [
            (["approve", "NOPE-001"], "no record with id or path 'NOPE-001'"),
            (["approve", "security/link.yaml"], "is a symbolic link"),
            (["approve", "outside.yaml"], "is not in the records folder"),
            (["approve", "../elsewhere.yaml"], "is outside the repository"),
            (["approve", "PROC-001", "--by", "alice"], "'alice' is not an email address"),
            (["reopen", "PROC-001"], "is not approved (status draft)"),
            (["approve", retired], "is retired: a withdrawn record is not approved again"),
        ]
        for (arguments, message) in cases {
            guard let binary = EvidentBinary.path else { throw ScratchError.noBinary }
            let result = try team.scratch.run(binary, arguments)
            #expect(result.status == 2 && result.stderr.contains(message), "\(arguments): \(result.output)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        }
        #expect(try team.scratch.read(path) == before)
        #expect(!(try team.text(retired)).contains("approval:"))

        // Without --by and without an identity: refused. With git's user.email (read through
        // libgit2 from the repository's configuration), that is the approver.
        guard let binary = EvidentBinary.path else { throw ScratchError.noBinary }
        let anonymous = ["GIT_AUTHOR_EMAIL": "", "EMAIL": ""]
        let nobody = try team.scratch.run(binary, ["approve", retired], env: anonymous)
        #expect(nobody.status == 2 && nobody.stderr.contains("no approver: pass --by EMAIL"), "\(nobody.output)")
        try team.scratch.write(path, String(decoding: before, as: UTF8.self).replacingOccurrences(of: "\naudiance: everyone", with: ""))
        try team.scratch.git("config", "user.email", "carol@example.com")
        let configured = try team.scratch.run(binary, ["approve", "PROC-001"], env: anonymous)
        #expect(configured.status == 0 && configured.stdout.contains("by carol@example.com"), "\(configured.output)")
        #expect(try team.text(path).contains("\napproval:\n  by: carol@example.com\n"))
        #expect(try team.scratch.git("status", "--porcelain", "--untracked-files=all").stdout.split(separator: "\n").sorted()
                == ["?? outside.yaml", "?? \(path)", "?? \(retired)", "?? security/link.yaml"].sorted())
    }

    @Test func revisionsBeforeInitHaveNoEvidence() throws {
        let scratch = try Scratch()
        try scratch.git("init", "-q")
        try scratch.write("README.md", "firmware\n")
        try scratch.git("add", "-A")
        try scratch.git("commit", "-q", "-m", "first")
        try scratch.git("tag", "v0.9")
        #expect(try scratch.evident("init", "--product", "Gateway").status == 0)
        // The maturity level `init` writes is the README's default.
        let config = String(decoding: try scratch.read(".evident.yml"), as: UTF8.self)
        #expect(config.contains("\nmaturity: 3\n"))
        let readme = try String(contentsOf: EvidentBinary.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("| ML3 (default) |"))
        try scratch.git("add", "-A")
        try scratch.git("commit", "-q", "-m", "evident init")
        #expect(try scratch.evident("coverage").stdout.contains("at maturity level 3"))

        let coverage = try scratch.evident("coverage", "--rev", "v0.9")
        #expect(coverage.status == 2 && coverage.stderr.contains("v0.9 has no .evident.yml: no evidence at that revision"), "\(coverage.output)")
        let diff = try scratch.evident("diff", "v0.9..HEAD", "--format", "json")
        #expect(diff.status == 0, "\(diff.output)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any])
        #expect((object["notes"] as? [String])?.first?.contains("v0.9 has no .evident.yml") == true)
        let coverageChanges = try #require(object["coverage"] as? [[String: Any]])
        #expect(coverageChanges.isEmpty || coverageChanges.allSatisfy { $0["from"] as? String == "missing" })
        let text = try scratch.evident("diff", "v0.9..HEAD")
        #expect(text.stdout.contains("note: v0.9 has no .evident.yml"), "\(text.output)")

        let bundle = scratch.root.appendingPathComponent("bundle.zip").path
        let export = try scratch.evident("export", "--out", bundle, "--level", "2")
        #expect(export.status == 0, "\(export.output)")
        let json = try scratch.run("/usr/bin/env", ["unzip", "-p", bundle, "coverage.json"])
        #expect(json.stdout.contains("\"level\" : 2") || json.stdout.contains("\"level\":2"), "\(json.stdout.prefix(200))")
        #expect(try scratch.evident("export", "--out", bundle, "--level", "5", "--force").status == 64)
    }
}
