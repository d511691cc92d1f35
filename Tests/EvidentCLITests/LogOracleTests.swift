import Foundation
import Testing

/// `evident log PATH` held to the git CLI on a real history (../shared/corpora/git-histories:
/// pre-commit-hooks, 1,198 commits, 467 merges): for every path that ever existed, every folder and
/// the top level, the same commits in the same order as `git log --format=%H -- PATH`; with
/// `--follow`, as `git log --follow` for every file.
struct LogOracleTests {
    static let bundle = EvidentBinary.packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/corpora/git-histories/pre-commit-hooks.bundle")

    func ids(_ json: String) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let commits = object["commits"] as? [[String: Any]] else { return ["unreadable: \(json.prefix(200))"] }
        return commits.compactMap { $0["id"] as? String }
    }

    @Test func everyPathFolderAndTopLevelFileMatchesGitLog() throws {
        guard FileManager.default.fileExists(atPath: Self.bundle.path) else {
            print("git-histories corpus not found: log oracle test skipped")
            return
        }
        let scratch = try Scratch()
        try scratch.git("clone", "-q", Self.bundle.path, scratch.repo.path, in: scratch.root)
        let everPaths = try scratch.git("log", "--format=", "--name-only").stdout.split(separator: "\n").map(String.init)
        var paths = Set(everPaths.filter { !$0.isEmpty })
        for path in Array(paths) {
            var parts = path.split(separator: "/").dropLast()
            while !parts.isEmpty {
                paths.insert(parts.joined(separator: "/"))
                parts = parts.dropLast()
            }
        }
        paths.insert(".")
        #expect(paths.count > 100)
        var differing: [String] = []
        for path in paths.sorted() {
            let expected = try scratch.git("log", "--format=%H", "--", path).stdout.split(separator: "\n").map(String.init)
            let result = try scratch.evident("log", path, "--format", "json")
            let got = ids(result.stdout)
            if got != expected { differing.append("\(path): git \(expected.count), evident \(got.count) \(result.stderr)") }
        }
        #expect(differing.isEmpty, "\(differing.count) of \(paths.count) paths differ: \(differing.prefix(10))")
        // --follow, for every file that ever existed (git follows one file): copies, git's
        // byte-based similarity and its choice of source included.
        var followDiffering: [String] = []
        let files = Set(everPaths.filter { !$0.isEmpty })
        for path in files.sorted() {
            let expected = try scratch.git("log", "--follow", "--format=%H", "--", path).stdout.split(separator: "\n").map(String.init)
            let got = ids(try scratch.evident("log", path, "--follow", "--format", "json").stdout)
            if got != expected { followDiffering.append("\(path): git \(expected.count), evident \(got.count)") }
        }
        #expect(followDiffering.isEmpty, "--follow: \(followDiffering.count) of \(files.count) files differ: \(followDiffering.prefix(10))")
        // A top-level file is taken as git takes it, from a subfolder too.
        let top = try scratch.evident("log", "setup.cfg")
        #expect(top.status == 0 && top.stdout.hasPrefix("setup.cfg\n"), "\(top.output)")
        let fromSub = try scratch.evident("log", "../setup.cfg", "--format", "json", in: scratch.repo.appendingPathComponent("tests"))
        #expect(ids(fromSub.stdout) == (try scratch.git("log", "--format=%H", "--", "setup.cfg").stdout.split(separator: "\n").map(String.init)))
    }
}
