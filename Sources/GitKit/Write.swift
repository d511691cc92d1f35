import CLibGit2
import Foundation

extension Repository {
    /// Writes `data` as a blob and returns its id.
    public func writeBlob(_ data: Data) throws -> ObjectID {
        try writeObject(data, type: GIT_OBJECT_BLOB, call: "git_odb_write(blob)")
    }

    func writeObject(_ data: Data, type: git_object_t, call: String) throws -> ObjectID {
        let odb = try odb()
        var oid = git_oid()
        let rc = data.withUnsafeBytes { raw in
            git_odb_write(&oid, odb.pointer, raw.baseAddress, raw.count, type)
        }
        try check(rc, call)
        return ObjectID(oid)
    }

    /// Creates a commit whose tree is the first parent's tree (or empty) with `files` applied
    /// (`nil` deletes a path), then points `updateRef` at it (`"HEAD"` moves the current branch,
    /// also when unborn). `parents` defaults to HEAD's commit, if any.
    @discardableResult
    public func commit(
        files: [String: Data?], message: String, author: Signature, committer: Signature,
        parents: [ObjectID]? = nil, updateRef: String? = "HEAD"
    ) throws -> ObjectID {
        let parentIDs = parents ?? (headCommitID().map { [$0] } ?? [])
        let base = try parentIDs.first.map { try commitTreeID($0) }
        let tree = try buildTree(base: base, changes: files.map { ($0.key, $0.value.map { ($0, TreeFile.Kind.file) }) })
        return try commit(tree: tree, message: message, author: author, committer: committer, parents: parentIDs,
                          updateRef: updateRef)
    }

    /// Creates a commit from an existing tree (raw object write: stable across libgit2 versions).
    @discardableResult
    public func commit(
        tree: ObjectID, message: String, author: Signature, committer: Signature, parents: [ObjectID],
        extraHeaders: [(String, String)] = [], updateRef: String? = "HEAD"
    ) throws -> ObjectID {
        var text = "tree \(tree.hex)\n"
        for p in parents { text += "parent \(p.hex)\n" }
        text += "author \(author.rawHeaderValue)\n"
        text += "committer \(committer.rawHeaderValue)\n"
        for (key, value) in extraHeaders {
            text += key + " " + value.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n ")
                + "\n"
        }
        text += "\n" + message
        let id = try writeObject(Data(text.utf8), type: GIT_OBJECT_COMMIT, call: "git_odb_write(commit)")
        if let updateRef { try self.updateRef(updateRef, to: id) }
        return id
    }

    /// Builds a tree from `base` (a tree id or nil for empty) with changes applied; returns its id.
    public func buildTree(base: ObjectID?, changes: [(path: String, content: (Data, TreeFile.Kind)?)]) throws
        -> ObjectID {
        let index = try makeHandle(owner: nil, call: "git_index_new", free: { git_index_free($0) }) {
            git_index_new($0)
        }
        if let base {
            let tree = try treeHandle(base)
            try check(git_index_read_tree(index.pointer, tree.pointer), "git_index_read_tree")
        }
        for (path, content) in changes {
            let p = normalizePrefix(path)
            guard !p.isEmpty else { throw GitError(message: "empty path", call: "buildTree", kind: .invalid) }
            if let (data, kind) = content {
                let blob = try writeBlob(data)
                var entry = git_index_entry()
                entry.mode = kind.mode
                entry.id = blob.oid
                entry.file_size = UInt32(truncatingIfNeeded: data.count)
                let rc = p.withCString { cpath -> Int32 in
                    entry.path = cpath
                    return git_index_add(index.pointer, &entry)
                }
                try check(rc, "git_index_add(\(p))")
            } else {
                let rc = git_index_remove(index.pointer, p, 0)
                if rc != GIT_ENOTFOUND.rawValue { try check(rc, "git_index_remove(\(p))") }
                // A deleted directory: remove everything below it too.
                let drc = git_index_remove_directory(index.pointer, p, 0)
                if drc != GIT_ENOTFOUND.rawValue { try check(drc, "git_index_remove_directory(\(p))") }
            }
        }
        var oid = git_oid()
        try check(git_index_write_tree_to(&oid, index.pointer, pointer), "git_index_write_tree_to")
        return ObjectID(oid)
    }

    /// Points a reference at a commit. `"HEAD"` moves the branch HEAD names (or HEAD itself when detached).
    public func updateRef(_ name: String, to id: ObjectID) throws {
        var target = name
        if name == "HEAD", let branch = headReferenceName() { target = branch }
        var oid = id.oid
        var ref: OpaquePointer?
        try check(git_reference_create(&ref, pointer, target, &oid, 1, nil), "git_reference_create(\(target))")
        git_reference_free(ref)
    }

    /// Creates (or moves, with `force`) `refs/heads/<name>` at a commit.
    public func createBranch(_ name: String, at id: ObjectID, force: Bool = false) throws {
        var oid = id.oid
        var ref: OpaquePointer?
        try check(git_reference_create(&ref, pointer, "refs/heads/\(name)", &oid, force ? 1 : 0, nil),
                  "git_reference_create(refs/heads/\(name))")
        git_reference_free(ref)
    }

    /// Makes HEAD name a branch (`refs/heads/x`), which need not exist yet.
    public func setHead(branch: String) throws {
        let ref = branch.hasPrefix("refs/") ? branch : "refs/heads/\(branch)"
        try check(git_repository_set_head(pointer, ref), "git_repository_set_head(\(ref))")
    }

    /// Detaches HEAD at a commit.
    public func detachHead(at id: ObjectID) throws {
        var oid = id.oid
        try check(git_repository_set_head_detached(pointer, &oid), "git_repository_set_head_detached")
    }

    /// Rewrites the working tree and index to match HEAD (forced), so `git status` is clean.
    public func checkoutHead() throws {
        var opts = git_checkout_options()
        try check(git_checkout_options_init(&opts, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)), "git_checkout_options_init")
        opts.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue | GIT_CHECKOUT_REMOVE_UNTRACKED.rawValue
        try check(git_checkout_head(pointer, &opts), "git_checkout_head")
    }

    /// Creates an annotated tag object and `refs/tags/<name>` pointing at it.
    @discardableResult
    public func createAnnotatedTag(name: String, target: ObjectID, tagger: Signature, message: String,
                                   force: Bool = false) throws -> ObjectID {
        var text = "object \(target.hex)\ntype commit\ntag \(name)\ntagger \(tagger.rawHeaderValue)\n\n\(message)"
        if !message.hasSuffix("\n") { text += "\n" }
        let id = try writeObject(Data(text.utf8), type: GIT_OBJECT_TAG, call: "git_odb_write(tag)")
        var oid = id.oid
        var ref: OpaquePointer?
        try check(git_reference_create(&ref, pointer, "refs/tags/\(name)", &oid, force ? 1 : 0, nil),
                  "git_reference_create(refs/tags/\(name))")
        git_reference_free(ref)
        return id
    }

    /// Creates `refs/tags/<name>` pointing straight at a commit.
    public func createLightweightTag(name: String, target: ObjectID, force: Bool = false) throws {
        var oid = target.oid
        var ref: OpaquePointer?
        try check(git_reference_create(&ref, pointer, "refs/tags/\(name)", &oid, force ? 1 : 0, nil),
                  "git_reference_create(refs/tags/\(name))")
        git_reference_free(ref)
    }
}
