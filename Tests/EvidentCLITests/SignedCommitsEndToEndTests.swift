import Foundation
import Testing

/// `signatures:` end to end: verdicts in `log` equal git's `%G?`, signers come from the trusted revision, and
/// `require: approvals` / `all` refuse what is not signed G by the right key.
@Suite struct SignedCommitsEndToEndTests {
    /// A product repository with two SSH keys (lead listed as lead@example.com, mallory not), the allowed-signers
    /// file committed and tagged `signers-v1`, and `require` as given.
    static func product(require: String) throws -> (Scratch, lead: String, mallory: String) {
        let scratch = try Scratch.product()
        var keys: [String] = []
        for name in ["lead", "mallory"] {
            let path = scratch.root.appendingPathComponent(name).path
            let made = try scratch.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path])
            guard made.status == 0 else { throw ScratchError.failed(made.output) }
            keys.append(path)
        }
        let leadPublic = try String(contentsOfFile: keys[0] + ".pub", encoding: .utf8)
        try scratch.write(".evident/allowed_signers", "# who may sign evidence\nlead@example.com \(leadPublic)")
        var config = String(decoding: try scratch.read(".evident.yml"), as: UTF8.self)
        config += "signatures:\n  allowed-signers: .evident/allowed_signers\n  trusted-rev: signers-v1\n  require: \(require)\n"
        try scratch.write(".evident.yml", config)
        try scratch.git("add", "-A")
        try scratch.git("commit", "-q", "-m", "signers")
        try scratch.git("tag", "signers-v1")
        return (scratch, keys[0], keys[1])
    }

    static func commit(_ scratch: Scratch, _ message: String, key: String?) throws {
        try scratch.git("add", "-A")
        let result: RunResult
        if let key {
            result = try scratch.git("-c", "gpg.format=ssh", "-c", "user.signingkey=\(key)", "commit", "-q", "-S", "-m", message)
        } else {
            result = try scratch.git("commit", "-q", "-m", message)
        }
        guard result.status == 0 else { throw ScratchError.failed(result.output) }
    }

    @Test func logVerdictsEqualGitsAndApprovalsNeedTheApproversSignature() throws {
        let (scratch, lead, mallory) = try Self.product(require: "approvals")
        let path = try scratch.evident("new", "defect", "--owner", "dev@example.com").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let written = String(decoding: try scratch.read(path), as: UTF8.self)
        try scratch.write(path, TemplateFilling.fill(written).replacingOccurrences(of: "status: draft", with: "status: approved"))
        try Self.commit(scratch, "defect, unsigned", key: nil)
        #expect(try scratch.evident("approve", "DEF-001", "--by", "lead@example.com").status == 0)
        // Not committed yet (what the pre-commit hook sees): a warning, so the approval can be committed.
        try scratch.git("add", "-A")
        let pending = try scratch.evident("check", "--staged")
        #expect(pending.status == 0, "\(pending.output)")
        #expect(pending.stdout.contains("warning: [approval-not-signed]") && pending.stdout.contains("not committed yet"))
        try Self.commit(scratch, "approval, signed by a key nobody listed", key: mallory)

        let refused = try scratch.evident("check")
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("error: [approval-not-signed]"), "\(refused.output)")
        #expect(refused.stdout.contains("is U: valid signature"))
        let coverage = try scratch.evident("coverage", "--format", "json")
        #expect(!coverage.stdout.contains("\"approved\" : true"), "an unsigned approval must not count in coverage")

        // Someone adds mallory to the allowed signers in a later commit: the trusted revision still decides.
        let malloryPublic = try String(contentsOfFile: mallory + ".pub", encoding: .utf8)
        try scratch.write(".evident/allowed_signers", "lead@example.com \(try String(contentsOfFile: lead + ".pub", encoding: .utf8))lead@example.com \(malloryPublic)")
        try Self.commit(scratch, "mallory lists herself", key: mallory)
        #expect(try scratch.evident("check").stdout.contains("[approval-not-signed]"))

        // Re-approved in a commit signed by the lead's key: the approval counts.
        let url = scratch.repo.appendingPathComponent(path)
        let text = try String(contentsOf: url, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "title:", with: "title: Reviewed,").utf8).write(to: url)
        #expect(try scratch.evident("approve", "DEF-001", "--by", "lead@example.com").status == 0)
        try Self.commit(scratch, "re-approved by the lead, signed", key: lead)
        let accepted = try scratch.evident("check")
        #expect(!accepted.stdout.contains("[approval-not-signed]"), "\(accepted.output)")
        let counted = try scratch.evident("coverage", "--format", "json").stdout
        #expect(counted.contains("\"approved\" : true"), "a signed approval counts")
        #expect(counted.contains("\"signer\" : \"lead@example.com\""))
        let checkJSON = try scratch.evident("check", "--format", "json").stdout
        #expect(checkJSON.contains("\"status\" : \"G\""), "\(checkJSON)")

        // log: each commit's letter equals git's with the trusted allowed-signers file.
        let trusted = scratch.root.appendingPathComponent("trusted_signers").path
        try Data("lead@example.com \(try String(contentsOfFile: lead + ".pub", encoding: .utf8))".utf8).write(to: URL(fileURLWithPath: trusted))
        let log = try scratch.evident("log", "DEF-001", "--format", "json")
        #expect(log.status == 0, "\(log.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [String: Any])
        let commits = try #require(object["commits"] as? [[String: Any]])
        #expect(commits.count == 3)
        var letters: [String] = []
        for commit in commits {
            let id = try #require(commit["id"] as? String)
            let signature = try #require(commit["signature"] as? [String: Any])
            let git = try scratch.git("-c", "gpg.ssh.allowedSignersFile=\(trusted)", "log", "-1", "--format=%G?%n%GF", id).stdout.split(separator: "\n").map(String.init)
            #expect(signature["status"] as? String == git.first, "\(id)")
            if git.count > 1 { #expect(signature["key"] as? String == git[1]) }
            letters.append(signature["status"] as? String ?? "?")
        }
        #expect(letters == ["G", "U", "N"])
        #expect(commits.first?["signature"].flatMap { ($0 as? [String: Any])?["signer"] as? String } == "lead@example.com")
        #expect((object["notes"] as? [String])?.contains { $0.contains("trusted revision signers-v1") } == true)
        let textLog = try scratch.evident("log", "DEF-001")
        #expect(textLog.stdout.contains("signature: G good signature by lead@example.com"))
        let records = try scratch.evident("check", "--records")
        #expect(records.stdout.contains("last change signature: G"), "\(records.stdout)")
    }

    @Test func requireAllNamesEveryCommitThatIsNotGood() throws {
        let (scratch, lead, _) = try Self.product(require: "all")
        _ = try scratch.evident("new", "defect", "--owner", "dev@example.com")
        try Self.commit(scratch, "defect, signed", key: lead)
        #expect(!(try scratch.evident("check")).stdout.contains("[record-change-not-signed]"))
        try scratch.write("security/defects/DEF-001.yaml", String(decoding: try scratch.read("security/defects/DEF-001.yaml"), as: UTF8.self) + "# note\n")
        try Self.commit(scratch, "edit, unsigned", key: nil)
        let check = try scratch.evident("check")
        #expect(check.status == 1)
        #expect(check.stdout.contains("[record-change-not-signed]"), "\(check.output)")
        #expect(check.stdout.contains(" N (not signed)"))
    }

    @Test func badAllowedSignersLinesAreFindingsWithTheirLines() throws {
        let (scratch, _, _) = try Self.product(require: "none")
        try scratch.write(".evident/allowed_signers", "lead@example.com cert-authority ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHQ6pXmqkUoPasu0JHPNDv7iFTeDkaF/x7Yrpx6LOr8t\n\nbroken line\n")
        try Self.commit(scratch, "bad signers", key: nil)
        try scratch.git("tag", "-f", "signers-v1")
        let check = try scratch.evident("check")
        #expect(check.status == 1)
        #expect(check.stdout.contains(".evident/allowed_signers:1:1"), "\(check.output)")
        #expect(check.stdout.contains("cert-authority"))
        #expect(check.stdout.contains(".evident/allowed_signers:3:1"))
    }
}
