import Foundation
import GitKit

/// The git index: what the next commit would contain (partially staged files as staged).
public struct IndexSource: EvidenceSource, @unchecked Sendable {
    /// An index file other than the repository's (git's `GIT_INDEX_FILE` in hooks), or nil.
    let indexFile: String?
    private let tree: GitListingReader
    public var label: String { "index" }

    public init(repository: Repository, indexFile: String? = nil) {
        self.indexFile = indexFile
        tree = GitListingReader(repository: repository) { try repository.stagedFiles(under: $0, indexFile: indexFile) }
    }

    public func files(under folder: String) throws -> [SourceFile] { try tree.files(under: folder) }
    public func read(_ path: String) throws -> Data { try tree.read(path) }
    public func exists(_ path: String) -> Bool { tree.exists(path) }
}

/// A commit's tree, read through libgit2 blobs (never the working tree).
public struct CommitSource: EvidenceSource, @unchecked Sendable {
    public let commit: ObjectID
    public let revision: String
    private let tree: GitListingReader
    public var label: String { "commit \(String(commit.hex.prefix(12)))" }

    public init(repository: Repository, revision: String) throws {
        self.revision = revision
        let commit = try repository.resolve(revision: revision)
        self.commit = commit
        tree = GitListingReader(repository: repository) { try repository.files(inCommit: commit, under: $0) }
    }

    public func files(under folder: String) throws -> [SourceFile] { try tree.files(under: folder) }
    public func read(_ path: String) throws -> Data { try tree.read(path) }
    public func exists(_ path: String) -> Bool { tree.exists(path) }
}

/// What the index and commit sources share: list a folder once, then read blobs from that listing;
/// never a symlink or submodule, never a path leaving the repository.
struct GitListingReader {
    let repository: Repository
    let list: (String) throws -> [TreeFile]
    private let listed = ListedFiles()

    init(repository: Repository, list: @escaping (String) throws -> [TreeFile]) {
        self.repository = repository
        self.list = list
    }

    func files(under folder: String) throws -> [SourceFile] {
        let files = try list(folder)
        listed.remember(files, under: folder)
        if files.isEmpty { throw SourceError.notFound(folder) }
        return files.map(GitSourceFiles.sourceFile)
    }

    /// The entry at a normalised path: from the listing already made when it covers the path.
    private func entry(_ normalized: String) throws -> TreeFile? {
        if let known = listed.lookup(normalized) { return known }
        return try list(normalized).first(where: { $0.path == normalized })
    }

    func read(_ path: String) throws -> Data {
        guard let normalized = RepositoryPath.normalize(path), !normalized.isEmpty else { throw SourceError.outsideRepository(path) }
        guard let file = try entry(normalized) else { throw SourceError.notFound(path) }
        guard file.kind == .file || file.kind == .executable else { throw SourceError.outsideRepository(path) }
        return try repository.blob(file.blobID)
    }

    func exists(_ path: String) -> Bool {
        guard let normalized = RepositoryPath.normalize(path), !normalized.isEmpty else { return false }
        return ((try? entry(normalized)) ?? nil) != nil
    }
}

/// Files a git source has listed, by path, so that reading each one does not list the index or
/// walk the tree again (one listing for a whole check instead of one per file).
final class ListedFiles: @unchecked Sendable {
    private let lock = NSLock()
    private var folders: [String] = []
    private var byPath: [String: TreeFile] = [:]

    func remember(_ files: [TreeFile], under folder: String) {
        guard let normalized = RepositoryPath.normalize(folder) else { return }
        lock.lock()
        defer { lock.unlock() }
        folders.append(normalized)
        for file in files { byPath[file.path] = file }
    }

    /// `.some(entry or nil)` when a listed folder covers the path; nil when it must be looked up.
    func lookup(_ path: String) -> TreeFile?? {
        lock.lock()
        defer { lock.unlock() }
        guard folders.contains(where: { RepositoryPath.isUnder(path, folder: $0) }) else { return nil }
        return .some(byPath[path])
    }
}

enum GitSourceFiles {
    static func sourceFile(_ file: TreeFile) -> SourceFile {
        let kind: SourceFile.Kind
        switch file.kind {
        case .file, .executable: kind = .regular
        case .symlink: kind = .symlink
        default: kind = .other
        }
        return SourceFile(path: file.path, kind: kind, blobID: file.blobID.hex)
    }
}
