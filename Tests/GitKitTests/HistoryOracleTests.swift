import Foundation
import GitKit
import Testing

/// Compares `history(under:from:)` with `git log --format=%H -- PATH` for every path.
func expectMatchesGit(_ scratch: Scratch, repo repoPath: String, prefix: String, rev: String = "HEAD",
                      sourceLocation: SourceLocation = #_sourceLocation) throws {
    let repo = try Repository.open(at: repoPath)
    let tip = try repo.resolve(revision: rev)
    let history = try repo.history(under: prefix, from: tip)
    let everGit = try scratch.gitPathsEver(under: prefix, in: repoPath, rev: rev)
    #expect(Set(history.keys) == everGit, "paths ever under \(prefix)", sourceLocation: sourceLocation)
    #expect(!everGit.isEmpty, sourceLocation: sourceLocation)
    for path in everGit.union(history.keys).sorted() {
        let expected = try scratch.gitLog(path: path, in: repoPath, rev: rev)
        let actual = (history[path] ?? []).map(\.hex)
        #expect(actual == expected, "history of \(path)", sourceLocation: sourceLocation)
    }
    // The cache gives the same answer, cold then warm.
    let cache = HistoryCache(directory: scratch.path("cache-\(UUID().uuidString)"))
    let cold = try repo.pathHistory(under: prefix, from: tip, cache: cache)
    let warm = try repo.pathHistory(under: prefix, from: tip, cache: cache)
    #expect(cold.commitsByPath == history, sourceLocation: sourceLocation)
    #expect(warm.commitsByPath == history, sourceLocation: sourceLocation)
    #expect(warm.commitsRead == 0, sourceLocation: sourceLocation)
    // One path at a time (as `log` asks), read from the cache file's last answer alone.
    for path in everGit.sorted() {
        let one = try repo.pathHistory(under: prefix, from: tip, cache: cache, only: [path])
        #expect(one.commitsByPath == [path: history[path] ?? []], "one path: \(path)", sourceLocation: sourceLocation)
        #expect(one.commitsRead == 0 && one.reachableCommitCount == warm.reachableCommitCount && one.graftedCommits == warm.graftedCommits,
                sourceLocation: sourceLocation)
    }
    #expect(try repo.pathHistory(under: prefix, from: tip, cache: cache, only: ["no/such/path.yaml"]).commitsByPath.isEmpty,
            sourceLocation: sourceLocation)
}

@Suite struct HistoryOracleTests {
    /// A hand-written history with every shape the product rules name.
    @Test func scriptedHistoryMatchesGitLog() throws {
        let s = try Scratch()
        let r = s.path("repo")
        try s.git(["init", "-q", r])
        try s.write("sec/a.yaml", "a1\n", in: r)
        try s.write("sec/b.yaml", "b1\n", in: r)
        try s.write("sec/with space.yaml", "s1\n", in: r)
        try s.write("sec/ünïcødé.yaml", "u1\n", in: r)
        try s.write("other/x.txt", "x\n", in: r)
        try s.commitAll("initial", in: r)

        // A side branch changing a, main changing b, merged without fast-forward.
        try s.git(["checkout", "-q", "-b", "feature"], in: r)
        try s.write("sec/a.yaml", "a2\n", in: r)
        try s.commitAll("feature: a2", in: r)
        try s.git(["checkout", "-q", "main"], in: r)
        try s.write("sec/b.yaml", "b2\n", in: r)
        try s.commitAll("main: b2", in: r)
        s.clock += 60
        try s.git(["merge", "-q", "--no-ff", "-m", "merge feature", "feature"], in: r)

        // Identical change on two branches.
        try s.git(["checkout", "-q", "-b", "twin"], in: r)
        try s.write("sec/sub/c.yaml", "c-same\n", in: r)
        try s.commitAll("twin: c", in: r)
        try s.git(["checkout", "-q", "main"], in: r)
        try s.write("sec/sub/c.yaml", "c-same\n", in: r)
        try s.write("other/x.txt", "x2\n", in: r)
        try s.commitAll("main: c too", in: r)
        s.clock += 60
        try s.git(["merge", "-q", "--no-ff", "-m", "merge twin", "twin"], in: r)

        // Revert.
        try s.write("sec/a.yaml", "a3\n", in: r)
        try s.commitAll("a3", in: r)
        s.clock += 60
        try s.git(["revert", "--no-edit", "HEAD"], in: r)

        // Deletion and re-addition.
        try s.git(["rm", "-q", "sec/b.yaml"], in: r)
        try s.commitAll("delete b", in: r)
        try s.write("sec/b.yaml", "b-again\n", in: r)
        try s.commitAll("re-add b", in: r)

        // Rename.
        try s.git(["mv", "sec/a.yaml", "sec/renamed.yaml"], in: r)
        try s.commitAll("rename a", in: r)

        // Octopus merge of three branches.
        for (i, name) in ["o1", "o2", "o3"].enumerated() {
            try s.git(["checkout", "-q", "-b", name, "main"], in: r)
            try s.write("sec/octo-\(i).yaml", "o\(i)\n", in: r)
            if i == 1 { try s.write("sec/b.yaml", "b-octo\n", in: r) }
            try s.commitAll("octo \(i)", in: r)
        }
        try s.git(["checkout", "-q", "main"], in: r)
        s.clock += 60
        try s.git(["merge", "-q", "--no-ff", "-m", "octopus", "o1", "o2", "o3"], in: r)

        // A file added and removed on a side branch, then merged.
        try s.git(["checkout", "-q", "-b", "ephemeral"], in: r)
        try s.write("sec/temp.yaml", "t\n", in: r)
        try s.commitAll("add temp", in: r)
        try s.git(["rm", "-q", "sec/temp.yaml"], in: r)
        try s.commitAll("remove temp", in: r)
        try s.git(["checkout", "-q", "main"], in: r)
        try s.write("other/x.txt", "x3\n", in: r)
        try s.commitAll("main: other", in: r)
        s.clock += 60
        try s.git(["merge", "-q", "--no-ff", "-m", "merge ephemeral", "ephemeral"], in: r)

        // An evil merge: the result differs from both parents.
        try s.git(["checkout", "-q", "-b", "evil"], in: r)
        try s.write("sec/with space.yaml", "s-evil-side\n", in: r)
        try s.commitAll("evil side", in: r)
        try s.git(["checkout", "-q", "main"], in: r)
        try s.write("sec/with space.yaml", "s-main\n", in: r)
        try s.commitAll("evil main", in: r)
        s.clock += 60
        try s.git(["merge", "-q", "-s", "ours", "--no-commit", "evil"], in: r)
        try s.write("sec/with space.yaml", "s-resolved\n", in: r)
        try s.git(["add", "-A"], in: r)
        try s.git(["commit", "-q", "-m", "evil merge"], in: r)

        // Clock skew (a commit older than its parent) and equal timestamps.
        try s.write("sec/ünïcødé.yaml", "u2\n", in: r)
        try s.commitAll("skewed", in: r, step: -5000)
        try s.write("sec/ünïcødé.yaml", "u3\n", in: r)
        try s.commitAll("same second 1", in: r, step: 0)
        try s.write("sec/b.yaml", "b-same\n", in: r)
        try s.commitAll("same second 2", in: r, step: 0)
        s.clock += 10000

        // A file replaced by a directory, a mode change, a symlink.
        try s.write("sec/node", "file\n", in: r)
        try s.commitAll("node file", in: r)
        try s.git(["rm", "-q", "sec/node"], in: r)
        try s.write("sec/node/leaf.yaml", "leaf\n", in: r)
        try s.commitAll("node dir", in: r)
        try s.git(["update-index", "--chmod=+x", "sec/b.yaml"], in: r)
        try s.git(["commit", "-q", "-m", "chmod b"], in: r)
        try FileManager.default.createSymbolicLink(atPath: s.path("repo/sec/link"), withDestinationPath: "b.yaml")
        try s.commitAll("symlink", in: r)

        try expectMatchesGit(s, repo: r, prefix: "sec")
        try expectMatchesGit(s, repo: r, prefix: "sec/")
        try expectMatchesGit(s, repo: r, prefix: "")
        try expectMatchesGit(s, repo: r, prefix: "sec", rev: "feature")
    }

    /// Random DAGs (merges, octopus merges, identical changes, equal and skewed dates) built with
    /// GitKit's own writer, each compared path by path with git log.
    @Test(arguments: [1, 2, 3, 4, 5, 6])
    func randomHistoryMatchesGitLog(seed: UInt64) throws {
        let s = try Scratch()
        let r = s.path("repo")
        let repo = try Repository.create(at: r)
        var rng = SplitMix(seed: seed)
        let names = ["rec/a.yaml", "rec/b.yaml", "rec/c d.yaml", "rec/é.yaml", "rec/n/x.yaml", "rec/n/y.yaml",
                     "rec/n", "top.txt"]
        let contents = ["1", "2", "3"]
        var trees: [ObjectID: [String: String]] = [:]
        var heads: [ObjectID] = []
        var time = 1_600_000_000
        func make(_ files: [String: String], parents: [ObjectID]) throws -> ObjectID {
            // Keep the tree valid: "rec/n" cannot be both a file and a directory.
            var files = files
            if files["rec/n"] != nil { files["rec/n/x.yaml"] = nil; files["rec/n/y.yaml"] = nil }
            let tree = try repo.buildTree(base: nil, changes: files.sorted { $0.key < $1.key }.map {
                ($0.key, (Data($0.value.utf8), TreeFile.Kind.file))
            })
            let step = Int(rng.next() % 5) - 1  // -1...3: equal and skewed dates happen
            time += step * 30
            let id = try repo.commit(tree: tree, message: "c\(trees.count)", author: sig(time), committer: sig(time),
                                     parents: parents, updateRef: nil)
            trees[id] = files
            return id
        }
        func mutate(_ files: [String: String]) -> [String: String] {
            var f = files
            let changes = 1 + Int(rng.next() % 2)
            for _ in 0..<changes {
                let name = names[Int(rng.next() % UInt64(names.count))]
                if rng.next() % 4 == 0 { f[name] = nil } else { f[name] = contents[Int(rng.next() % 3)] }
            }
            return f
        }
        heads.append(try make(["rec/a.yaml": "1", "top.txt": "1"], parents: []))
        for _ in 0..<120 {
            let roll = rng.next() % 10
            if roll < 2 && heads.count < 5 {
                // New branch from a random head.
                let base = heads[Int(rng.next() % UInt64(heads.count))]
                heads.append(try make(mutate(trees[base] ?? [:]), parents: [base]))
            } else if roll < 5 && heads.count > 1 {
                // Merge two or three heads; each file from a random parent, sometimes changed.
                let k = heads.count > 2 && rng.next() % 3 == 0 ? 3 : 2
                var chosen: [Int] = []
                while chosen.count < k {
                    let i = Int(rng.next() % UInt64(heads.count))
                    if !chosen.contains(i) { chosen.append(i) }
                }
                let parents = chosen.map { heads[$0] }
                var files: [String: String] = [:]
                for name in names {
                    let from = parents[Int(rng.next() % UInt64(parents.count))]
                    files[name] = trees[from]?[name]
                }
                if rng.next() % 4 == 0 { files = mutate(files) }
                let m = try make(files, parents: parents)
                for i in chosen.sorted(by: >) { heads.remove(at: i) }
                heads.append(m)
            } else {
                let i = Int(rng.next() % UInt64(heads.count))
                heads[i] = try make(mutate(trees[heads[i]] ?? [:]), parents: [heads[i]])
            }
        }
        // Merge everything into one tip.
        while heads.count > 1 {
            let a = heads.removeLast(), b = heads.removeLast()
            var files = trees[b] ?? [:]
            for (k, v) in trees[a] ?? [:] where rng.next() % 2 == 0 { files[k] = v }
            heads.append(try make(files, parents: [b, a]))
        }
        try repo.updateRef("HEAD", to: heads[0])
        try expectMatchesGit(s, repo: r, prefix: "rec")
        try expectMatchesGit(s, repo: r, prefix: "")
    }
}

/// Small deterministic generator (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

@Suite struct IncrementalCacheTests {
    /// The cache, updated commit by commit (linear, then a merge, then a file under a former file
    /// path), always answers what git log answers.
    @Test func cacheFollowsNewCommits() throws {
        let s = try Scratch()
        let r = s.path("repo")
        try s.git(["init", "-q", r])
        try s.write("sec/a.yaml", "a1\n", in: r)
        try s.write("sec/b.yaml", "b1\n", in: r)
        try s.commitAll("one", in: r)
        let cache = HistoryCache(directory: s.path("cache"))
        func compare(read expectedRead: Int?, _ note: Comment) throws {
            let repo = try Repository.open(at: r)
            let tip = try repo.resolve(revision: "HEAD")
            let h = try repo.pathHistory(under: "sec", from: tip, cache: cache)
            if let expectedRead { #expect(h.commitsRead == expectedRead, note) }
            #expect(h.commitsByPath == (try repo.history(under: "sec", from: tip)), note)
            for path in try s.gitPathsEver(under: "sec", in: r) {
                #expect(h.commits(for: path).map(\.hex) == (try s.gitLog(path: path, in: r)), note)
                let one = try repo.pathHistory(under: "sec", from: tip, cache: cache, only: [path])
                #expect(one.commits(for: path).map(\.hex) == (try s.gitLog(path: path, in: r)), note)
            }
        }
        try compare(read: 1, "first run")
        try compare(read: 0, "same tip")
        try s.write("sec/a.yaml", "a2\n", in: r)
        try s.commitAll("two", in: r)
        try s.write("sec/c.yaml", "c\n", in: r)
        try s.commitAll("three", in: r)
        try compare(read: 2, "two linear commits")
        try s.git(["checkout", "-q", "-b", "side", "HEAD~1"], in: r)
        try s.write("sec/b.yaml", "b2\n", in: r)
        try s.commitAll("side", in: r)
        try s.git(["checkout", "-q", "main"], in: r)
        s.clock += 60
        try s.git(["merge", "-q", "--no-ff", "-m", "merge", "side"], in: r)
        try compare(read: 2, "merge")
        try s.git(["rm", "-q", "sec/c.yaml"], in: r)
        try s.write("sec/c.yaml/inner.yaml", "i\n", in: r)
        try s.commitAll("file becomes directory", in: r)
        try compare(read: 1, "file to directory")
        try s.git(["checkout", "-q", "HEAD~2"], in: r)
        try compare(read: 0, "older tip")
    }
}
