import CLibGit2
import Foundation

extension Repository {
    /// An approximation of `git log --follow --format=%H -- PATH`: walks every commit from `tip`
    /// newest first, lists the non-merge commits that changed the (current) path, and when the
    /// path appears in a commit, looks for its rename source (libgit2 similarity detection,
    /// default 50% threshold) and continues with the old name. Like git, the tracked name is
    /// global to the walk, not per branch; merges are not listed.
    public func follow(path: String, from tip: ObjectID) throws -> [ObjectID] {
        let walker = try makeHandle(owner: self, call: "git_revwalk_new", free: { git_revwalk_free($0) }) {
            git_revwalk_new($0, pointer)
        }
        git_revwalk_sorting(walker.pointer, GIT_SORT_TIME.rawValue)
        var tipOID = tip.oid
        try check(git_revwalk_push(walker.pointer, &tipOID), "git_revwalk_push")
        let grafts = graftedCommits()
        var current = normalizePrefix(path)
        var result: [ObjectID] = []
        var oid = git_oid()
        while true {
            let rc = git_revwalk_next(&oid, walker.pointer)
            if rc == GIT_ITEROVER.rawValue { break }
            try check(rc, "git_revwalk_next")
            let id = ObjectID(oid)
            let commit = try makeHandle(owner: self, call: "git_commit_lookup", free: { git_commit_free($0) }) {
                git_commit_lookup($0, pointer, &oid)
            }
            let parentCount = grafts.contains(id) ? 0 : git_commit_parentcount(commit.pointer)
            if parentCount > 1 { continue }
            let tree = try treeHandle(ObjectID(pointer: git_commit_tree_id(commit.pointer)))
            let mine = try entryKey(tree: tree, path: current)
            var parentTree: Handle?
            if parentCount == 1, let pid = git_commit_parent_id(commit.pointer, 0) {
                parentTree = try treeHandle(try commitTreeID(ObjectID(pointer: pid)))
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
