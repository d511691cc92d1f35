import Crypto
import Foundation

/// The findings of the record rules (`RecordRule`) on each record, kept in
/// `<commonDir>/evident/record-findings.txt` by blob id and path, so that a warm check judges only
/// the records whose bytes changed. The file's first line is keyed by a format version, the record
/// rules' ids and the running executable: another evident, or another set of rules, starts afresh.
/// Written to a temporary name and renamed (atomic); a file that does not parse exactly is ignored
/// and rebuilt.
///
/// One line per record judged clean (`blob TAB path`) or per finding
/// (`blob TAB path TAB rule TAB severity TAB line TAB column TAB record TAB message`, with `\\`,
/// `\t`, `\n` and `\r` escaped in the path, record and message).
public final class RecordFindingsCache: @unchecked Sendable {
    static let formatVersion = "evident-record-findings 1"
    public let path: String
    private let key: String
    private let lock = NSLock()
    /// What the file held (read without a lock: never changed), and what this run judged anew.
    private let loaded: [Entry: [Finding]]
    private var judged: [Entry: [Finding]] = [:]

    struct Entry: Hashable {
        var blob: String
        var path: String
    }

    /// A cache in `directory` for these record rules' ids (in the order they run).
    public init(directory: String, ruleIDs: [String]) {
        path = (directory as NSString).appendingPathComponent("record-findings.txt")
        key = Self.key(ruleIDs: ruleIDs)
        loaded = Self.read(path, key: key) ?? [:]
    }

    static func key(ruleIDs: [String]) -> String {
        var hasher = SHA256()
        for id in ruleIDs {
            hasher.update(data: Data(id.utf8))
            hasher.update(data: Data([0]))
        }
        hasher.update(data: Data(ExecutableIdentity.current.utf8))
        return formatVersion + " " + hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The findings the record rules gave this blob at this path before (empty for a clean record), when known.
    public func findings(blob: String?, path: String) -> [Finding]? {
        guard let blob else { return nil }
        let entry = Entry(blob: blob, path: path)
        if let known = loaded[entry] { return known }
        lock.lock()
        defer { lock.unlock() }
        return judged[entry]
    }

    /// Remembers what the record rules found on a blob at a path; `save` writes it.
    public func remember(blob: String, path: String, findings: [Finding]) {
        lock.lock()
        defer { lock.unlock() }
        judged[Entry(blob: blob, path: path)] = findings
    }

    /// Keeps only the (blob, path) pairs still present and writes the file when it changed.
    /// Failures are ignored: the cache is an optimisation.
    public func save(keeping present: [(blob: String, path: String)]) {
        lock.lock()
        let judged = self.judged
        lock.unlock()
        // Nothing judged anew and nothing gone: the file says it all already.
        if judged.isEmpty, present.count == loaded.count, present.allSatisfy({ loaded[Entry(blob: $0.blob, path: $0.path)] != nil }) { return }
        var kept: [Entry: [Finding]] = [:]
        kept.reserveCapacity(present.count)
        for item in present {
            let entry = Entry(blob: item.blob, path: item.path)
            if let findings = judged[entry] ?? loaded[entry] { kept[entry] = findings }
        }
        var text = key + "\n"
        for entry in kept.keys.sorted(by: { ($0.path, $0.blob) < ($1.path, $1.blob) }) {
            let findings = kept[entry] ?? []
            let head = entry.blob + "\t" + SchemaVerdictCache.escape(entry.path)
            if findings.isEmpty { text += head + "\n" }
            for finding in findings {
                text += head + "\t" + finding.rule + "\t" + finding.severity.rawValue + "\t\(finding.line)\t\(finding.column)\t"
                    + SchemaVerdictCache.escape(finding.record ?? "") + "\t" + SchemaVerdictCache.escape(finding.message) + "\n"
            }
        }
        AtomicFile.writeCache(text, to: path)
    }

    static func read(_ path: String, key: String) -> [Entry: [Finding]]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 2, lines[0] == key, lines.last == "" else { return nil }
        var found: [Entry: [Finding]] = [:]
        found.reserveCapacity(lines.count)
        for line in lines.dropFirst().dropLast() {
            let fields = line.split(separator: "\t", maxSplits: 7, omittingEmptySubsequences: false)
            guard fields.count == 2 || fields.count == 8, isBlobID(fields[0]), let recordPath = text(fields[1]), !recordPath.isEmpty else { return nil }
            let entry = Entry(blob: String(fields[0]), path: recordPath)
            guard fields.count == 8 else {
                guard found[entry] == nil else { return nil }
                found[entry] = []
                continue
            }
            guard let severity = Severity(rawValue: String(fields[3])), let lineNumber = Int(fields[4]), let column = Int(fields[5]),
                  lineNumber >= 1, column >= 1, let record = text(fields[6]), let message = text(fields[7]), !fields[2].isEmpty else { return nil }
            found[entry, default: []].append(Finding(rule: String(fields[2]), severity: severity, path: recordPath, line: lineNumber, column: column,
                                                     message: message, record: record.isEmpty ? nil : record))
        }
        return found
    }

    private static func isBlobID(_ field: Substring) -> Bool {
        (field.utf8.count == 40 || field.utf8.count == 64) && field.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    private static func text(_ field: Substring) -> String? {
        field.utf8.contains(UInt8(ascii: "\\")) ? SchemaVerdictCache.unescape(field) : String(field)
    }
}
