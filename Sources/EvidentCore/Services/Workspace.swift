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
    case noConfiguration(String)

    public var description: String {
        switch self {
        case .notARepository(let path): return "\(path) is not inside a git repository (evident keeps evidence in git; run 'git init' first)"
        case .bareNeedsRevision: return "this is a bare repository with no working tree: name a commit with --rev"
        case .unknownRevision(let revision): return "revision '\(revision)' does not exist in this repository"
        case .noCommits: return "the repository has no commits yet"
        case .noConfiguration(let revision): return "\(revision) has no \(Configuration.fileName): no evidence at that revision"
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

    /// Loads configuration and records for a mode, with git facts (attribution) attached.
    public func loadProject(_ mode: EvidenceMode, today: String, catalog: Catalog? = nil) throws -> Project {
        try loadProject(mode, from: try source(mode), today: today, catalog: catalog)
    }

    /// Loads from a given source (an overlay of the working tree, for a write checked before it is
    /// made) with the git facts of `mode`.
    func loadProject(_ mode: EvidenceMode, from source: any EvidenceSource, today: String, catalog: Catalog? = nil) throws -> Project {
        let catalog = try catalog ?? Timings.measure("catalog") { try Catalog.standard() }
        let cacheDirectory = self.cacheDirectory
        var project: Project
        // A source that reads no git handle (the working tree) leaves the repository to one other
        // thread: the records root's history is walked there while the records load.
        let walk = source.allowsConcurrentReads ? BackgroundWalk() : nil
        defer { walk?.finish() }
        do {
            project = try Timings.measure("load records") {
                try Project.load(from: source, catalog: catalog, today: today, hashBlobs: mode == .workingTree, cacheDirectory: cacheDirectory,
                                 configured: { configuration in
                                     walk?.start { try RepositoryFacts.Walked(repository: self.repository, recordsRoot: configuration.recordsRoot,
                                                                              tip: try self.tip(mode)) }
                                 })
            }
        } catch ConfigurationError.missing {
            guard case .revision(let revision) = mode else { throw ConfigurationError.missing(path: Configuration.fileName) }
            throw WorkspaceError.noConfiguration(revision)
        }
        // Every file evident read has its blob id by now: from the index or commit, from the parse
        // cache, or hashed from the bytes read (`hashBlobs`). Never-read files (symlinks, FIFOs,
        // oversized files) have none.
        // The walk is joined before anything else here touches the repository (the signature
        // settings read the trusted revision through it).
        let configuration = project.configuration
        let walked = try Timings.measure(walk == nil ? "history" : "history (walked while the records loaded)") {
            try walk?.result() ?? RepositoryFacts.Walked(repository: repository, recordsRoot: configuration.recordsRoot, tip: try tip(mode))
        }
        let blobs = Timings.measure("blob ids") {
            Dictionary(project.files.compactMap { file in file.blobID.map { (file.path, $0) } }, uniquingKeysWith: { first, _ in first })
        }
        project.schemaCache = Timings.measure("schema cache") { cacheDirectory.map { SchemaVerdictCache(directory: $0) } }
        let judged = project.source
        let signatures = CommitSignatures(repository: repository, settings: project.configuration.signatures, judgedLabel: judged.label,
                                          readJudged: { try? judged.read($0) })
        if mode == .workingTree, let cacheDirectory { Timings.measure("record index") { RecordIndex.save(project, directory: cacheDirectory) } }
        project.git = RepositoryFacts(repository: repository, walked: walked, currentBlobs: blobs, identities: configuration.identities,
                                      signatures: signatures)
        return project
    }

    /// The records root's history, walked on another thread; `result` waits for it. Started at most
    /// once; `finish` waits for a started walk, so no git handle is in use when loading returns or throws.
    private final class BackgroundWalk: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var started = false
        private var waited = false
        private var outcome: Result<RepositoryFacts.Walked, any Error>?

        func start(_ body: @escaping @Sendable () throws -> RepositoryFacts.Walked) {
            guard !started else { return }
            started = true
            Thread.detachNewThread {
                let outcome = Result { try Timings.measure("history walk") { try body() } }
                self.outcome = outcome
                self.done.signal()
            }
        }

        /// The walk's answer, or nil when it never started.
        func result() throws -> RepositoryFacts.Walked? {
            guard started else { return nil }
            finish()
            return try outcome!.get()
        }

        func finish() {
            guard started, !waited else { return }
            done.wait()
            waited = true
        }
    }

    /// A path as a user typed it (relative to the current folder, or absolute) as a path relative to
    /// the working tree root: "" for the root itself, nil when it lies outside the working tree.
    /// A path that names nothing yet is taken as written; symlinked folders on the way are followed.
    public func repositoryPath(ofUserPath path: String) -> String? {
        guard let root else { return RepositoryPath.normalize(path) }
        let rootPath = ContainedPath.resolve(root.path)
        // The parent folder is resolved, the last component kept: a symlinked record is named, not followed.
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let url = URL(fileURLWithPath: absolute).standardizedFileURL
        let last = url.lastPathComponent
        let parent = ContainedPath.resolve(url.deletingLastPathComponent().path)
        let resolved = (last.isEmpty || last == "/") ? parent : (parent == "/" ? "/" + last : parent + "/" + last)
        if resolved == rootPath { return "" }
        guard resolved.hasPrefix(rootPath + "/") else { return nil }
        return String(resolved.dropFirst(rootPath.count + 1))
    }

    /// `<commonDir>/evident/`, where the caches live; nil (no caching) when that folder, followed
    /// through symlinks, leaves the git folder: a cache never writes outside the repository.
    public var cacheDirectory: String? {
        let directory = (repository.commonDir as NSString).appendingPathComponent("evident")
        return ContainedPath.isInside(directory, folder: repository.commonDir) ? directory : nil
    }

    /// The header a standalone report names: the commit judged, its date and summary, and the tool.
    public func reportHeader(_ mode: EvidenceMode, toolVersion: String) -> ReportHeader {
        let source: String
        switch mode {
        case .workingTree: source = "working tree"
        case .staged: source = "index"
        case .revision: source = "commit"
        }
        guard let tip = try? tip(mode), let commit = try? repository.commit(tip) else {
            return ReportHeader(commit: nil, commitDate: nil, commitSummary: nil, source: source, toolVersion: toolVersion)
        }
        return ReportHeader(commit: tip.hex, commitDate: RepositoryFacts.isoDate(commit.committer.time), commitSummary: commit.summary,
                            source: source, toolVersion: toolVersion)
    }

    /// The working tree's files under `folder` with the blob id git would give each regular one (nil
    /// when it cannot be read). A file whose `lstat` stamp is the one the parse cache recorded when
    /// evident last read it, under a blob id `expected` names for its path, is not read again (as
    /// git's index spares `git status` re-hashing); any other is read and hashed.
    public func workingTreeBlobs(under folder: String, limits: YAMLLimits, expected: [String: String]) throws -> [(file: SourceFile, blob: String?)] {
        guard let root else { throw WorkspaceError.bareNeedsRevision }
        let listed = try WorkingTreeSource(root: root).files(under: folder)
        let cache = cacheDirectory.map { ParseCache(directory: $0, limits: limits) }
        return listed.map { file in
            guard file.kind == .regular else { return (file, nil) }
            if let known = cache?.blob(for: file), known == expected[file.path] { return (file, known) }
            return (file, try? repository.hashWorkdirFile(file.path).hex)
        }
    }

    /// Commits whose `Evidence-For:` trailers name a requirement, reachable from the tip.
    public func trailerIndex(_ mode: EvidenceMode) throws -> [String: [String]] {
        guard let tip = try tip(mode) else { return [:] }
        return try repository.trailerIndex(key: "Evidence-For", from: tip, cache: HistoryCache(repository: repository)).mapValues { $0.map(\.hex) }
    }
}
