import Foundation
import Testing
@testable import GitKit

/// The Evidence-For index read through its cache is what git itself lists, whatever happened to
/// the history between two runs: commits on top, a merge, a reset, a damaged cache file.
struct TrailerCacheTests {
    /// The oracle: `git log --date-order` with each commit's trailer values, newest first.
    static func oracle(_ scratch: Scratch, repo: String) throws -> [String: [String]] {
        let out = try scratch.git(["log", "--date-order", "--format=%H%x09%(trailers:key=Evidence-For,valueonly,separator=%x2C)"], in: repo)
        var index: [String: [String]] = [:]
        for line in out.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            for value in parts[1].split(separator: ",") {
                let name = value.trimmingCharacters(in: .whitespaces)
                if !name.isEmpty, index[name]?.last != parts[0] { index[name, default: []].append(parts[0]) }
            }
        }
        return index
    }

    static func index(_ repository: Repository, cache: HistoryCache?) throws -> [String: [String]] {
        let tip = try #require(repository.headCommitID())
        return try repository.trailerIndex(key: "Evidence-For", from: tip, cache: cache).mapValues { $0.map(\.hex) }
    }

    /// A repository of `count` commits, each changing a file, with the trailers `trailers(index)` names.
    static func repository(_ scratch: Scratch, commits count: Int, trailers: (Int) -> String) throws -> String {
        let repo = scratch.path("repo")
        try scratch.git(["init", "-q", repo])
        for index in 0..<count {
            try scratch.write("f\(index % 2).txt", "\(index)\n", in: repo)
            try scratch.commitAll("Change \(index)\n\nEvidence-For: \(trailers(index))", in: repo)
        }
        return repo
    }

    @Test func cachedIndexFollowsTheHistory() throws {
        let scratch = try Scratch()
        let repo = try Self.repository(scratch, commits: 6) { "SI-\($0 % 3), DEF-\($0)" }
        let cache = HistoryCache(directory: scratch.path("cache"))
        func agree(_ when: String) throws {
            let fresh = try Repository.open(at: repo)
            #expect(try Self.index(fresh, cache: cache) == Self.oracle(scratch, repo: repo), "\(when), cached")
            #expect(try Self.index(fresh, cache: nil) == Self.oracle(scratch, repo: repo), "\(when), no cache")
        }
        try agree("first run")
        try agree("same tip")
        try scratch.write("f0.txt", "new\n", in: repo)
        try scratch.commitAll("On top\n\nEvidence-For: SI-1", in: repo)
        try agree("one commit on top")
        // A side branch with its own trailers, merged.
        try scratch.git(["checkout", "-q", "-b", "side", "HEAD~2"], in: repo)
        try scratch.write("side.txt", "side\n", in: repo)
        try scratch.commitAll("Side\n\nEvidence-For: SM-9", in: repo)
        try scratch.git(["checkout", "-q", "main"], in: repo)
        scratch.clock += 60
        try scratch.git(["merge", "-q", "--no-ff", "-m", "Merge side\n\nEvidence-For: SM-1", "side"], in: repo)
        try agree("after a merge")
        try scratch.git(["reset", "-q", "--hard", "HEAD~3"], in: repo)
        try agree("after a reset")
        // A damaged cache is ignored.
        for name in try FileManager.default.contentsOfDirectory(atPath: cache.directory) where name.hasPrefix("trailers-") {
            try Data("damaged".utf8).write(to: URL(fileURLWithPath: cache.directory).appendingPathComponent(name))
        }
        try agree("damaged cache")
    }

    @Test func commitsOnTopExtendTheCachedIndex() throws {
        let scratch = try Scratch()
        let repo = try Self.repository(scratch, commits: 20) { _ in "SI-1" }
        let cache = HistoryCache(directory: scratch.path("cache"))
        _ = try Self.index(try Repository.open(at: repo), cache: cache)
        for index in 0..<3 {
            try scratch.write("f.txt", "more \(index)\n", in: repo)
            try scratch.commitAll("More\n\nEvidence-For: SI-2, SI-1", in: repo)
            let cached = try Self.index(try Repository.open(at: repo), cache: cache)
            #expect(cached == (try Self.oracle(scratch, repo: repo)))
            #expect(cached["SI-2"]?.count == index + 1 && cached["SI-1"]?.count == 21 + index)
        }
    }
}
