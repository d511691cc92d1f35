import Foundation
import GitKit

/// A temporary directory per test, with a git CLI that never reads the user's configuration.
final class Scratch {
    let root: URL
    /// Seconds since the epoch for the next commit made through `commitAll`/`git`.
    var clock = 1_700_000_000

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("gitkit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs git with a fixed identity and date; `date` defaults to the scratch clock (not advanced).
    @discardableResult
    func git(_ args: [String], in dir: String? = nil, date: Int? = nil, allowFailure: Bool = false) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", "-c", "init.defaultBranch=main",
                             "-c", "core.autocrlf=false"] + args
        process.currentDirectoryURL = URL(fileURLWithPath: dir ?? root.path)
        let when = "@\(date ?? clock) +0000"
        var env: [String: String] = [
            "HOME": root.path, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_AUTHOR_NAME": "Ada Author", "GIT_AUTHOR_EMAIL": "ada@example.org", "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_NAME": "Cid Committer", "GIT_COMMITTER_EMAIL": "cid@example.org",
            "GIT_COMMITTER_DATE": when, "PATH": "/usr/bin:/bin", "LC_ALL": "C",
        ]
        env["GIT_TERMINAL_PROMPT"] = "0"
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus != 0 && !allowFailure {
            throw Failure(description: "git \(args.joined(separator: " ")) failed: "
                + String(decoding: errData, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self)
    }

    func write(_ relative: String, _ text: String, in repo: String) throws {
        let url = URL(fileURLWithPath: repo).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// `git add -A && git commit`, advancing the clock by `step` seconds first.
    func commitAll(_ message: String, in repo: String, step: Int = 60) throws {
        clock += step
        try git(["add", "-A"], in: repo)
        try git(["commit", "-q", "--allow-empty", "-m", message], in: repo)
    }

    /// The oracle: `git log --format=%H -- PATH`.
    func gitLog(path: String, in repo: String, rev: String = "HEAD") throws -> [String] {
        try git(["--literal-pathspecs", "log", "--format=%H", rev, "--", path], in: repo)
            .split(separator: "\n").map(String.init)
    }

    /// Every path that ever existed under `prefix`, as git lists them (including side branches).
    func gitPathsEver(under prefix: String, in repo: String, rev: String = "HEAD") throws -> Set<String> {
        let out = try git(["-c", "core.quotePath=false", "log", "--format=", "--name-only", "-m", "--root",
                           "--no-renames", rev, "--full-history", "--", prefix.isEmpty ? "." : prefix], in: repo)
        return Set(out.split(separator: "\n").map(String.init).filter { !$0.isEmpty })
    }
}

let fixedAuthor = Signature(name: "Ada Author", email: "ada@example.org",
                            time: Date(timeIntervalSince1970: 1_700_000_000), offsetMinutes: 60)

func sig(_ t: Int, name: String = "Ada Author") -> Signature {
    Signature(name: name, email: "ada@example.org", time: Date(timeIntervalSince1970: TimeInterval(t)), offsetMinutes: 0)
}
