import Foundation
import Vulnerabilities

/// What `evident triage import` did (or, with `--dry-run`, would do).
public struct TriageImportResult: Sendable {
    public struct Created: Sendable {
        public var id: String
        public var path: String
        public var vulnerability: String
        public var aliases: [String]
        public var component: String
        public var severity: String
        public var files: [String]
    }
    public struct Tracked: Sendable {
        public var id: String
        public var path: String
        public var vulnerability: String
        public var component: String
        /// New scanner facts the record does not carry (reported, never written).
        public var changes: [String]
    }
    public struct Unmatched: Sendable {
        public var vulnerability: String
        public var package: String
        public var purl: String?
        public var file: String
    }
    public var created: [Created] = []
    public var tracked: [Tracked] = []
    public var unmatched: [Unmatched] = []
    public var notes: [String] = []
    public var dryRun = false
}

/// Why an import wrote nothing.
public enum TriageImportError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String, reason: String)
    case scanner(file: String, error: ScannerError)
    case noSBOM
    case locked(String)
    case invalidRecord(id: String, reason: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return "\(file): \(reason)"
        case .scanner(let file, let error): return "\(file): \(error)"
        case .noSBOM: return "no kind: sbom record names an SBOM document, so no finding can be matched to a component (add the product's SBOM first)"
        case .locked(let path): return "another import holds \(path); wait for it, or delete the file if no import is running"
        case .invalidRecord(let id, let reason): return "the generated record \(id) would not be valid (\(reason)); nothing was written"
        case .writeFailed(let path, let reason): return "cannot write \(path): \(reason); nothing was written"
        }
    }
}

/// Scanner findings into draft defect records: each finding's package matched to the SBOM
/// components by purl (qualifier-insensitive), findings merged per component by vulnerability id
/// and aliases, one record per (vulnerability, component) not yet tracked. Records are written
/// all or none, under a lock, so two imports at once cannot allocate the same id.
public struct TriageImporter {
    public struct Options: Sendable {
        public var files: [String]
        public var scanner: ScannerFormat?
        public var dryRun: Bool
        public var owner: String
        public var today: String
        public var maxBytes: Int

        public init(files: [String], scanner: ScannerFormat? = nil, dryRun: Bool = false, owner: String, today: String, maxBytes: Int = ScannerReader.defaultMaxBytes) {
            self.files = files
            self.scanner = scanner
            self.dryRun = dryRun
            self.owner = owner
            self.today = today
            self.maxBytes = maxBytes
        }
    }

    public let root: URL
    /// Where the lock lives (the repository's `.git/evident`).
    public let stateDirectory: String

    public init(root: URL, stateDirectory: String) {
        self.root = root
        self.stateDirectory = stateDirectory
    }

    /// One file's report, with the name the records will give it.
    struct Scan {
        var file: String
        var report: ScanReport
    }

    public func run(_ options: Options) throws -> TriageImportResult {
        // The scanner files are read while the records load (under the lock): on two cores a tenth
        // of an import. A bad scanner file is still the error reported, whatever the load did.
        var lock: FileLock?
        defer { lock?.release() }
        let (loaded, scanned) = Timings.measure("load records and read scanner files") {
            Parallel.both({ () -> Result<Project, Error> in
                Result {
                    lock = options.dryRun ? nil : try FileLock.acquire((stateDirectory as NSString).appendingPathComponent("triage-import.lock"))
                    return try Timings.measure("load records") {
                        try Project.load(from: WorkingTreeSource(root: root), catalog: try Catalog.standard(), today: options.today,
                                         hashBlobs: true, cacheDirectory: stateDirectory)
                    }
                }
            }, { () -> Result<[Scan], Error> in
                Result { try Timings.measure("read scanner files") { try options.files.map { try read($0, options) } } }
            })
        }
        let scans = try scanned.get()
        let project = try loaded.get()
        var result = TriageImportResult()
        result.dryRun = options.dryRun
        for scan in scans { result.notes += scan.report.notes.map { "\(scan.file): \($0)" } }
        // Freed by the process's exit, not one node at a time (a tenth of a re-import's time).
        ProcessLifetime.keepUntilExit(project)
        let plan = try Timings.measure("match and merge") { try TriagePlan(project: project, scans: scans, today: options.today) }
        ProcessLifetime.keepUntilExit(plan)
        result.tracked = plan.tracked
        result.unmatched = plan.unmatched
        let drafts = try Timings.measure("render records") { try plan.drafts(owner: options.owner) }
        ProcessLifetime.keepUntilExit(drafts)
        result.created = drafts.map(\.created)
        if !options.dryRun && !drafts.isEmpty {
            // The new records' trees go into the parse cache, so the next run (a check, a re-import)
            // decodes them instead of parsing them again. The cache is written while the records are
            // (the file system's work on one core, encoding on the other); it is keyed by blob id, so
            // trees of records a failed write removed again are only unused entries, dropped by the
            // next run that saves it.
            let (written, _) = Timings.measure("write records and parse cache") {
                Parallel.both({
                    Result { try Timings.measure("write records") { try DraftWriter.writeAll(drafts.map { ($0.created.path, $0.text) }, root: root) } }
                }, {
                    Timings.measure("parse cache store") {
                        let cache = ParseCache(directory: stateDirectory, limits: project.configuration.limits)
                        for draft in drafts { cache.store(blob: GitBlobID.hex(of: Data(draft.text.utf8)), root: draft.root) }
                        cache.save(replacingStamps: false)
                    }
                })
            }
            try written.get()
        }
        return result
    }

    func read(_ file: String, _ options: Options) throws -> Scan {
        let url = URL(fileURLWithPath: file, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        var info = stat()
        guard stat(url.path, &info) == 0 else { throw TriageImportError.unreadable(file: file, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw TriageImportError.unreadable(file: file, reason: "not a regular file") }
        guard Int(info.st_size) <= options.maxBytes else {
            throw TriageImportError.scanner(file: file, error: .tooLarge(bytes: Int(info.st_size), limit: options.maxBytes))
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw TriageImportError.unreadable(file: file, reason: "\(error.localizedDescription)") }
        do {
            let report = try ScannerReader.read(data, format: options.scanner, maxBytes: options.maxBytes)
            // Inside the repository the records name the file by its repository path.
            let absolute = url.standardizedFileURL.path
            let rootPath = root.standardizedFileURL.path
            let name = absolute.hasPrefix(rootPath + "/") ? String(absolute.dropFirst(rootPath.count + 1)) : absolute
            return Scan(file: name, report: report)
        } catch let error as ScannerError {
            throw TriageImportError.scanner(file: file, error: error)
        }
    }
}

/// A lock file created with O_EXCL holding the owner's pid; a lock whose process is gone is taken over.
struct FileLock {
    let path: String

    static func acquire(_ path: String, timeout: Double = 30) throws -> FileLock {
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if fd >= 0 {
                let pid = "\(getpid())\n"
                _ = pid.withCString { write(fd, $0, strlen($0)) }
                close(fd)
                return FileLock(path: path)
            }
            guard errno == EEXIST else { throw TriageImportError.writeFailed(path: path, reason: String(cString: strerror(errno))) }
            // A holder that died (SIGKILL) leaves its lock: take it over when its pid no longer runs.
            if let text = try? String(contentsOfFile: path, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
               pid > 0, kill(pid, 0) != 0, errno == ESRCH {
                unlink(path)
                continue
            }
            if Date() > deadline { throw TriageImportError.locked(path) }
            usleep(20_000)
        }
    }

    func release() { unlink(path) }
}

/// Writes new files all or none: each is created with O_EXCL (an existing name fails, never
/// overwritten) and written whole; when one fails, every file this call created is removed again.
/// (Creating each file once, rather than a temporary file linked into place, halves the file-system
/// work for 10,000 records; the import lock keeps other imports out meanwhile.)
enum DraftWriter {
    static func writeAll(_ files: [(path: String, text: String)], root: URL) throws {
        var placed: [String] = []
        var folders = Set<String>()
        do {
            for file in files {
                let target = root.appendingPathComponent(file.path).path
                let folder = (target as NSString).deletingLastPathComponent
                if folders.insert(folder).inserted { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
                try create(target, Array(file.text.utf8), reportAs: file.path, created: &placed)
            }
        } catch {
            for path in placed { unlink(path) }
            throw error
        }
    }

    /// Creates a new file (O_EXCL) holding the bytes.
    static func create(_ path: String, _ bytes: [UInt8], reportAs name: String, created: inout [String]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else {
            throw TriageImportError.writeFailed(path: name, reason: errno == EEXIST ? "the file already exists" : String(cString: strerror(errno)))
        }
        created.append(path)
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            guard written > 0 else { throw TriageImportError.writeFailed(path: name, reason: String(cString: strerror(errno))) }
            offset += written
        }
    }
}
