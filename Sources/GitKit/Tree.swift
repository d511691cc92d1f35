import CLibGit2
import Foundation

/// A non-directory entry of a tree or the index.
public struct TreeFile: Sendable, Equatable, Hashable {
    /// What kind of entry it is, from its git file mode.
    public enum Kind: Sendable, Equatable, Hashable {
        case file, executable, symlink, submodule

        init?(mode: UInt32) {
            switch mode {
            case 0o100644, 0o100664: self = .file
            case 0o100755: self = .executable
            case 0o120000: self = .symlink
            case 0o160000: self = .submodule
            default: return nil
            }
        }

        /// The git file mode for this kind.
        public var mode: UInt32 {
            switch self {
            case .file: return 0o100644
            case .executable: return 0o100755
            case .symlink: return 0o120000
            case .submodule: return 0o160000
            }
        }
    }

    /// Path from the repository root, `/`-separated.
    public let path: String
    /// The blob id (for a submodule: the commit it pins).
    public let blobID: ObjectID
    public let kind: Kind

    public init(path: String, blobID: ObjectID, kind: Kind) {
        self.path = path
        self.blobID = blobID
        self.kind = kind
    }
}

/// What the index holds: the staged (stage 0) entries and the paths in conflict.
public struct IndexContents: Sendable, Equatable {
    public let files: [TreeFile]
    /// Paths with conflict stages (1-3), sorted, each once.
    public let conflictedPaths: [String]
}

/// Normalises "security/", "/security", "" to "security" / "".
func normalizePrefix(_ prefix: String) -> String {
    var p = Substring(prefix)
    while p.hasPrefix("/") || p.hasPrefix("./") { p = p.hasPrefix("/") ? p.dropFirst() : p.dropFirst(2) }
    while p.hasSuffix("/") { p = p.dropLast() }
    return p == "." ? "" : String(p)
}

func isUnder(_ path: String, prefix: String) -> Bool {
    prefix.isEmpty || path == prefix || path.hasPrefix(prefix + "/")
}

extension Repository {
    func treeHandle(_ id: ObjectID) throws -> Handle {
        var oid = id.oid
        return try makeHandle(owner: self, call: "git_tree_lookup(\(id.hex))", free: { git_tree_free($0) }) {
            git_tree_lookup($0, pointer, &oid)
        }
    }

    func commitTreeID(_ commitID: ObjectID) throws -> ObjectID {
        var oid = commitID.oid
        let handle = try makeHandle(owner: self, call: "git_commit_lookup(\(commitID.hex))",
                                    free: { git_commit_free($0) }) { git_commit_lookup($0, pointer, &oid) }
        return ObjectID(pointer: git_commit_tree_id(handle.pointer))
    }

    /// Every file (recursively) under `prefix` in the commit's tree, sorted by path.
    public func files(inCommit commitID: ObjectID, under prefix: String = "") throws -> [TreeFile] {
        let root = try treeHandle(try commitTreeID(commitID))
        let p = normalizePrefix(prefix)
        var out: [TreeFile] = []
        if p.isEmpty {
            try collect(tree: root, base: "", into: &out)
        } else {
            var entry: OpaquePointer?
            let rc = git_tree_entry_bypath(&entry, root.pointer, p)
            if rc == GIT_ENOTFOUND.rawValue { return [] }
            try check(rc, "git_tree_entry_bypath(\(p))")
            guard let entry else { return [] }
            defer { git_tree_entry_free(entry) }
            let mode = UInt32(git_tree_entry_filemode(entry).rawValue)
            let id = ObjectID(pointer: git_tree_entry_id(entry))
            if mode == 0o040000 {
                try collect(tree: try treeHandle(id), base: p + "/", into: &out)
            } else if let kind = TreeFile.Kind(mode: mode) {
                out.append(TreeFile(path: p, blobID: id, kind: kind))
            }
        }
        return out.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    private func collect(tree: Handle, base: String, into out: inout [TreeFile]) throws {
        let count = git_tree_entrycount(tree.pointer)
        for i in 0..<count {
            guard let entry = git_tree_entry_byindex(tree.pointer, i), let cname = git_tree_entry_name(entry) else {
                continue
            }
            let name = lossyString(cname)
            let mode = UInt32(git_tree_entry_filemode(entry).rawValue)
            let id = ObjectID(pointer: git_tree_entry_id(entry))
            if mode == 0o040000 {
                try collect(tree: try treeHandle(id), base: base + name + "/", into: &out)
            } else if let kind = TreeFile.Kind(mode: mode) {
                out.append(TreeFile(path: base + name, blobID: id, kind: kind))
            }
        }
    }

    /// The contents of a blob.
    public func blob(_ id: ObjectID) throws -> Data {
        WorkCounts.add(.blobsRead)
        var oid = id.oid
        let handle = try makeHandle(owner: self, call: "git_blob_lookup(\(id.hex))", free: { git_blob_free($0) }) {
            git_blob_lookup($0, pointer, &oid)
        }
        let size = Int(git_blob_rawsize(handle.pointer))
        guard size > 0, let raw = git_blob_rawcontent(handle.pointer) else { return Data() }
        return Data(bytes: raw, count: size)
    }

    /// The contents of the blob at `path` in the commit, nil when there is no file there.
    public func blobData(atPath path: String, inCommit commitID: ObjectID) throws -> Data? {
        try blobID(atPath: path, inCommit: commitID).map(blob)
    }

    /// The id of the blob at `path` in the commit (its contents not read), nil when there is no file there.
    public func blobID(atPath path: String, inCommit commitID: ObjectID) throws -> ObjectID? {
        let root = try treeHandle(try commitTreeID(commitID))
        var entry: OpaquePointer?
        let rc = git_tree_entry_bypath(&entry, root.pointer, normalizePrefix(path))
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try check(rc, "git_tree_entry_bypath(\(path))")
        guard let entry else { return nil }
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return nil }
        return ObjectID(pointer: git_tree_entry_id(entry))
    }

    /// The index as on disk now (re-read), limited to `prefix`.
    /// `indexFile` names another index file (what git passes hooks as `GIT_INDEX_FILE` during
    /// `git commit -a` or `git commit PATH`); nil reads the repository's own index.
    public func indexContents(under prefix: String = "", indexFile: String? = nil) throws -> IndexContents {
        let index: Handle
        if let indexFile {
            index = try makeHandle(owner: self, call: "git_index_open(\(indexFile))", free: { git_index_free($0) }) {
                git_index_open($0, indexFile)
            }
        } else {
            index = try makeHandle(owner: self, call: "git_repository_index", free: { git_index_free($0) }) {
                git_repository_index($0, pointer)
            }
        }
        try check(git_index_read(index.pointer, 1), "git_index_read")
        let p = normalizePrefix(prefix)
        var files: [TreeFile] = []
        var conflicts = Set<String>()
        let count = git_index_entrycount(index.pointer)
        for i in 0..<count {
            guard let entry = git_index_get_byindex(index.pointer, i), let cpath = entry.pointee.path else { continue }
            let path = lossyString(cpath)
            guard isUnder(path, prefix: p) else { continue }
            let stage = (Int32(entry.pointee.flags) & GIT_INDEX_ENTRY_STAGEMASK) >> GIT_INDEX_ENTRY_STAGESHIFT
            if stage != 0 {
                conflicts.insert(path)
                continue
            }
            guard let kind = TreeFile.Kind(mode: entry.pointee.mode) else { continue }
            files.append(TreeFile(path: path, blobID: ObjectID(entry.pointee.id), kind: kind))
        }
        files.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return IndexContents(files: files, conflictedPaths: conflicts.sorted())
    }

    /// Stage-0 index entries under `prefix`: what the next commit would contain.
    public func stagedFiles(under prefix: String = "", indexFile: String? = nil) throws -> [TreeFile] {
        try indexContents(under: prefix, indexFile: indexFile).files
    }

    /// The blob id git would give `data` (no filters applied, nothing written).
    public func hashBlob(_ data: Data) throws -> ObjectID {
        var oid = git_oid()
        let rc = data.withUnsafeBytes { raw in
            git_odb_hash(&oid, raw.baseAddress, raw.count, GIT_OBJECT_BLOB)
        }
        try check(rc, "git_odb_hash")
        return ObjectID(oid)
    }

    /// Hashes a working-tree file by path relative to the working directory.
    public func hashWorkdirFile(_ relativePath: String) throws -> ObjectID {
        guard let workdir else {
            throw GitError(message: "bare repository has no working tree", call: "hashWorkdirFile", kind: .invalid)
        }
        let url = URL(fileURLWithPath: workdir).appendingPathComponent(relativePath)
        return try hashBlob(try Data(contentsOf: url))
    }
}
