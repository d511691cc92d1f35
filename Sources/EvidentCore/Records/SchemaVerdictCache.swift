import Crypto
import Foundation

/// Blob ids whose content passed its kind's schema with no error, kept in
/// `<commonDir>/evident/schema-valid.txt` so that a warm check validates only what changed (git
/// names every blob by its content). The file is keyed by a digest of the embedded schemas, the
/// executable's size and time, and a format version: another evident ignores it. Written to a temporary name and
/// renamed (atomic); a file that does not parse exactly is ignored and rebuilt.
public final class SchemaVerdictCache: @unchecked Sendable {
    static let formatVersion = "evident-schema-valid 1"
    public let path: String
    private let lock = NSLock()
    private var valid: Set<String>
    private let loaded: Set<String>

    /// A cache in `<commonDir>/evident/`.
    public init(directory: String) {
        path = (directory as NSString).appendingPathComponent("schema-valid.txt")
        loaded = Self.read(path) ?? []
        valid = loaded
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
        return formatVersion + " " + hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }()

    static func read(_ path: String) -> Set<String>? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 2, lines[0] == key, lines.last == "" else { return nil }
        var ids = Set<String>()
        ids.reserveCapacity(lines.count)
        for line in lines.dropFirst().dropLast() {
            guard line.utf8.count == 40 || line.utf8.count == 64,
                  line.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else { return nil }
            ids.insert(String(line))
        }
        return ids
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
        lock.unlock()
        guard kept != loaded else { return }
        var text = Self.key + "\n"
        for id in kept.sorted() { text += id + "\n" }
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let temp = (directory as NSString).appendingPathComponent(".tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
            try Data(text.utf8).write(to: URL(fileURLWithPath: temp))
            if rename(temp, path) != 0 { try? FileManager.default.removeItem(atPath: temp) }
        } catch {
            return
        }
    }
}
