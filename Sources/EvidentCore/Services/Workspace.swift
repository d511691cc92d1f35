import Foundation
import GitKit

/// What a command judges: the working tree (default), the index (`--staged`) or a commit (`--rev`).
public enum EvidenceMode: Sendable, Equatable {
    case workingTree
    case staged
    case revision(String)
}

/// Why a command cannot run at all (exit 2).
public enum WorkspaceError: Error, CustomStringConvertible, Equatable {
    case notARepository(String)
    case bareNeedsRevision
    case unknownRevision(String)
    case noCommits

    public var description: String {
        switch self {
        case .notARepository(let path): return "\(path) is not inside a git repository (evident keeps evidence in git; run 'git init' first)"
        case .bareNeedsRevision: return "this is a bare repository with no working tree: name a commit with --rev"
        case .unknownRevision(let revision): return "revision '\(revision)' does not exist in this repository"
        case .noCommits: return "the repository has no commits yet"
        }
    }
}

/// A product repository opened for evident: the git repository and the working tree root.
public final class Workspace: @unchecked Sendable {
    public let repository: Repository
    /// The working tree root (nil for a bare repository).
    public let root: URL?
    /// The index `--staged` judges when not the repository's own: git hands hooks a temporary
    /// index through `GIT_INDEX_FILE` during `git commit -a` and `git commit PATH`.
    public var indexFile: String?

    public init(repository: Repository) {
        self.repository = repository
        self.root = repository.workdir.map { URL(fileURLWithPath: $0, isDirectory: true) }
    }

    /// Opens the repository containing `path`.
    public static func open(at path: String) throws -> Workspace {
        do {
            return Workspace(repository: try Repository.discover(startingAt: path))
        } catch {
            throw WorkspaceError.notARepository(path)
        }
    }

    /// The evidence source for a mode.
    public func source(_ mode: EvidenceMode) throws -> any EvidenceSource {
        switch mode {
        case .workingTree:
            guard let root else { throw WorkspaceError.bareNeedsRevision }
            return WorkingTreeSource(root: root)
        case .staged:
            guard root != nil else { throw WorkspaceError.bareNeedsRevision }
            return IndexSource(repository: repository, indexFile: indexFile)
        case .revision(let revision):
            do {
                return try CommitSource(repository: repository, revision: revision)
            } catch {
                throw WorkspaceError.unknownRevision(revision)
            }
        }
    }

    /// The commit history is judged at: HEAD for the working tree and index, the named commit otherwise.
    public func tip(_ mode: EvidenceMode) throws -> ObjectID? {
        switch mode {
        case .workingTree, .staged: return repository.headCommitID()
        case .revision(let revision):
            do { return try repository.resolve(revision: revision) } catch { throw WorkspaceError.unknownRevision(revision) }
        }
    }

    /// Where evident keeps its caches: `<commonDir>/evident/` (shared by all worktrees).
    var cacheDirectory: String { (repository.commonDir as NSString).appendingPathComponent("evident") }

    /// Loads configuration and records for a mode, with git facts (attribution) attached.
    public func loadProject(_ mode: EvidenceMode, today: String, catalog: Catalog? = nil) throws -> Project {
        let source = try source(mode)
        let catalog = try catalog ?? Timings.measure("catalog") { try Catalog.standard() }
        let cacheDirectory = self.cacheDirectory
        var project = try Timings.measure("load records") {
            try Project.load(from: source, catalog: catalog, today: today, hashBlobs: mode == .workingTree, cacheDirectory: cacheDirectory)
        }
        // Every file evident read has its blob id by now: from the index or commit, from the parse
        // cache, or hashed from the bytes read (`hashBlobs`). Never-read files (symlinks, FIFOs,
        // oversized files) have none.
        let blobs = Dictionary(project.files.compactMap { file in file.blobID.map { (file.path, $0) } }, uniquingKeysWith: { first, _ in first })
        project.schemaCache = Timings.measure("schema cache") { SchemaVerdictCache(directory: cacheDirectory) }
        if mode == .workingTree { Timings.measure("record index") { RecordIndex.save(project, directory: cacheDirectory) } }
        project.git = try Timings.measure("history") {
            try RepositoryFacts(repository: repository, recordsRoot: project.configuration.recordsRoot,
                                tip: try tip(mode), currentBlobs: blobs, identities: project.configuration.identities)
        }
        return project
    }

    /// The working tree's files under `folder` with the blob id git would give each regular one (nil
    /// when it cannot be read). A file whose `lstat` stamp is the one the parse cache recorded when
    /// evident last read it, under a blob id `expected` names for its path, is not read again (as
    /// git's index spares `git status` re-hashing); any other is read and hashed.
    public func workingTreeBlobs(under folder: String, limits: YAMLLimits, expected: [String: String]) throws -> [(file: SourceFile, blob: String?)] {
        guard let root else { throw WorkspaceError.bareNeedsRevision }
        let listed = try WorkingTreeSource(root: root).files(under: folder)
        let cache = ParseCache(directory: cacheDirectory, limits: limits)
        return listed.map { file in
            guard file.kind == .regular else { return (file, nil) }
            if let known = cache.blob(for: file), known == expected[file.path] { return (file, known) }
            return (file, try? repository.hashWorkdirFile(file.path).hex)
        }
    }

    /// Commits whose `Evidence-For:` trailers name a requirement, reachable from the tip.
    public func trailerIndex(_ mode: EvidenceMode) throws -> [String: [String]] {
        guard let tip = try tip(mode) else { return [:] }
        return try repository.trailerIndex(key: "Evidence-For", from: tip, cache: HistoryCache(repository: repository)).mapValues { $0.map(\.hex) }
    }
}
