import Crypto
import Foundation

/// One file under the records root as evident read it.
public struct LoadedFile: Sendable {
    public var path: String
    public var problems: [YAMLProblem]
    public var record: Record?
    /// Whether the file is a symlink (never followed).
    public var isSymlink: Bool
    public var blobID: String?
    /// Whether evident read the file's bytes (a regular file within limits.file-size); only then
    /// may anything else read it again (hashing for attribution).
    public var wasRead = false
}

/// Everything a check judges: configuration, catalog, the record files, and facts from git.
public struct Project: Sendable {
    public var configuration: Configuration
    public var configProblems: [ConfigProblem]
    public var configPath: String
    public var catalog: Catalog
    public var files: [LoadedFile] {
        didSet { derived = DerivedRecords() }
    }
    public var source: any EvidenceSource
    /// The date rules judge cadences and lapses against (YYYY-MM-DD), injectable for tests.
    public var today: String
    /// The instant the CRA clocks are judged at (an ISO 8601 timestamp, `EVIDENT_NOW`); nil means
    /// the end of `today` (23:59:59 UTC).
    public var now: String?
    /// Git facts, when the records come from a repository.
    public var git: (any GitFacts)?
    /// Blobs known to pass their schema (a warm check skips validating them); nil outside a repository.
    public var schemaCache: SchemaVerdictCache?
    /// Where caches live (`<commonDir>/evident/`); nil outside a repository or where caching is off.
    public var cacheDirectory: String?
    /// Whole-project problems (too many records, records root missing).
    public var projectProblems: [Finding] = []

    /// `records` and `recordsByID`, computed once per value of `files` (every rule asks for them).
    var derived = DerivedRecords()

    /// Records that parsed to a mapping, in path order.
    public var records: [Record] { derived.records(files) }

    /// Records by id (first one wins; duplicates are a finding of their own).
    public var recordsByID: [String: Record] { derived.byID(records) }

    public static func isRecordFile(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
    }

    /// Loads the configuration and every record under the records root from a source.
    /// Throws only when nothing can be judged (configuration missing or unreadable).
    /// With `hashBlobs`, files the source gives no blob id get the one git would give their bytes.
    /// With `cacheDirectory`, records parsed by earlier runs come from the parse cache there.
    /// `configured` is called with the configuration before any record is read (work that needs only
    /// the configuration may start then).
    public static func load(from source: any EvidenceSource, catalog: Catalog, today: String, git: (any GitFacts)? = nil,
                            hashBlobs: Bool = false, cacheDirectory: String? = nil,
                            configured: (Configuration) -> Void = { _ in }) throws -> Project {
        let (configuration, configProblems) = try Timings.measure("configuration") { () throws -> (Configuration, [ConfigProblem]) in
            let configData: Data
            do {
                configData = try source.read(Configuration.fileName)
            } catch SourceError.notFound {
                throw ConfigurationError.missing(path: Configuration.fileName)
            } catch {
                throw ConfigurationError.unreadable(path: Configuration.fileName, reason: PlainError.describe(error))
            }
            return try Configuration.parse(configData)
        }
        configured(configuration)
        var project = Project(configuration: configuration, configProblems: configProblems, configPath: Configuration.fileName,
                              catalog: catalog, files: [], source: source, today: today, git: git)
        project.cacheDirectory = cacheDirectory
        let listed: [SourceFile]
        let listingStarted = Self.now()
        do {
            listed = try Timings.measure("list files") { try source.files(under: configuration.recordsRoot) }
        } catch {
            throw ProjectError.recordsRootMissing(configuration.recordsRoot, source.label)
        }
        // Symlinks count whatever their name: each is a finding (never followed), a linked folder included.
        let candidates = listed.filter { isRecordFile($0.path) || $0.kind == .symlink }
        if candidates.count > configuration.maxRecords {
            project.projectProblems.append(Finding(
                rule: "resource-limit", severity: .error, path: Configuration.fileName,
                message: "\(candidates.count) record files exceed the limit of \(configuration.maxRecords) (limits.records); only the first \(configuration.maxRecords) were read"))
        }
        let chosen = Array(candidates.prefix(configuration.maxRecords))
        let limits = configuration.limits
        let cache = cacheDirectory.map { directory in Timings.measure("parse cache open") { ParseCache(directory: directory, limits: limits) } }
        // Files the cache knows (by blob id, or by an unchanged working-tree stamp) are decoded, not read.
        var files = [LoadedFile?](repeating: nil, count: chosen.count)
        if let cache {
            Timings.measure("parse cache") {
                let blobs = chosen.map { cache.blob(for: $0) }
                let trees = cache.decode(blobs)
                let hits = trees.indices.filter { trees[$0] != nil }
                let loaded = concurrentMap(hits) { index -> LoadedFile in
                    var file = LoadedFile(path: chosen[index].path, problems: [], record: nil, isSymlink: false, blobID: blobs[index])
                    file.record = Record(path: chosen[index].path, node: trees[index]!, blobID: blobs[index])
                    file.wasRead = true
                    return file
                }
                for (index, file) in zip(hits, loaded) {
                    files[index] = file
                    if let stamp = chosen[index].stamp, let blob = blobs[index] {
                        cache.stamp(path: file.path, stamp: stamp, blob: blob, runStart: listingStarted)
                    }
                }
            }
        }
        let missing = files.indices.filter { files[$0] == nil }
        let parsed: [LoadedFile]
        if source.allowsConcurrentReads {
            parsed = concurrentMap(missing) { loadFile(chosen[$0], from: source, limits: limits, hashBlob: hashBlobs, cache: cache) }
        } else {
            // Read in order on this thread (git handles are not shared across threads), parse in parallel.
            let read = missing.map { readFile(chosen[$0], from: source, limits: limits) }
            parsed = concurrentMap(read) { parse($0.file, $0.data, limits: limits, hashBlob: hashBlobs, cache: cache) }
        }
        for (index, file) in zip(missing, parsed) {
            files[index] = file
            guard let cache, file.problems.isEmpty, let record = file.record, let blob = file.blobID else { continue }
            cache.store(blob: blob, root: record.node)
            if let stamp = chosen[index].stamp { cache.stamp(path: file.path, stamp: stamp, blob: blob, runStart: listingStarted) }
        }
        project.files = files.map { $0! }
        if let cache {
            Timings.measure("parse cache save (\(cache.hits) of \(chosen.count) records from the cache)") {
                cache.save(replacingStamps: chosen.contains { $0.stamp != nil })
            }
        }
        return project
    }

    /// Wall-clock time in nanoseconds since the epoch (file stamps use the same clock).
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// `transform` over every element on all cores, results in order (fewer than 64 on this thread).
    static func concurrentMap<T, U>(_ items: [T], _ transform: (T) -> U) -> [U] {
        items.count >= 64 ? Parallel.map(items, transform) : items.map(transform)
    }

    static func loadFile(_ file: SourceFile, from source: any EvidenceSource, limits: YAMLLimits, hashBlob: Bool = false, cache: ParseCache? = nil) -> LoadedFile {
        let read = readFile(file, from: source, limits: limits)
        return parse(read.file, read.data, limits: limits, hashBlob: hashBlob, cache: cache)
    }

    /// The file's bytes, or the file as loaded when it cannot or need not be parsed (data nil).
    static func readFile(_ file: SourceFile, from source: any EvidenceSource, limits: YAMLLimits) -> (file: LoadedFile, data: Data?) {
        var loaded = LoadedFile(path: file.path, problems: [], record: nil, isSymlink: file.kind == .symlink, blobID: file.blobID)
        if file.kind == .other {
            // A FIFO, socket or device could block or never end: never opened.
            loaded.problems = [YAMLProblem(kind: .encoding, message: "is not a regular file (a FIFO, socket or device); evident does not read it", mark: Mark(line: 1, column: 1))]
        }
        guard file.kind == .regular else { return (loaded, nil) }
        if let size = source.size(file.path), size > limits.fileSize {
            loaded.problems = [YAMLProblem(kind: .limit, message: "file is \(size) bytes, over the limit of \(limits.fileSize) bytes (limits.file-size)", mark: Mark(line: 1, column: 1))]
            return (loaded, nil)
        }
        do {
            return (loaded, try source.read(file.path))
        } catch {
            loaded.problems = [YAMLProblem(kind: .encoding, message: "cannot read the file: \(error)", mark: Mark(line: 1, column: 1))]
            return (loaded, nil)
        }
    }

    /// Parses a file's bytes into its record and problems. Bytes the cache holds by blob id (a file
    /// whose stamp it does not know: just written by `triage import`, or rewritten unchanged) are
    /// decoded instead.
    static func parse(_ file: LoadedFile, _ data: Data?, limits: YAMLLimits, hashBlob: Bool, cache: ParseCache? = nil) -> LoadedFile {
        guard let data else { return file }
        var loaded = file
        loaded.wasRead = true
        if hashBlob, loaded.blobID == nil { loaded.blobID = GitBlobID.hex(of: data) }
        if let cache, let blob = loaded.blobID, let root = cache.decode(blob: blob) {
            loaded.record = Record(path: loaded.path, node: root, blobID: blob)
            return loaded
        }
        let document = YAMLLoader.load(data, limits: limits)
        loaded.problems = document.problems
        if let root = document.root, case .mapping = root {
            loaded.record = Record(path: loaded.path, node: root, blobID: loaded.blobID)
        } else if let root = document.root, !document.problems.contains(where: { $0.kind != .duplicateKey }) {
            loaded.problems.append(YAMLProblem(kind: .syntax, message: "a record must be a mapping of fields, not a \(root.typeName)", mark: root.mark))
        }
        return loaded
    }
}

/// What `Project` derives from its files, remembered until the files change.
final class DerivedRecords: @unchecked Sendable {
    private let lock = NSLock()
    private var cachedRecords: [Record]?
    private var cachedByID: [String: Record]?
    /// SBOM documents the rules read, once each.
    let sbom = SBOMDocumentCache()

    func records(_ files: [LoadedFile]) -> [Record] {
        lock.lock()
        defer { lock.unlock() }
        if let cachedRecords { return cachedRecords }
        let records = files.compactMap(\.record)
        cachedRecords = records
        return records
    }

    func byID(_ records: [Record]) -> [String: Record] {
        lock.lock()
        defer { lock.unlock() }
        if let cachedByID { return cachedByID }
        var map: [String: Record] = [:]
        for record in records {
            if let id = record.id, map[id] == nil { map[id] = record }
        }
        cachedByID = map
        return map
    }
}

/// The project cannot be judged at all.
public enum ProjectError: Error, CustomStringConvertible, Equatable {
    case recordsRootMissing(String, String)

    public var description: String {
        switch self {
        case .recordsRootMissing(let root, let label):
            return "records folder '\(root)/' not found in the \(label) (set 'records' in .evident.yml or run 'evident init')"
        }
    }
}

/// What rules may ask git: object existence, ancestry, attribution. Implemented over libgit2.
/// Emails it returns are canonical (`.mailmap`, then `.evident.yml` identities), lowercased.
public protocol GitFacts: Sendable {
    /// Resolves a commit id, abbreviated id or tag name to a full commit id, or nil.
    func resolveCommit(_ revision: String) -> String?
    /// The commit a tag (`refs/tags/NAME`, annotated or lightweight) names, or nil when there is no such tag.
    func tagCommit(_ name: String) -> String?
    /// Whether `ancestor` is `descendant` or one of its ancestors.
    func isAncestor(_ ancestor: String, of descendant: String) -> Bool
    /// Attribution of a path, when it has history.
    func attribution(of path: String) -> Attribution?
    /// Author emails of the commits in `BASE..HEAD` (reachable from HEAD, not from BASE); nil when an end does not resolve.
    func authors(range: String) -> Set<String>?
    /// Author emails of the commits that changed the paths (a file, or anything under a folder; the whole
    /// tree when empty) in the history of `revision`, leaving out files under `excluding`; nil when the
    /// revision does not resolve.
    func authors(paths: [String], excluding: [String], upTo revision: String) -> Set<String>?
    /// Author email of one commit; nil when the revision does not resolve.
    func author(of revision: String) -> String?
    /// The commit that introduced a record file's current approval block (`by`, `date` and `digest`
    /// all as written): the oldest of the newest run of commits carrying that very block. Nil when the
    /// newest committed version carries another block (the approval is not committed yet) or the file
    /// has no history.
    func approvalCommit(path: String, approval: Approval) -> ApprovalCommit?
    /// The parsed YAML of a file as a commit holds it; nil when the commit or file is not there or
    /// does not parse.
    func node(path: String, atCommit commit: String) -> YAMLNode?
    /// Signature verdicts for commits, with the allowed signers from the trusted revision; nil without a repository.
    var commitSignatures: CommitSignatures? { get }
    /// Canonical email for an identity (mailmap and configured aliases).
    func canonicalEmail(_ email: String) -> String
    /// Set when history is cut off (a shallow clone) or absent (no commits): a sentence saying what cannot be told.
    var historyNote: String? { get }
}

/// The commit that brought an approval block in, and its author (canonical email).
public struct ApprovalCommit: Sendable, Hashable {
    public var id: String
    public var author: String
    public init(id: String, author: String) {
        self.id = id
        self.author = author
    }
}

extension Approval {
    /// Whether another block says the same (`by`, `date`, `digest`), wherever it was written.
    public func sameBlock(as other: Approval) -> Bool {
        by == other.by && date == other.date && digest == other.digest
    }
}

/// The id git gives a blob: SHA-1 over `blob <size>\0` and the bytes (what `git hash-object` prints).
enum GitBlobID {
    static func hex(of data: Data) -> String {
        var hasher = Insecure.SHA1()
        hasher.update(data: Data("blob \(data.count)\0".utf8))
        hasher.update(data: data)
        return Hex.lowercase(hasher.finalize())
    }
}
