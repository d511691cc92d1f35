import Crypto
import Foundation

/// The findings of the record rules (`RecordRule`) on each record, kept in
/// `<commonDir>/evident/record-findings.txt` by blob id and path, so that a warm check judges only
/// the records whose bytes changed. The file's first line is keyed by a format version, the record
/// rules' ids and the running executable: another evident, or another set of rules, starts afresh.
/// Written to a temporary name and renamed (atomic); a file that does not parse exactly is ignored
/// and rebuilt.
///
/// Per record judged, a line `blob TAB path TAB count`, then `count` lines
/// `rule TAB severity TAB line TAB column TAB record TAB message` (`CacheText` escapes the path,
/// record and message). Read and written byte by byte: a repository of template records keeps
/// tens of thousands of placeholder findings here, and reading them must cost less than judging.
public final class RecordFindingsCache: @unchecked Sendable {
    static let formatVersion = "evident-record-findings 2"
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
        loaded = Self.read(path, key: key, ruleIDs: ruleIDs) ?? [:]
    }

    static func key(ruleIDs: [String]) -> String {
        var hasher = SHA256()
        for id in ruleIDs {
            hasher.update(data: Data(id.utf8))
            hasher.update(data: Data([0]))
        }
        hasher.update(data: Data(ExecutableIdentity.current.utf8))
        return formatVersion + " " + Hex.lowercase(hasher.finalize())
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
        var out = Array((key + "\n").utf8)
        for entry in kept.keys.sorted(by: { ($0.path, $0.blob) < ($1.path, $1.blob) }) {
            let findings = kept[entry] ?? []
            out += entry.blob.utf8
            out.append(UInt8(ascii: "\t"))
            CacheText.append(entry.path, to: &out)
            out += "\t\(findings.count)\n".utf8
            for finding in findings {
                out += "\(finding.rule)\t\(finding.severity.rawValue)\t\(finding.line)\t\(finding.column)\t".utf8
                CacheText.append(finding.record ?? "", to: &out)
                out.append(UInt8(ascii: "\t"))
                CacheText.append(finding.message, to: &out)
                out.append(UInt8(ascii: "\n"))
            }
        }
        AtomicFile.writeCache(Data(out), to: path)
    }

    static func read(_ path: String, key: String, ruleIDs: [String]) -> [Entry: [Finding]]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return data.withUnsafeBytes { raw -> [Entry: [Finding]]? in
            var lines = CacheText.Lines(raw.bindMemory(to: UInt8.self))
            guard let first = lines.next(), first.elementsEqual(key.utf8) else { return nil }
            var found: [Entry: [Finding]] = [:]
            while let line = lines.next() {
                let head = line.split(separator: UInt8(ascii: "\t"), maxSplits: 2, omittingEmptySubsequences: false)
                guard head.count == 3, CacheText.isBlobID(head[0]), let recordPath = CacheText.unescape(head[1]), !recordPath.isEmpty,
                      let count = CacheText.number(head[2]) else { return nil }
                var findings: [Finding] = []
                findings.reserveCapacity(count)
                var record: (bytes: Slice<UnsafeBufferPointer<UInt8>>, text: String?)?
                for _ in 0..<count {
                    guard let line = lines.next() else { return nil }
                    let fields = line.split(separator: UInt8(ascii: "\t"), maxSplits: 5, omittingEmptySubsequences: false)
                    // Rule ids and a record's id repeat line after line: the same strings are reused.
                    guard fields.count == 6, let rule = ruleIDs.first(where: { $0.utf8.elementsEqual(fields[0]) }),
                          let severity = Severity.allCases.first(where: { $0.rawValue.utf8.elementsEqual(fields[1]) }),
                          let lineNumber = CacheText.number(fields[2]), let column = CacheText.number(fields[3]), lineNumber >= 1, column >= 1,
                          let message = CacheText.unescape(fields[5]) else { return nil }
                    if record == nil || !record!.bytes.elementsEqual(fields[4]) {
                        guard let text = CacheText.unescape(fields[4]) else { return nil }
                        record = (fields[4], text.isEmpty ? nil : text)
                    }
                    findings.append(Finding(rule: rule, severity: severity, path: recordPath, line: lineNumber, column: column,
                                            message: message, record: record?.text))
                }
                guard found.updateValue(findings, forKey: Entry(blob: String(decoding: head[0], as: UTF8.self), path: recordPath)) == nil else { return nil }
            }
            return lines.damaged ? nil : found
        }
    }
}
