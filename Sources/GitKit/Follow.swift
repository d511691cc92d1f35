import CLibGit2
import Foundation

extension Repository {
    /// `git log --follow --format=%H -- PATH`: walks every commit from `tip` newest first (git
    /// does not simplify history when following), lists the non-merge commits that changed the
    /// (current) path, and when the path appears in a commit, finds its source as git does
    /// (renames and copies, git's byte-based similarity, its choice among all files of the
    /// parent) and continues with the old name. Like git, the tracked name is global to the walk,
    /// not per branch; merges are not listed.
    public func follow(path: String, from tip: ObjectID) throws -> [ObjectID] {
        // Date-ordered walk of the whole graph (like git's, ties first-in first-out); grafted
        // commits of a shallow clone are roots. libgit2 1.5's revwalk does not know grafts.
        WorkCounts.add(.historyWalks)
        let reader = try RawObjectReader(repository: self)
        let grafts = graftedCommits()
        var current = normalizePrefix(path)
        var result: [ObjectID] = []
        var heap = WalkHeap()
        var ids: [ObjectID] = [tip]
        var slots: [ObjectID: Int32] = [tip: 0]
        var seq: Int32 = 1
        var similarity = FollowSimilarity()
        heap.push(time: try reader.commitHeader(tip).time, seq: 0, commit: 0)
        while let slot = heap.pop() {
            let id = ids[Int(slot)]
            let header = try reader.commitHeader(id)
            let parents = grafts.contains(id) ? [] : header.parents
            for p in parents where slots[p] == nil {
                slots[p] = Int32(ids.count)
                heap.push(time: try reader.commitHeader(p).time, seq: seq, commit: Int32(ids.count))
                ids.append(p)
                seq += 1
            }
            let parentCount = parents.count
            if parentCount > 1 { continue }
            var oid = id.oid
            WorkCounts.add(.commitsRead)
            let commit = try makeHandle(owner: self, call: "git_commit_lookup", free: { git_commit_free($0) }) {
                git_commit_lookup($0, pointer, &oid)
            }
            let tree = try treeHandle(ObjectID(pointer: git_commit_tree_id(commit.pointer)))
            let mine = try entryKey(tree: tree, path: current)
            var parentTree: Handle?
            if let pid = parents.first {
                parentTree = try treeHandle(try reader.commitHeader(pid).tree)
            }
            let theirs = try parentTree.map { try entryKey(tree: $0, path: current) } ?? nil
            if mine?.0 == theirs?.0 && mine?.1 == theirs?.1 { continue }
            result.append(id)
            if mine != nil, theirs == nil, let pid = parents.first {
                if let source = try followSource(of: current, in: id, parent: pid, similarity: &similarity) { current = source }
            }
        }
        return result
    }

    private func entryKey(tree: Handle, path: String) throws -> (ObjectID, UInt32)? {
        var entry: OpaquePointer?
        let rc = git_tree_entry_bypath(&entry, tree.pointer, path)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try check(rc, "git_tree_entry_bypath(\(path))")
        guard let entry else { return nil }
        defer { git_tree_entry_free(entry) }
        return (ObjectID(pointer: git_tree_entry_id(entry)), UInt32(git_tree_entry_filemode(entry).rawValue))
    }

    /// The path `path` was renamed or copied from in a commit that added it, as `git log --follow`
    /// decides (diffcore-rename with copy detection over every file of the parent, as git's
    /// try_to_follow_renames asks).
    private func followSource(of path: String, in commit: ObjectID, parent: ObjectID, similarity: inout FollowSimilarity) throws -> String? {
        let mine = try files(inCommit: commit)
        guard let added = mine.first(where: { $0.path == path }) else { return nil }
        similarity.remaining = Set(mine.map(\.path))
        return try similarity.source(for: path, blob: added.blobID, mode: added.kind.mode, among: try files(inCommit: parent), repository: self)
    }
}

/// git's rename/copy scoring for `--follow` (diffcore-rename.c, diffcore-delta.c), with the span
/// hashes of blobs remembered across the walk.
struct FollowSimilarity {
    static let maxScore = 60_000
    static let minimumScore = 30_000
    static let candidatesPerDestination = 4
    static let hashBase: UInt32 = 107_927

    private var spans: [ObjectID: [UInt32: Int]] = [:]
    private var blobs: [ObjectID: Data] = [:]

    /// The files of the new commit: a source that stays there is a copy, one that is gone a rename.
    var remaining: Set<String> = []

    mutating func source(for path: String, blob: ObjectID, mode: UInt32, among sources: [TreeFile], repository: Repository) throws -> String? {
        let name = (path as NSString).lastPathComponent
        func sameName(_ file: TreeFile) -> Bool { (file.path as NSString).lastPathComponent == name }
        func isRegular(_ m: UInt32) -> Bool { m == 0o100644 || m == 0o100755 || m == 0o100664 }
        // Exact: the same blob.
        var best: TreeFile?
        var bestScore = -1
        for file in sources where file.blobID == blob && file.path != path {
            if !isRegular(file.kind.mode) || !isRegular(mode) { guard file.kind.mode == mode else { continue } }
            let score = (remaining.contains(file.path) ? 0 : 1) + (sameName(file) ? 1 : 0)
            if score > bestScore {
                best = file
                bestScore = score
                if score == 2 { break }
            }
        }
        if let best { return best.path }
        guard isRegular(mode) else { return nil }
        let target = try data(blob, repository)
        // Inexact: the four best by (score, same name), earlier sources kept on ties.
        struct Candidate { var file: TreeFile; var score: Int; var nameScore: Int }
        var top: [Candidate] = []
        func worse(_ a: Candidate, than b: Candidate) -> Bool {
            a.score != b.score ? a.score < b.score : a.nameScore < b.nameScore
        }
        for file in sources where isRegular(file.kind.mode) {
            guard let score = try similarity(from: file.blobID, to: blob, targetSize: target.count, repository) else { continue }
            let candidate = Candidate(file: file, score: score, nameScore: sameName(file) ? 1 : 0)
            if top.count < Self.candidatesPerDestination {
                top.append(candidate)
            } else if let worstIndex = top.indices.max(by: { worse(top[$1], than: top[$0]) }), worse(top[worstIndex], than: candidate) {
                top[worstIndex] = candidate
            }
        }
        // Stable sort, best first.
        let ranked = top.enumerated().sorted { lhs, rhs in
            if lhs.element.score != rhs.element.score { return lhs.element.score > rhs.element.score }
            if lhs.element.nameScore != rhs.element.nameScore { return lhs.element.nameScore > rhs.element.nameScore }
            return lhs.offset < rhs.offset
        }.map(\.element).filter { $0.score >= Self.minimumScore }
        // Renames (the source is gone) before copies.
        if let rename = ranked.first(where: { !remaining.contains($0.file.path) }) { return rename.file.path }
        return ranked.first?.file.path
    }

    private mutating func data(_ id: ObjectID, _ repository: Repository) throws -> Data {
        if let cached = blobs[id] { return cached }
        let data = try repository.blob(id)
        blobs[id] = data
        return data
    }

    /// git's estimate_similarity: nil below the size filter, else copied bytes * 60000 / larger size.
    private mutating func similarity(from source: ObjectID, to target: ObjectID, targetSize: Int, _ repository: Repository) throws -> Int? {
        let sourceData = try data(source, repository)
        let maxSize = max(sourceData.count, targetSize), baseSize = min(sourceData.count, targetSize)
        let delta = maxSize - baseSize
        if maxSize * (Self.maxScore - Self.minimumScore) < delta * Self.maxScore { return nil }
        guard targetSize > 0 else { return 0 }
        let a = spanHash(source, sourceData), b = spanHash(target, try data(target, repository))
        var copied = 0
        for (hash, count) in a { copied += min(count, b[hash] ?? 0) }
        return copied * Self.maxScore / maxSize
    }

    /// diffcore-delta's hash_chars: spans of up to 64 bytes ending at a newline, hashed, bytes per hash.
    private mutating func spanHash(_ id: ObjectID, _ data: Data) -> [UInt32: Int] {
        if let cached = spans[id] { return cached }
        let isText = !data.prefix(8000).contains(0)
        var table: [UInt32: Int] = [:]
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var accum1: UInt32 = 0, accum2: UInt32 = 0
            var n = 0
            var i = 0
            let count = raw.count
            while i < count {
                let c = UInt32(raw[i])
                i += 1
                if isText && c == 13 && i < count && raw[i] == 10 { continue }
                let old1 = accum1
                accum1 = (accum1 << 7) ^ (accum2 >> 25)
                accum2 = (accum2 << 7) ^ (old1 >> 25)
                accum1 &+= c
                n += 1
                if n < 64 && c != 10 { continue }
                let hash = (accum1 &+ accum2 &* 0x61) % Self.hashBase
                table[hash, default: 0] += n
                n = 0
                accum1 = 0
                accum2 = 0
            }
            if n > 0 {
                let hash = (accum1 &+ accum2 &* 0x61) % Self.hashBase
                table[hash, default: 0] += n
            }
        }
        spans[id] = table
        return table
    }
}
