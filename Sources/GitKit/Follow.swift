import CLibGit2
import Foundation

extension Repository {
    /// An approximation of `git log --follow --format=%H -- PATH`: walks every commit from `tip`
    /// newest first, lists the non-merge commits that changed the (current) path, and when the
    /// path appears in a commit, looks for its rename source (libgit2 similarity detection,
    /// default 50% threshold) and continues with the old name. Like git, the tracked name is
    /// global to the walk, not per branch; merges are not listed.
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
            if mine != nil, theirs == nil, let parentTree {
                if let source = try renameSource(of: current, old: parentTree, new: tree) { current = source }
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

    private func renameSource(of path: String, old: Handle, new: Handle) throws -> String? {
        let diff = try makeHandle(owner: self, call: "git_diff_tree_to_tree", free: { git_diff_free($0) }) {
            git_diff_tree_to_tree($0, pointer, old.pointer, new.pointer, nil)
        }
        var opts = git_diff_find_options()
        try check(git_diff_find_options_init(&opts, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)), "git_diff_find_options_init")
        opts.flags = GIT_DIFF_FIND_RENAMES.rawValue
        try check(git_diff_find_similar(diff.pointer, &opts), "git_diff_find_similar")
        for i in 0..<git_diff_num_deltas(diff.pointer) {
            guard let delta = git_diff_get_delta(diff.pointer, i) else { continue }
            guard delta.pointee.status == GIT_DELTA_RENAMED,
                  let newPath = delta.pointee.new_file.path, lossyString(newPath) == path,
                  let oldPath = delta.pointee.old_file.path else { continue }
            return lossyString(oldPath)
        }
        return nil
    }
}
