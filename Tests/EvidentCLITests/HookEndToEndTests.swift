import Foundation
import EvidentCore
import Testing

/// `evident hook install/uninstall` end to end: the built binary, a scratch repository, the git CLI as oracle.
@Suite struct HookEndToEndTests {
    static let broken = "kind: threat-model\nid: TM-900\ntitle: [unclosed\n"

    /// A record `evident new` writes, which `check` accepts.
    func goodRecord(_ scratch: Scratch, title: String = "Gateway threat model") throws -> String {
        let created = try scratch.evident("new", "threat-model", "--title", title)
        #expect(created.status == 0, "\(created.output)")
        let path = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n").last ?? ""
        return path.hasPrefix(scratch.repo.path) ? String(path.dropFirst(scratch.repo.path.count + 1)) : path
    }

    @Test func brokenCommitIsRefusedGoodOnePassesNoVerifyStillWorks() throws {
        let scratch = try Scratch.product()
        let install = try scratch.evident("hook", "install")
        #expect(install.status == 0, "\(install.output)")
        let hook = String(decoding: try scratch.read(".git/hooks/pre-commit"), as: UTF8.self)
        #expect(hook.contains(EvidentBinary.path ?? "?"))
        #expect(fileMode(scratch.repo.appendingPathComponent(".git/hooks/pre-commit").path) & 0o111 == 0o111)

        try scratch.write("security/threat-models/TM-900.yaml", Self.broken)
        try scratch.git("add", "-A")
        let refused = try scratch.git("commit", "-m", "broken record")
        #expect(refused.status != 0)
        #expect(refused.output.contains("security/threat-models/TM-900.yaml:"), "\(refused.output)")
        #expect(refused.output.contains("commit refused"))
        #expect(try scratch.git("rev-list", "--count", "HEAD").stdout.hasPrefix("1"))

        let skipped = try scratch.git("commit", "-q", "--no-verify", "-m", "broken on purpose")
        #expect(skipped.status == 0, "\(skipped.output)")

        try scratch.git("rm", "-q", "security/threat-models/TM-900.yaml")
        let path = try goodRecord(scratch)
        try scratch.git("add", "-A")
        let passed = try scratch.git("commit", "-m", "good record")
        #expect(passed.status == 0, "\(passed.output)")
        #expect(try scratch.git("ls-files", path).stdout.contains(path))
    }

    @Test func existingHookIsChainedRunsFirstAndIsRestoredByteForByte() throws {
        let scratch = try Scratch.product()
        let old = "#!/bin/sh\n# the team's own hook\necho \"old hook ran with $# args\" >> \"$(git rev-parse --git-dir)/old-hook.log\"\nexit ${OLD_HOOK_STATUS:-0}\n"
        let hookPath = scratch.repo.appendingPathComponent(".git/hooks/pre-commit").path
        try scratch.write(".git/hooks/pre-commit", old)
        #expect(chmod(hookPath, 0o750) == 0)
        let before = try scratch.read(".git/hooks/pre-commit")

        let install = try scratch.evident("hook", "install")
        #expect(install.status == 0, "\(install.output)")
        #expect(install.stdout.contains("pre-commit.evident-chained"))
        #expect(try scratch.read(".git/hooks/pre-commit.evident-chained") == before)

        _ = try goodRecord(scratch)
        try scratch.git("add", "-A")
        #expect(try scratch.git("commit", "-q", "-m", "good").status == 0)
        #expect(String(decoding: try scratch.read(".git/old-hook.log"), as: UTF8.self) == "old hook ran with 0 args\n")

        // The old hook's refusal and its exit status still stop the commit, before evident runs.
        _ = try goodRecord(scratch, title: "Second")
        try scratch.git("add", "-A")
        let refused = try scratch.run("/usr/bin/env", ["git", "-c", "commit.gpgsign=false", "commit", "-m", "x"], env: ["OLD_HOOK_STATUS": "3"])
        #expect(refused.status != 0)
        #expect(!refused.output.contains("evident pre-commit hook"))

        let uninstall = try scratch.evident("hook", "uninstall")
        #expect(uninstall.status == 0, "\(uninstall.output)")
        #expect(try scratch.read(".git/hooks/pre-commit") == before)
        #expect(fileMode(hookPath) & 0o7777 == 0o750)
        #expect(!FileManager.default.fileExists(atPath: hookPath + ".evident-chained"))
    }

    @Test func installIsIdempotentAndUninstallLeavesNothing() throws {
        let scratch = try Scratch.product()
        #expect(try scratch.evident("hook", "install").status == 0)
        let first = try scratch.read(".git/hooks/pre-commit")
        let again = try scratch.evident("hook", "install")
        #expect(again.status == 0)
        #expect(again.stdout.contains("already installed"))
        #expect(try scratch.read(".git/hooks/pre-commit") == first)
        let hooks = try FileManager.default.contentsOfDirectory(atPath: scratch.repo.appendingPathComponent(".git/hooks").path)
        #expect(!hooks.contains { $0.contains("evident-chained") })
        #expect(try scratch.evident("hook", "uninstall").status == 0)
        #expect(!FileManager.default.fileExists(atPath: scratch.repo.appendingPathComponent(".git/hooks/pre-commit").path))
        let twice = try scratch.evident("hook", "uninstall")
        #expect(twice.status == 0)
        #expect(twice.stdout.contains("nothing to do"))
    }

    @Test func honoursRelativeCoreHooksPath() throws {
        let scratch = try Scratch.product()
        try scratch.git("config", "core.hooksPath", ".githooks")
        let install = try scratch.evident("hook", "install")
        #expect(install.status == 0, "\(install.output)")
        #expect(FileManager.default.fileExists(atPath: scratch.repo.appendingPathComponent(".githooks/pre-commit").path))
        #expect(!FileManager.default.fileExists(atPath: scratch.repo.appendingPathComponent(".git/hooks/pre-commit").path))
        // From a subfolder, the hooks path is still relative to the work tree.
        #expect(try scratch.evident("hook", "install", in: scratch.repo.appendingPathComponent("security")).stdout.contains("already installed"))
        try scratch.write("security/threat-models/TM-900.yaml", Self.broken)
        try scratch.git("add", "security")
        #expect(try scratch.git("commit", "-m", "broken").status != 0)
    }

    @Test func notARepositoryExitsTwoWithOneLine() throws {
        let scratch = try Scratch()
        let result = try scratch.evident("hook", "install")
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("not inside a git repository"))
    }

    @Test func hooksPathThatIsAFileIsRefused() throws {
        let scratch = try Scratch.product()
        try scratch.write("hooks-file", "not a folder\n")
        try scratch.git("config", "core.hooksPath", "hooks-file")
        let result = try scratch.evident("hook", "install")
        #expect(result.status == 2)
        #expect(result.stderr.contains("not a folder"), "\(result.stderr)")
        #expect(try scratch.read("hooks-file") == Data("not a folder\n".utf8))
    }

    @Test func symlinkedHookIsKeptAsALink() throws {
        let scratch = try Scratch.product()
        try scratch.write("tools/hook.sh", "#!/bin/sh\necho linked >> \"$(git rev-parse --git-dir)/linked.log\"\n")
        #expect(chmod(scratch.repo.appendingPathComponent("tools/hook.sh").path, 0o755) == 0)
        let hookPath = scratch.repo.appendingPathComponent(".git/hooks/pre-commit").path
        try FileManager.default.createSymbolicLink(atPath: hookPath, withDestinationPath: "../../tools/hook.sh")

        #expect(try scratch.evident("hook", "install").status == 0)
        let chained = hookPath + ".evident-chained"
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: chained) == "../../tools/hook.sh")
        _ = try goodRecord(scratch)
        try scratch.git("add", "-A")
        #expect(try scratch.git("commit", "-q", "-m", "good").status == 0)
        #expect(FileManager.default.fileExists(atPath: scratch.repo.appendingPathComponent(".git/linked.log").path))

        #expect(try scratch.evident("hook", "uninstall").status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: hookPath) == "../../tools/hook.sh")
        #expect(fileMode(hookPath) & S_IFMT == S_IFLNK)
    }

    @Test func uninstallLeavesAForeignHookAlone() throws {
        let scratch = try Scratch.product()
        try scratch.write(".git/hooks/pre-commit", "#!/bin/sh\nexit 0\n")
        let result = try scratch.evident("hook", "uninstall")
        #expect(result.status == 2)
        #expect(result.stderr.contains("not installed by evident"))
        #expect(try scratch.read(".git/hooks/pre-commit") == Data("#!/bin/sh\nexit 0\n".utf8))
    }

    @Test func leftoverChainedHookNeedsForceAndIsKept() throws {
        let scratch = try Scratch.product()
        try scratch.write(".git/hooks/pre-commit", "#!/bin/sh\nexit 0\n")
        try scratch.write(".git/hooks/pre-commit.evident-chained", "#!/bin/sh\necho leftover\n")
        let refused = try scratch.evident("hook", "install")
        #expect(refused.status == 2)
        #expect(try scratch.read(".git/hooks/pre-commit") == Data("#!/bin/sh\nexit 0\n".utf8))
        let forced = try scratch.evident("hook", "install", "--force")
        #expect(forced.status == 0, "\(forced.output)")
        #expect(try scratch.read(".git/hooks/pre-commit.evident-chained.bak") == Data("#!/bin/sh\necho leftover\n".utf8))
        #expect(try scratch.read(".git/hooks/pre-commit.evident-chained") == Data("#!/bin/sh\nexit 0\n".utf8))
    }

    @Test func theIndexIsJudgedNotTheWorkingCopy() throws {
        let scratch = try Scratch.product()
        #expect(try scratch.evident("hook", "install").status == 0)
        let path = try goodRecord(scratch)
        try scratch.git("add", path)
        let good = try scratch.read(path)
        try scratch.write(path, Self.broken)
        let passed = try scratch.git("commit", "-m", "good version staged")
        #expect(passed.status == 0, "\(passed.output)")

        try scratch.git("add", path)
        try Data(good).write(to: scratch.repo.appendingPathComponent(path))
        let refused = try scratch.git("commit", "-m", "broken version staged")
        #expect(refused.status != 0)
        #expect(refused.output.contains(path + ":"), "\(refused.output)")
    }

    @Test func movedBinaryFallsBackToPathOrRefusesWithAMessage() throws {
        let scratch = try Scratch.product()
        guard let binary = EvidentBinary.path else { throw ScratchError.noBinary }
        let copy = scratch.root.appendingPathComponent("bin/evident")
        try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: binary, toPath: copy.path)
        #expect(try scratch.run(copy.path, ["hook", "install"]).status == 0)
        #expect(String(decoding: try scratch.read(".git/hooks/pre-commit"), as: UTF8.self).contains(copy.path))
        try FileManager.default.removeItem(at: copy)
        _ = try goodRecord(scratch)
        try scratch.git("add", "-A")
        let refused = try scratch.run("/usr/bin/env", ["git", "-c", "commit.gpgsign=false", "commit", "-m", "x"], env: ["PATH": "/usr/bin:/bin"])
        #expect(refused.status != 0)
        #expect(refused.output.contains("evident not found"), "\(refused.output)")
        let onPath = try scratch.run("/usr/bin/env", ["git", "-c", "commit.gpgsign=false", "commit", "-m", "x"],
                                     env: ["PATH": URL(fileURLWithPath: binary).deletingLastPathComponent().path + ":/usr/bin:/bin"])
        #expect(onPath.status == 0, "\(onPath.output)")
    }

    @Test func commitAllJudgesWhatGitCommits() throws {
        let scratch = try Scratch.product()
        #expect(try scratch.evident("hook", "install").status == 0)
        let path = try goodRecord(scratch)
        try scratch.git("add", path)
        #expect(try scratch.git("commit", "-q", "-m", "good").status == 0)
        try scratch.write(path, Self.broken)
        // `git commit -a` hands the hook a different index through GIT_INDEX_FILE.
        let refused = try scratch.git("commit", "-a", "-m", "broken via -a")
        #expect(refused.status != 0)
    }
}

/// Hook placement and the script itself, beyond the main flows.
struct HookPlacementTests {
    @Test func linkedWorktreeInstallsIntoTheSharedHooksFolder() throws {
        let scratch = try Scratch.product()
        let worktree = scratch.root.appendingPathComponent("second")
        #expect(try scratch.git("worktree", "add", "-q", worktree.path).status == 0)
        let install = try scratch.evident("hook", "install", in: worktree)
        #expect(install.status == 0, "\(install.output)")
        #expect(FileManager.default.fileExists(atPath: scratch.repo.appendingPathComponent(".git/hooks/pre-commit").path))
        try Data(HookEndToEndTests.broken.utf8).write(to: worktree.appendingPathComponent("security/TM-900.yaml"))
        try scratch.git("add", "-A", in: worktree)
        #expect(try scratch.git("commit", "-m", "broken in a worktree", in: worktree).status != 0)
    }

    @Test func hooksPathBelowAFileCannotBeCreated() throws {
        let scratch = try Scratch.product()
        try scratch.write("hooks-file", "x\n")
        try scratch.git("config", "core.hooksPath", "hooks-file/sub")
        let result = try scratch.evident("hook", "install")
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(try scratch.read("hooks-file") == Data("x\n".utf8))
    }

    @Test(arguments: ["/opt/evident/bin/evident", "/tmp/it's \"odd\" $HOME `x`/evident", "/a\nb/evident"])
    func scriptQuotesTheBinaryPath(_ path: String) throws {
        let scratch = try Scratch()
        let script = scratch.root.appendingPathComponent("pre-commit")
        try Data(HookInstaller.script(executable: path).utf8).write(to: script)
        let parsed = try scratch.run("/bin/sh", ["-n", script.path])
        #expect(parsed.status == 0, "\(parsed.output)")
        // Printing the pinned variable shows the path exactly as given.
        let probe = try scratch.run("/bin/sh", ["-c", "eval \"$(sed -n '/^pinned=/,/^evident=/p' \"$1\" | sed '$d')\"; printf %s \"$pinned\"", "sh", script.path])
        #expect(probe.stdout == path)
    }
}
