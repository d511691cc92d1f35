import Crypto
import Foundation

/// Blob ids whose content passed its kind's schema with no error, kept in
/// `<commonDir>/evident/schema-valid.txt` so that a warm check validates only what changed (git
/// names every blob by its content). The file is keyed by a digest of the embedded schemas, the
/// executable's size and time, and a format version: another evident ignores it. Written to a temporary name and
/// renamed (atomic); a file that does not parse exactly is ignored and rebuilt.
///
/// Blobs that failed keep their schema findings (line, column, message) in `schema-findings.txt`
/// beside it, under the same key: a repository where every record has a schema error is not
/// validated, nor are its messages worded, again on every run.
public final class SchemaVerdictCache: @unchecked Sendable {
    static let formatVersion = "evident-schema-valid 1"
    public let path: String
    /// Where the findings of blobs that failed are kept.
    public let findingsPath: String
    private let lock = NSLock()
    private var valid: Set<String>
    private let loaded: Set<String>
    private var failed: [String: [Located<String>]]
    private let loadedFailed: [String: [Located<String>]]

    /// A cache in `<commonDir>/evident/`.
    public init(directory: String) {
        path = (directory as NSString).appendingPathComponent("schema-valid.txt")
        findingsPath = (directory as NSString).appendingPathComponent("schema-findings.txt")
        loaded = Self.read(path) ?? []
        valid = loaded
        loadedFailed = Self.readFindings(findingsPath) ?? [:]
        failed = loadedFailed
    }

    /// The findings a blob failed with before (a message at each position), when known.
    public func knownFindings(_ blobID: String?) -> [Located<String>]? {
        guard let blobID else { return nil }
        lock.lock()
        defer { lock.unlock() }
        return failed[blobID]
    }

    /// Remembers the findings of a blob that failed; `save` writes them.
    public func remember(_ blobID: String, failedWith findings: [Located<String>]) {
        lock.lock()
        defer { lock.unlock() }
        failed[blobID] = findings
    }

    /// `blob TAB line TAB column TAB message` per finding, the message escaped by `CacheText`.
    static func readFindings(_ path: String) -> [String: [Located<String>]]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        // Byte by byte (splitting the text into Characters was a tenth of a warm `coverage`).
        return data.withUnsafeBytes { raw -> [String: [Located<String>]]? in
            var lines = CacheText.Lines(raw.bindMemory(to: UInt8.self))
            guard let first = lines.next(), first.elementsEqual(key.utf8) else { return nil }
            var found: [String: [Located<String>]] = [:]
            var blob: (bytes: Slice<UnsafeBufferPointer<UInt8>>, text: String)?
            while let line = lines.next() {
                let fields = line.split(separator: UInt8(ascii: "\t"), maxSplits: 3, omittingEmptySubsequences: false)
                guard fields.count == 4, CacheText.isBlobID(fields[0]),
                      let lineNumber = CacheText.number(fields[1]), let column = CacheText.number(fields[2]), lineNumber >= 1, column >= 1,
                      let message = CacheText.unescape(fields[3]) else { return nil }
                // A blob's findings are on consecutive lines: its id string is made once.
                if blob == nil || !blob!.bytes.elementsEqual(fields[0]) { blob = (fields[0], String(decoding: fields[0], as: UTF8.self)) }
                found[blob!.text, default: []].append(Located(value: message, mark: Mark(line: lineNumber, column: column)))
            }
            return lines.damaged ? nil : found
        }
    }

    /// What the cache is keyed by: the format and the schemas built into this evident.
    static let key: String = {
        var hasher = SHA256()
        for schema in Templates.schemaFiles {
            hasher.update(data: Data(schema.name.utf8))
            hasher.update(data: Data([0]))
            hasher.update(data: schema.data)
            hasher.update(data: Data([0]))
        }
        // And the running executable: another build of evident, whose validator may judge
        // differently, starts afresh.
        hasher.update(data: Data(ExecutableIdentity.current.utf8))
        return formatVersion + " " + Hex.lowercase(hasher.finalize())
    }()

    static func read(_ path: String) -> Set<String>? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return data.withUnsafeBytes { raw -> Set<String>? in
            var lines = CacheText.Lines(raw.bindMemory(to: UInt8.self))
            guard let first = lines.next(), first.elementsEqual(key.utf8) else { return nil }
            var ids = Set<String>()
            ids.reserveCapacity(raw.count / 41)
            while let line = lines.next() {
                guard CacheText.isBlobID(line) else { return nil }
                ids.insert(String(decoding: line, as: UTF8.self))
            }
            return lines.damaged ? nil : ids
        }
    }

    /// Whether the blob is known to pass its schema.
    public func isKnownValid(_ blobID: String?) -> Bool {
        guard let blobID else { return false }
        lock.lock()
        defer { lock.unlock() }
        return valid.contains(blobID)
    }

    /// Remembers blobs that passed; `save` writes them.
    public func remember(_ blobIDs: [String]) {
        lock.lock()
        defer { lock.unlock() }
        valid.formUnion(blobIDs)
    }

    /// Keeps only the blobs still present (so the file does not grow without bound) and writes
    /// the file when it changed. Failures are ignored: the cache is an optimisation.
    public func save(keeping present: Set<String>) {
        lock.lock()
        let kept = valid.intersection(present)
        let keptFailed = failed.filter { present.contains($0.key) }
        lock.unlock()
        if kept != loaded {
            var text = Self.key + "\n"
            for id in kept.sorted() { text += id + "\n" }
            AtomicFile.writeCache(text, to: path)
        }
        if keptFailed != loadedFailed {
            var text = Self.key + "\n"
            for id in keptFailed.keys.sorted() {
                for finding in keptFailed[id] ?? [] {
                    text += "\(id)\t\(finding.mark.line)\t\(finding.mark.column)\t\(CacheText.escape(finding.value))\n"
                }
            }
            AtomicFile.writeCache(text, to: findingsPath)
        }
    }
}
