import CLibGit2
import Foundation

/// An open git repository (one libgit2 handle). Not for sharing between concurrent tasks.
public final class Repository {
    let pointer: OpaquePointer
    private var odbHandle: Handle?

    private init(pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit { git_repository_free(pointer) }

    /// Finds the repository containing `path`, walking up the directories like git does.
    public static func discover(startingAt path: String) throws -> Repository {
        LibGit2.ensure()
        var buf = git_buf()
        let rc = git_repository_discover(&buf, path, 0, nil)
        if rc == GIT_ENOTFOUND.rawValue {
            git_buf_dispose(&buf)
            throw GitError(code: rc, message: "not a git repository (or any of the parent directories): \(path)",
                           call: "git_repository_discover", kind: .notARepository)
        }
        if rc < 0 {
            let error = GitError.last(code: rc, call: "git_repository_discover")
            git_buf_dispose(&buf)
            throw error
        }
        let found = takeBuffer(&buf)
        return try open(at: found)
    }

    /// Opens the repository at exactly `path` (a working directory, a `.git` directory or a bare repository).
    public static func open(at path: String) throws -> Repository {
        LibGit2.ensure()
        var out: OpaquePointer?
        let rc = git_repository_open_ext(&out, path, UInt32(GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue), nil)
        if rc == GIT_ENOTFOUND.rawValue {
            throw GitError(code: rc, message: "not a git repository: \(path)",
                           call: "git_repository_open_ext", kind: .notARepository)
        }
        try check(rc, "git_repository_open_ext(\(path))")
        guard let pointer = out else { throw GitError(message: "no repository", call: "git_repository_open_ext") }
        return Repository(pointer: pointer)
    }

    /// Creates (initialises) a repository at `path`.
    public static func create(at path: String, bare: Bool = false) throws -> Repository {
        LibGit2.ensure()
        var out: OpaquePointer?
        try check(git_repository_init(&out, path, bare ? 1 : 0), "git_repository_init(\(path))")
        guard let pointer = out else { throw GitError(message: "no repository", call: "git_repository_init") }
        return Repository(pointer: pointer)
    }

    // MARK: Facts

    /// The working directory, with a trailing slash; nil for a bare repository.
    public var workdir: String? {
        git_repository_workdir(pointer).map { String(cString: $0) }
    }

    /// The git directory; for a linked worktree, the worktree's own (`.git/worktrees/<name>/`).
    public var gitDir: String { String(cString: git_repository_path(pointer)) }

    /// The common git directory shared by all worktrees (where caches belong).
    public var commonDir: String { String(cString: git_repository_commondir(pointer)) }

    public var isBare: Bool { git_repository_is_bare(pointer) == 1 }
    public var isShallow: Bool { git_repository_is_shallow(pointer) == 1 }
    /// True when the repository has no commits at all (HEAD unborn and no references).
    public var isEmpty: Bool { git_repository_is_empty(pointer) == 1 }
    public var isHeadDetached: Bool { git_repository_head_detached(pointer) == 1 }
    /// True when HEAD names a branch that has no commit yet.
    public var isHeadUnborn: Bool { git_repository_head_unborn(pointer) == 1 }
    /// True when this repository is a linked worktree.
    public var isLinkedWorktree: Bool { git_repository_is_worktree(pointer) == 1 }

    /// The commit HEAD points to, or nil when HEAD is unborn.
    public func headCommitID() -> ObjectID? {
        var oid = git_oid()
        guard git_reference_name_to_id(&oid, pointer, "HEAD") == 0 else { return nil }
        return ObjectID(oid)
    }

    /// The branch HEAD points to (`refs/heads/main`), also when unborn; nil when detached.
    public func headReferenceName() -> String? {
        guard let ref = try? makeHandle(owner: self, call: "git_reference_lookup(HEAD)", free: { git_reference_free($0) }, {
            git_reference_lookup($0, pointer, "HEAD")
        }) else { return nil }
        guard git_reference_type(ref.pointer) == GIT_REFERENCE_SYMBOLIC,
              let target = git_reference_symbolic_target(ref.pointer) else { return nil }
        return String(cString: target)
    }

    func odb() throws -> Handle {
        if let odbHandle { return odbHandle }
        let handle = try makeHandle(owner: self, call: "git_repository_odb", free: { git_odb_free($0) }) {
            git_repository_odb($0, pointer)
        }
        odbHandle = handle
        return handle
    }

    // MARK: Resolution

    /// Resolves a revision (`HEAD`, a branch, a tag, an abbreviated id, `v1.0^{}`...) to a commit id.
    public func resolve(revision: String) throws -> ObjectID {
        var object: OpaquePointer?
        let rc = git_revparse_single(&object, pointer, revision)
        if rc == GIT_ENOTFOUND.rawValue || rc == GIT_EINVALIDSPEC.rawValue {
            throw GitError(code: rc, message: "unknown revision '\(revision)'", call: "git_revparse_single",
                           kind: .unknownRevision)
        }
        if rc == GIT_EAMBIGUOUS.rawValue {
            throw GitError(code: rc, message: "ambiguous revision '\(revision)'", call: "git_revparse_single",
                           kind: .ambiguous)
        }
        try check(rc, "git_revparse_single(\(revision))")
        guard let object else { throw GitError(message: "no object", call: "git_revparse_single") }
        defer { git_object_free(object) }
        var peeled: OpaquePointer?
        let prc = git_object_peel(&peeled, object, GIT_OBJECT_COMMIT)
        if prc < 0 {
            let underlying = GitError.last(code: prc, call: "git_object_peel")
            throw GitError(code: prc, errorClass: underlying.errorClass,
                           message: "revision '\(revision)' does not name a commit: \(underlying.message)",
                           call: "git_object_peel", kind: .invalid)
        }
        guard let peeled else { throw GitError(message: "no object", call: "git_object_peel") }
        defer { git_object_free(peeled) }
        return ObjectID(pointer: git_object_id(peeled))
    }

    /// True when an object with this id is in the object database.
    public func objectExists(_ id: ObjectID) -> Bool {
        guard let odb = try? odb() else { return false }
        var oid = id.oid
        return git_odb_exists(odb.pointer, &oid) == 1
    }

    /// Looks up `refs/tags/<name>`, telling annotated from lightweight, peeled to its commit.
    public func resolveTag(name: String) throws -> TagInfo {
        let refName = name.hasPrefix("refs/tags/") ? name : "refs/tags/\(name)"
        var oid = git_oid()
        let rc = git_reference_name_to_id(&oid, pointer, refName)
        if rc == GIT_ENOTFOUND.rawValue {
            throw GitError(code: rc, message: "tag '\(name)' not found", call: "git_reference_name_to_id",
                           kind: .notFound)
        }
        try check(rc, "git_reference_name_to_id(\(refName))")
        let target = ObjectID(oid)
        var tagPtr: OpaquePointer?
        if git_tag_lookup(&tagPtr, pointer, &oid) == 0, let tagPtr {
            defer { git_tag_free(tagPtr) }
            let tagger = git_tag_tagger(tagPtr).map { Signature($0) }
            let message = git_tag_message(tagPtr).map { lossyString($0) }
            let commit = try resolve(revision: target.hex)
            return TagInfo(name: name, objectID: target, commitID: commit, isAnnotated: true, tagger: tagger,
                           message: message)
        }
        let commit = try resolve(revision: target.hex)
        return TagInfo(name: name, objectID: target, commitID: commit, isAnnotated: false, tagger: nil, message: nil)
    }

    /// Names of all tags (without `refs/tags/`), sorted.
    public func tagNames() throws -> [String] {
        var array = git_strarray()
        try check(git_tag_list(&array, pointer), "git_tag_list")
        defer { git_strarray_dispose(&array) }
        var names: [String] = []
        for i in 0..<array.count {
            if let s = array.strings[i] { names.append(lossyString(s)) }
        }
        return names.sorted()
    }

    /// True when `ancestor` is `descendant` or one of its ancestors.
    public func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws -> Bool {
        if ancestor == descendant { return true }
        WorkCounts.add(.historyWalks)
        var a = ancestor.oid
        var d = descendant.oid
        let rc = git_graph_descendant_of(pointer, &d, &a)
        try check(rc, "git_graph_descendant_of")
        return rc == 1
    }

    // MARK: Configuration and identities

    /// A configuration value as git would read it (repository, global, system), nil when unset.
    public func config(string key: String) -> String? {
        var cfg: OpaquePointer?
        guard git_repository_config_snapshot(&cfg, pointer) == 0, let cfg else { return nil }
        defer { git_config_free(cfg) }
        var value: UnsafePointer<CChar>?
        guard git_config_get_string(&value, cfg, key) == 0, let value else { return nil }
        return lossyString(value)
    }

    /// Maps an identity through the repository's `.mailmap` (and `mailmap.file`/`mailmap.blob`).
    public func resolveIdentity(name: String, email: String) -> (name: String, email: String) {
        var mm: OpaquePointer?
        guard git_mailmap_from_repository(&mm, pointer) == 0, let mm else { return (name, email) }
        defer { git_mailmap_free(mm) }
        var outName: UnsafePointer<CChar>?
        var outEmail: UnsafePointer<CChar>?
        return name.withCString { n in
            email.withCString { e in
                guard git_mailmap_resolve(&outName, &outEmail, mm, n, e) == 0 else { return (name, email) }
                return (outName.map { lossyString($0) } ?? name, outEmail.map { lossyString($0) } ?? email)
            }
        }
    }

    /// Commits whose history is cut off in a shallow clone (listed in `shallow`); empty otherwise.
    public func graftedCommits() -> Set<ObjectID> {
        let path = (commonDir as NSString).appendingPathComponent("shallow")
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var result = Set<ObjectID>()
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            if let id = ObjectID(hex: line.trimmingCharacters(in: .whitespaces)) { result.insert(id) }
        }
        return result
    }
}

/// A tag resolved to what it names.
public struct TagInfo: Sendable, Equatable {
    public let name: String
    /// What the reference points to: the tag object for an annotated tag, else the commit.
    public let objectID: ObjectID
    /// The commit the tag ultimately names.
    public let commitID: ObjectID
    public let isAnnotated: Bool
    public let tagger: Signature?
    public let message: String?
}
