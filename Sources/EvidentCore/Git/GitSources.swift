import Foundation
import GitKit

/// The git index: what the next commit would contain (partially staged files as staged).
public struct IndexSource: EvidenceSource, @unchecked Sendable {
    let repository: Repository
    /// An index file other than the repository's (git's `GIT_INDEX_FILE` in hooks), or nil.
    let indexFile: String?
    public var label: String { "index" }

    public init(repository: Repository, indexFile: String? = nil) {
        self.repository = repository
        self.indexFile = indexFile
    }

    public func files(under folder: String) throws -> [SourceFile] {
        let staged = try repository.stagedFiles(under: folder, indexFile: indexFile)
        if staged.isEmpty { throw SourceError.notFound(folder) }
        return staged.map(GitSourceFiles.sourceFile)
    }

    public func read(_ path: String) throws -> Data {
        guard let normalized = RepositoryPath.normalize(path) else { throw SourceError.outsideRepository(path) }
        guard let file = try repository.stagedFiles(under: normalized, indexFile: indexFile).first(where: { $0.path == normalized }) else {
            throw SourceError.notFound(path)
        }
        guard file.kind == .file || file.kind == .executable else { throw SourceError.outsideRepository(path) }
        return try repository.blob(file.blobID)
    }

    public func exists(_ path: String) -> Bool {
        guard let normalized = RepositoryPath.normalize(path) else { return false }
        return (try? repository.stagedFiles(under: normalized, indexFile: indexFile).contains { $0.path == normalized }) ?? false
    }
}

/// A commit's tree, read through libgit2 blobs (never the working tree).
public struct CommitSource: EvidenceSource, @unchecked Sendable {
    let repository: Repository
    public let commit: ObjectID
    public let revision: String
    public var label: String { "commit \(String(commit.hex.prefix(12)))" }

    public init(repository: Repository, revision: String) throws {
        self.repository = repository
        self.revision = revision
        self.commit = try repository.resolve(revision: revision)
    }

    public func files(under folder: String) throws -> [SourceFile] {
        let files = try repository.files(inCommit: commit, under: folder)
        if files.isEmpty { throw SourceError.notFound(folder) }
        return files.map(GitSourceFiles.sourceFile)
    }

    public func read(_ path: String) throws -> Data {
        guard let normalized = RepositoryPath.normalize(path), !normalized.isEmpty else { throw SourceError.outsideRepository(path) }
        guard let file = try repository.files(inCommit: commit, under: normalized).first(where: { $0.path == normalized }) else {
            throw SourceError.notFound(path)
        }
        guard file.kind == .file || file.kind == .executable else { throw SourceError.outsideRepository(path) }
        return try repository.blob(file.blobID)
    }

    public func exists(_ path: String) -> Bool {
        guard let normalized = RepositoryPath.normalize(path), !normalized.isEmpty else { return false }
        return (try? repository.files(inCommit: commit, under: normalized).contains { $0.path == normalized }) ?? false
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
