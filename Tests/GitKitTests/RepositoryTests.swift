import Foundation
import GitKit
import Testing

@Suite struct RepositoryTests {
    /// A repository with two commits on main made by the git CLI.
    func twoCommits(_ s: Scratch) throws -> String {
        let r = s.path("repo")
        try s.git(["init", "-q", r])
        try s.write("sec/a.yaml", "a1\n", in: r)
        try s.commitAll("first", in: r)
        try s.write("sec/a.yaml", "a2\n", in: r)
        try s.commitAll("second", in: r)
        return r
    }

    @Test func discoverWalksUpAndFailsClearly() throws {
        let s = try Scratch()
        let r = try twoCommits(s)
        let repo = try Repository.discover(startingAt: s.path("repo/sec"))
        #expect(repo.workdir == r + "/")
        #expect(!repo.isBare && !repo.isShallow && !repo.isEmpty && !repo.isHeadDetached && !repo.isHeadUnborn)
        try FileManager.default.createDirectory(atPath: s.path("plain"), withIntermediateDirectories: true)
        let error = #expect(throws: GitError.self) { try Repository.discover(startingAt: s.path("plain")) }
        #expect(error?.kind == .notARepository)
        #expect(error?.message.contains("not a git repository") == true)
    }

    @Test func resolveRevisionsAndAncestry() throws {
        let s = try Scratch()
        let r = try twoCommits(s)
        let repo = try Repository.open(at: r)
        let head = try repo.resolve(revision: "HEAD")
        let first = try repo.resolve(revision: "HEAD~1")
        #expect(head.hex == (try s.git(["rev-parse", "HEAD"], in: r)).trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(repo.headCommitID() == head)
        #expect(try repo.resolve(revision: String(head.hex.prefix(10))) == head)
        #expect(ObjectID(hex: head.hex) == head)
        #expect(repo.objectExists(head))
        #expect(!repo.objectExists(ObjectID(hex: String(repeating: "ab", count: 20)) ?? head))
        #expect(try repo.isAncestor(first, of: head))
        #expect(try repo.isAncestor(head, of: head))
        #expect(try !repo.isAncestor(head, of: first))
        let error = #expect(throws: GitError.self) { try repo.resolve(revision: "no-such-branch") }
        #expect(error?.kind == .unknownRevision)
        #expect(error?.description.contains("no-such-branch") == true)
        let commit = try repo.commit(head)
        #expect(commit.parentIDs == [first])
        #expect(commit.summary == "second")
        #expect(commit.author.name == "Ada Author" && commit.committer.email == "cid@example.org")
        #expect(try repo.files(inCommit: head, under: "sec").map(\.path) == ["sec/a.yaml"])
        #expect(try repo.blobData(atPath: "sec/a.yaml", inCommit: first) == Data("a1\n".utf8))
        #expect(try repo.blobData(atPath: "sec/missing", inCommit: first) == nil)
    }

    @Test func trailersAndSummary() throws {
        let s = try Scratch()
        let repo = try Repository.create(at: s.path("repo"))
        let message = "Fix the parser\nsecond line\n\nBody text.\n\nEvidence-For: DEF-2026-004\nEvidence-For: SI-1\n"
            + "Signed-off-by: Ada Author <ada@example.org>\n"
        let id = try repo.commit(files: ["a": Data("x".utf8)], message: message, author: fixedAuthor,
                                 committer: fixedAuthor)
        let c = try repo.commit(id)
        #expect(c.summary == "Fix the parser second line")
        #expect(c.trailerValues("evidence-for") == ["DEF-2026-004", "SI-1"])
        #expect(c.trailerValues("Signed-off-by") == ["Ada Author <ada@example.org>"])
        #expect(Repository.trailers(of: "Subject\n\nEvidence-For: X\n\nNot: a trailer because text follows\nplain")
            .isEmpty)
        #expect(Repository.trailers(of: "Only a subject line: with a colon\n").isEmpty)
    }

    @Test func signedCommitDetection() throws {
        let s = try Scratch()
        let r = s.path("repo")
        let repo = try Repository.create(at: r)
        let unsigned = try repo.commit(files: ["a": Data("x".utf8)], message: "plain\n", author: fixedAuthor,
                                       committer: fixedAuthor)
        let tree = try repo.commit(unsigned).treeID
        let sshSig = "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQ==\n-----END SSH SIGNATURE-----"
        let signed = try repo.commit(tree: tree, message: "signed\n", author: fixedAuthor, committer: fixedAuthor,
                                     parents: [unsigned], extraHeaders: [("gpgsig", sshSig)])
        #expect(try !repo.commit(unsigned).isSigned)
        #expect(try repo.commit(signed).isSigned)
        #expect(try repo.commit(signed).message == "signed\n")
        // git itself reads the header we wrote.
        #expect(try s.git(["cat-file", "-p", signed.hex], in: r).contains("gpgsig -----BEGIN SSH SIGNATURE-----"))
        #expect(try s.git(["fsck", "--no-dangling"], in: r, allowFailure: false).isEmpty)
    }

    @Test func nonUTF8MessageDoesNotCrash() throws {
        let s = try Scratch()
        let r = s.path("repo")
        try s.git(["init", "-q", r])
        try s.write("f", "x\n", in: r)
        try s.commitAll("utf-8", in: r)
        // git commit would re-encode Latin-1 to UTF-8; write the raw object instead.
        let tree = try s.git(["rev-parse", "HEAD^{tree}"], in: r).trimmingCharacters(in: .whitespacesAndNewlines)
        var raw = Data("tree \(tree)\nauthor A <a@x> 1700000000 +0000\ncommitter A <a@x> 1700000000 +0000\n\n".utf8)
        raw.append(contentsOf: [0x43, 0x61, 0x66, 0xE9, 0xFF, 0x0A, 0x0A, 0x4B, 0x3A, 0x20, 0xE9, 0x0A])
        try raw.write(to: URL(fileURLWithPath: s.path("obj")))
        let id = try s.git(["hash-object", "-t", "commit", "-w", s.path("obj")], in: r)
        try s.git(["update-ref", "HEAD", id.trimmingCharacters(in: .whitespacesAndNewlines)], in: r)
        let repo = try Repository.open(at: r)
        let c = try repo.commit(try repo.resolve(revision: "HEAD"))
        #expect(c.message.contains("\u{FFFD}"))
        #expect(c.summary.hasPrefix("Caf"))
    }

    @Test func emptyUnbornAndDetached() throws {
        let s = try Scratch()
        let empty = try Repository.create(at: s.path("empty"))
        #expect(empty.isEmpty && empty.isHeadUnborn && empty.headCommitID() == nil)
        #expect(throws: GitError.self) { try empty.resolve(revision: "HEAD") }
        #expect(try empty.stagedFiles().isEmpty)

        let r = try twoCommits(s)
        try s.git(["checkout", "-q", "--detach", "HEAD~1"], in: r)
        let detached = try Repository.open(at: r)
        #expect(detached.isHeadDetached && !detached.isHeadUnborn)
        #expect(detached.headCommitID() == (try detached.resolve(revision: "main~1")))

        try s.git(["checkout", "-q", "--orphan", "fresh"], in: r)
        let unborn = try Repository.open(at: r)
        #expect(unborn.isHeadUnborn && !unborn.isEmpty && unborn.headCommitID() == nil)
        #expect(unborn.headReferenceName() == "refs/heads/fresh")
    }

    @Test func bareRepositoryAndLinkedWorktree() throws {
        let s = try Scratch()
        let r = try twoCommits(s)
        try s.git(["clone", "-q", "--bare", r, s.path("bare.git")])
        let bare = try Repository.open(at: s.path("bare.git"))
        #expect(bare.isBare && bare.workdir == nil)
        #expect(try bare.resolve(revision: "main") == (try Repository.open(at: r).resolve(revision: "HEAD")))

        try s.git(["worktree", "add", "-q", "-b", "wtb", s.path("wt")], in: r)
        let wt = try Repository.discover(startingAt: s.path("wt/sec"))
        #expect(wt.isLinkedWorktree)
        #expect(wt.workdir == s.path("wt") + "/")
        #expect(wt.gitDir.hasSuffix(".git/worktrees/wt/"))
        #expect(wt.commonDir == r + "/.git/")
        #expect(wt.headReferenceName() == "refs/heads/wtb")
        let history = try wt.history(under: "sec", from: try wt.resolve(revision: "HEAD"))
        #expect(history["sec/a.yaml"]?.count == 2)
        // The cache lives in the common directory, shared by worktrees.
        #expect(HistoryCache(repository: wt).directory == r + "/.git/evident")
    }

    @Test func shallowCloneReportsGraftedCommits() throws {
        let s = try Scratch()
        let r = try twoCommits(s)
        try s.git(["clone", "-q", "--depth", "1", "file://" + r, s.path("shallow")])
        let repo = try Repository.open(at: s.path("shallow"))
        #expect(repo.isShallow)
        let head = try repo.resolve(revision: "HEAD")
        #expect(repo.graftedCommits() == [head])
        let h = try repo.pathHistory(under: "sec", from: head)
        #expect(h.graftedCommits == [head])
        #expect(h.commits(for: "sec/a.yaml").map(\.hex) == (try s.gitLog(path: "sec/a.yaml", in: s.path("shallow"))))
        #expect(h.commits(for: "sec/a.yaml") == [head])
        #expect(try repo.follow(path: "sec/a.yaml", from: head) == [head])
    }

    @Test func stagedWorkingTreeAndConflicts() throws {
        let s = try Scratch()
        let r = try twoCommits(s)
        try s.write("sec/a.yaml", "staged\n", in: r)
        try s.git(["add", "sec/a.yaml"], in: r)
        try s.write("sec/a.yaml", "working\n", in: r)
        let repo = try Repository.open(at: r)
        let staged = try repo.stagedFiles(under: "sec/")
        #expect(staged.map(\.path) == ["sec/a.yaml"])
        let expectedStaged = try s.git(["rev-parse", ":sec/a.yaml"], in: r).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(staged.first?.blobID.hex == expectedStaged)
        #expect(try repo.hashBlob(Data("staged\n".utf8)).hex == expectedStaged)
        let working = try s.git(["hash-object", "sec/a.yaml"], in: r).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try repo.hashWorkdirFile("sec/a.yaml").hex == working)
        // The index is re-read from disk: a later `git add` is seen by the same handle.
        try s.git(["add", "sec/a.yaml"], in: r)
        #expect(try repo.stagedFiles(under: "sec").first?.blobID.hex == working)

        // A conflict.
        try s.git(["commit", "-q", "-m", "working"], in: r)
        try s.git(["checkout", "-q", "-b", "other", "HEAD~1"], in: r)
        try s.write("sec/a.yaml", "other\n", in: r)
        try s.commitAll("other", in: r)
        try s.git(["merge", "-q", "main"], in: r, allowFailure: true)
        let contents = try repo.indexContents(under: "sec")
        #expect(contents.conflictedPaths == ["sec/a.yaml"])
        #expect(contents.files.isEmpty)
    }

    @Test func tagsAnnotatedAndLightweight() throws {
        let s = try Scratch()
        let r = try twoCommits(s)
        try s.git(["tag", "-a", "v1.0", "-m", "release 1.0", "HEAD~1"], in: r)
        try s.git(["tag", "light", "HEAD"], in: r)
        let repo = try Repository.open(at: r)
        let v1 = try repo.resolveTag(name: "v1.0")
        #expect(v1.isAnnotated && v1.message == "release 1.0\n" && v1.tagger?.name == "Cid Committer")
        #expect(v1.commitID == (try repo.resolve(revision: "HEAD~1")))
        #expect(v1.objectID != v1.commitID)
        let light = try repo.resolveTag(name: "light")
        let headID = try repo.resolve(revision: "HEAD")
        #expect(!light.isAnnotated && light.commitID == headID)
        #expect(try repo.resolve(revision: "v1.0") == v1.commitID)
        let missing = #expect(throws: GitError.self) { try repo.resolveTag(name: "v9") }
        #expect(missing?.kind == .notFound)

        let made = try repo.createAnnotatedTag(name: "v2.0", target: light.commitID, tagger: fixedAuthor,
                                               message: "two")
        try repo.createLightweightTag(name: "l2", target: v1.commitID)
        #expect(try s.git(["cat-file", "-t", "v2.0"], in: r) == "tag\n")
        #expect(try s.git(["rev-parse", "v2.0"], in: r) == made.hex + "\n")
        #expect(try s.git(["rev-parse", "v2.0^{commit}"], in: r) == light.commitID.hex + "\n")
        #expect(try repo.tagNames() == ["l2", "light", "v1.0", "v2.0"])
    }

    @Test func mailmapAndConfig() throws {
        let s = try Scratch()
        let r = try twoCommits(s)
        try s.write(".mailmap", "Proper Name <proper@example.org> <ada@example.org>\n", in: r)
        try s.git(["config", "core.hooksPath", ".githooks"], in: r)
        let repo = try Repository.open(at: r)
        let mapped = repo.resolveIdentity(name: "Ada Author", email: "ada@example.org")
        #expect(mapped.name == "Proper Name" && mapped.email == "proper@example.org")
        let same = repo.resolveIdentity(name: "Other", email: "other@example.org")
        #expect(same.name == "Other" && same.email == "other@example.org")
        #expect(repo.config(string: "core.hooksPath") == ".githooks")
        #expect(repo.config(string: "no.such.key") == nil)
    }

    @Test func writingApiProducesANormalRepository() throws {
        let s = try Scratch()
        let r = s.path("repo")
        let repo = try Repository.create(at: r)
        let c1 = try repo.commit(files: ["sec/a.yaml": Data("a\n".utf8), "sec/b.yaml": Data("b\n".utf8)],
                                 message: "one\n", author: sig(1_700_000_000), committer: sig(1_700_000_000))
        let c2 = try repo.commit(files: ["sec/b.yaml": nil, "sec/c.yaml": Data("c\n".utf8)], message: "two\n",
                                 author: sig(1_700_000_100), committer: sig(1_700_000_100))
        try repo.createBranch("side", at: c1)
        let c3 = try repo.commit(files: ["sec/d.yaml": Data("d\n".utf8)], message: "side\n",
                                 author: sig(1_700_000_200), committer: sig(1_700_000_200), parents: [c1],
                                 updateRef: "refs/heads/side")
        let m = try repo.commit(files: ["sec/d.yaml": Data("d\n".utf8)], message: "merge\n",
                                author: sig(1_700_000_300), committer: sig(1_700_000_300), parents: [c2, c3])
        try repo.checkoutHead()
        #expect(try s.git(["status", "--porcelain"], in: r).isEmpty)
        #expect(try s.git(["fsck", "--no-dangling"], in: r).isEmpty)
        #expect(try s.git(["rev-parse", "HEAD"], in: r) == m.hex + "\n")
        #expect(try repo.files(inCommit: m, under: "sec").map(\.path) == ["sec/a.yaml", "sec/c.yaml", "sec/d.yaml"])
        try expectMatchesGit(s, repo: r, prefix: "sec")
        try repo.detachHead(at: c1)
        #expect(repo.isHeadDetached)
    }

    @Test func followTracksRenames() throws {
        let s = try Scratch()
        let r = s.path("repo")
        try s.git(["init", "-q", r])
        try s.write("sec/old.yaml", "line 1\nline 2\nline 3\nline 4\n", in: r)
        try s.commitAll("add", in: r)
        try s.write("sec/old.yaml", "line 1\nline 2\nline 3\nline 4 changed\n", in: r)
        try s.commitAll("edit", in: r)
        try s.git(["mv", "sec/old.yaml", "sec/new.yaml"], in: r)
        try s.commitAll("rename", in: r)
        try s.write("sec/new.yaml", "line 1\nline 2\nline 3 edited\nline 4 changed\n", in: r)
        try s.commitAll("edit again", in: r)
        let repo = try Repository.open(at: r)
        let followed = try repo.follow(path: "sec/new.yaml", from: try repo.resolve(revision: "HEAD"))
        let expected = try s.git(["log", "--follow", "--format=%H", "--", "sec/new.yaml"], in: r)
            .split(separator: "\n").map(String.init)
        #expect(followed.map(\.hex) == expected)
        #expect(followed.count == 4)
    }

    @Test func corruptCacheIsIgnoredAndConcurrentRunsAgree() throws {
        let s = try Scratch()
        let r = try twoCommits(s)
        let repo = try Repository.open(at: r)
        let head = try repo.resolve(revision: "HEAD")
        let cache = HistoryCache(repository: repo)
        let expected = try repo.history(under: "sec", from: head)
        _ = try repo.pathHistory(under: "sec", from: head, cache: cache)
        let files = try FileManager.default.contentsOfDirectory(atPath: cache.directory).filter { $0.hasPrefix("history-") }
        #expect(files.count == 1)
        for name in files {
            let url = URL(fileURLWithPath: cache.directory).appendingPathComponent(name)
            var data = try Data(contentsOf: url)
            data[data.count / 2] ^= 0xff
            try data.write(to: url)
        }
        let again = try repo.pathHistory(under: "sec", from: head, cache: cache)
        #expect(again.commitsByPath == expected && again.commitsRead == 2)
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: cache.directory).appendingPathComponent(files[0]))
        #expect(try repo.pathHistory(under: "sec", from: head, cache: cache).commitsByPath == expected)

        cache.clear()
        let results = ResultBox()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let outcome = Result { () -> [String: [ObjectID]] in
                let own = try Repository.open(at: r)
                return try own.pathHistory(under: "sec", from: head, cache: HistoryCache(repository: own)).commitsByPath
            }
            results.append(outcome)
        }
        for outcome in results.all { #expect((try? outcome.get()) == expected) }
        #expect(try repo.pathHistory(under: "sec", from: head, cache: cache).commitsRead == 0)
    }
}

final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Result<[String: [ObjectID]], Error>] = []
    func append(_ r: Result<[String: [ObjectID]], Error>) { lock.lock(); items.append(r); lock.unlock() }
    var all: [Result<[String: [ObjectID]], Error>] { lock.lock(); defer { lock.unlock() }; return items }
}
