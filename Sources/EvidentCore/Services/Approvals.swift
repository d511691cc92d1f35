import Foundation

/// Why `approve` or `reopen` wrote nothing. `refused` carries the findings that stand in the way
/// (exit 1); every other case means the command could not run (exit 2).
public enum ApprovalError: Error, CustomStringConvertible, Equatable {
    case recordNotFound(String)
    case outsideRepository(String)
    case outsideRecords(String, String)
    case symlink(String)
    case notARecord(String)
    case notAnEmail(String)
    case noApprover
    case notApproved(String, String)
    case withdrawn(String, String)
    case layout(String, String)
    case refused(String, [Finding])

    public var description: String {
        switch self {
        case .recordNotFound(let name): return "no record with id or path '\(name)'"
        case .outsideRepository(let path): return "\(path) is outside the repository: evident writes only records inside it"
        case .outsideRecords(let path, let root): return "\(path) is not in the records folder '\(root)/': only records there can be approved or reopened"
        case .symlink(let path): return "\(path) is a symbolic link: evident never writes through one (approve the file it points to, inside the records folder)"
        case .notARecord(let path): return "\(path) is not a record evident can read (run 'evident check \(path)')"
        case .notAnEmail(let by): return "'\(by)' is not an email address (--by takes the approver's email, e.g. jonas@example.com)"
        case .noApprover: return "no approver: pass --by EMAIL, or set git's user.email (git config user.email you@example.com)"
        case .notApproved(let label, let status): return "\(label) is not approved (status \(status)): only an approved record can be reopened"
        case .withdrawn(let label, let status): return "\(label) is \(status): a withdrawn record is not approved again (write a new record that supersedes it)"
        case .layout(let path, let why): return "cannot edit \(path) safely: \(why); nothing was written"
        case .refused(let label, let findings):
            let errors = findings.filter { $0.severity == .error }.count
            return "\(label) was not approved: \(errors) error\(errors == 1 ? "" : "s") must be fixed first; nothing was written"
        }
    }
}

/// What `approve` wrote.
public struct ApprovalResult: Sendable {
    public var path: String
    public var record: String
    public var by: String
    public var date: String
    public var digest: String
    /// Warnings and notes on the approved record, as `check` will report them.
    public var findings: [Finding]
}

/// What `reopen` wrote.
public struct ReopenResult: Sendable {
    public var path: String
    public var record: String
    /// The approval removed (it stays in git history), when there was one.
    public var removed: Approval?
}

extension Workspace {
    /// The approver when `--by` is not given: the identity git will author the approval commit
    /// with (`GIT_AUTHOR_EMAIL`, then `author.email` and `user.email` from git's configuration read
    /// through libgit2, then `EMAIL`), so that `approval-not-by-approver` agrees.
    public func defaultApprover(environment: [String: String]) -> String? {
        let candidates = [environment["GIT_AUTHOR_EMAIL"], repository.config(string: "author.email"),
                          repository.config(string: "user.email"), environment["EMAIL"]]
        return candidates.compactMap { $0?.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
    }

    /// Approves a record in the working tree: sets `status: approved` and the approval block
    /// (by, date-time, digest) together, changing no other byte. The result is checked before it is
    /// written: any error on the record refuses the approval and nothing is written.
    public func approve(_ idOrPath: String, by approver: String, now: String, today: String) throws -> ApprovalResult {
        guard let root else { throw WorkspaceError.bareNeedsRevision }
        guard ApprovalText.isEmail(approver) else { throw ApprovalError.notAnEmail(approver) }
        let project = try loadProject(.workingTree, today: today)
        let record = try editableRecord(idOrPath, in: project)
        if record.status == .superseded || record.status == .retired {
            throw ApprovalError.withdrawn(record.label, record.status?.rawValue ?? "withdrawn")
        }
        let text = try readText(record.path, root: root)
        let date = ApprovalText.nextDate(now: now, after: record.approval?.date)
        let updated: (text: String, digest: String)
        do {
            updated = try ApprovalText.approving(text, by: approver, date: date, path: record.path)
        } catch {
            // The record as it stands cannot be edited (YAML problems, odd layout): say why, with positions.
            let findings = Checker().check(project, attribution: false, summaries: false).findings.filter { $0.path == record.path && $0.severity == .error }
            if !findings.isEmpty { throw ApprovalError.refused(record.label, findings) }
            throw error
        }
        // Judge the record as it would be written, with the repository's facts.
        let overlay = OverlaySource(base: WorkingTreeSource(root: root), path: record.path, data: Data(updated.text.utf8))
        let after = try loadProject(.workingTree, from: overlay, today: today)
        let findings = Checker().check(after, attribution: false, summaries: false).findings.filter { $0.path == record.path }
        if findings.contains(where: { $0.severity == .error }) { throw ApprovalError.refused(record.label, findings) }
        try write(updated.text, to: record.path, root: root)
        return ApprovalResult(path: record.path, record: record.label, by: approver, date: date, digest: updated.digest, findings: findings)
    }

    /// Puts an approved record back under revision: `status: in-review`, approval block removed,
    /// no other byte changed. The approval stays in git history.
    public func reopen(_ idOrPath: String, today: String) throws -> ReopenResult {
        guard let root else { throw WorkspaceError.bareNeedsRevision }
        let project = try loadProject(.workingTree, today: today)
        let record = try editableRecord(idOrPath, in: project)
        guard record.status == .approved else {
            throw ApprovalError.notApproved(record.label, record.string("status") ?? "missing")
        }
        let text = try readText(record.path, root: root)
        let updated = try ApprovalText.reopening(text, path: record.path)
        try write(updated, to: record.path, root: root)
        return ReopenResult(path: record.path, record: record.label, removed: record.approval)
    }

    /// The record an id or path names, if it is a regular record file inside the records folder.
    func editableRecord(_ idOrPath: String, in project: Project) throws -> Record {
        let recordsRoot = project.configuration.recordsRoot
        if let record = project.records.first(where: { $0.id == idOrPath }) { return record }
        guard let root, idOrPath.contains("/") || Project.isRecordFile(idOrPath) else { throw ApprovalError.recordNotFound(idOrPath) }
        let rootPath = root.standardizedFileURL.path
        // A path is taken from the current folder (as a shell completes it), else from the repository root.
        let path: String
        let absolute = URL(fileURLWithPath: idOrPath).standardizedFileURL.path
        if absolute.hasPrefix(rootPath + "/") {
            path = String(absolute.dropFirst(rootPath.count + 1))
        } else if !idOrPath.hasPrefix("/"), let normalized = RepositoryPath.normalize(idOrPath), !normalized.isEmpty {
            path = normalized
        } else {
            throw ApprovalError.outsideRepository(idOrPath)
        }
        guard RepositoryPath.isUnder(path, folder: recordsRoot), path != recordsRoot else {
            throw ApprovalError.outsideRecords(path, recordsRoot)
        }
        var walked = rootPath
        for component in path.split(separator: "/") {
            walked += "/" + component
            if FileType.of(walked) == .symlink { throw ApprovalError.symlink(path) }
        }
        guard FileType.of(walked) != nil else { throw ApprovalError.recordNotFound(idOrPath) }
        guard let record = project.records.first(where: { $0.path == path }) else { throw ApprovalError.notARecord(path) }
        return record
    }

    private func readText(_ path: String, root: URL) throws -> String {
        // Through the working-tree source (never through a symlink), every byte kept, a byte-order
        // mark included: String(decoding:) does not drop it.
        guard let data = try? WorkingTreeSource(root: root).read(path) else { throw ApprovalError.symlink(path) }
        guard YAMLLoader.encodingProblem(data) == nil else { throw ApprovalError.layout(path, "it is not UTF-8 text") }
        return String(decoding: data, as: UTF8.self)
    }

    private func write(_ text: String, to path: String, root: URL) throws {
        let url = root.appendingPathComponent(path)
        // Keep the file's permission bits: the rename replaces the file, not its mode.
        let mode = (try? FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue
        try AtomicFile.write(Data(text.utf8), to: url, within: [root], permissions: mode, shown: path)
    }
}

/// The working tree with one file's bytes replaced: what a write would leave, judged before it is made.
struct OverlaySource: EvidenceSource {
    var base: WorkingTreeSource
    var path: String
    var data: Data
    var label: String { base.label }
    var allowsConcurrentReads: Bool { base.allowsConcurrentReads }

    func files(under folder: String) throws -> [SourceFile] {
        // The replaced file has neither a stamp nor a blob id: the parse cache must not answer for it.
        try base.files(under: folder).map { $0.path == path ? SourceFile(path: path, kind: .regular) : $0 }
    }

    func read(_ path: String) throws -> Data {
        RepositoryPath.normalize(path) == self.path ? data : try base.read(path)
    }

    func exists(_ path: String) -> Bool {
        RepositoryPath.normalize(path) == self.path || base.exists(path)
    }

    func size(_ path: String) -> Int? {
        RepositoryPath.normalize(path) == self.path ? data.count : base.size(path)
    }
}

/// Edits of a record's text that touch only `status` and the approval block, each verified by
/// parsing the result: every other top-level value must read the same as before.
public enum ApprovalText {
    static func isEmail(_ text: String) -> Bool {
        text.range(of: #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, options: .regularExpression) != nil && text.count <= 254
    }

    /// `now` (a UTC date-time), or one second after the approval it replaces when that is not
    /// earlier: a new approval always writes new bytes, even with a fixed clock.
    public static func nextDate(now: String, after previous: String?) -> String {
        guard let previous, previous >= now, let seconds = DateTimeText.seconds(previous) else { return now }
        return DateTimeText.string(seconds + 1)
    }

    /// The record approved: `status: approved` and the approval block over the content with that status.
    public static func approving(_ text: String, by: String, date: String, path: String = "the record") throws -> (text: String, digest: String) {
        let original = YAMLLoader.load(Data(text.utf8))
        guard original.problems.isEmpty, let node = original.root, case .mapping = node else {
            throw ApprovalError.layout(path, "it has YAML problems; run 'evident check' and fix them first")
        }
        let withStatus = try settingStatus(text, to: "approved", node: node, path: path)
        let (updated, digest) = try ApprovalWriter.apply(to: withStatus, by: by, date: date)
        guard let after = YAMLLoader.load(Data(updated.utf8)).root, unchanged(node, after, except: ["status", "approval"]),
              after["status"]?.scalarString == "approved" else {
            throw ApprovalError.layout(path, "its layout is unusual (status and approval could not be placed safely)")
        }
        return (updated, digest)
    }

    /// The record under revision: `status: in-review`, the approval block removed.
    public static func reopening(_ text: String, path: String) throws -> String {
        let original = YAMLLoader.load(Data(text.utf8))
        guard original.problems.isEmpty, let node = original.root, case .mapping = node else {
            throw ApprovalError.layout(path, "it has YAML problems; run 'evident check \(path)' and fix them first")
        }
        let withStatus = try settingStatus(text, to: "in-review", node: node, path: path)
        let newline = withStatus.contains("\r\n") ? "\r\n" : "\n"
        var lines = withStatus.components(separatedBy: newline)
        if let start = lines.firstIndex(where: { $0.hasPrefix("approval:") }) {
            var end = start + 1
            while end < lines.count, lines[end].hasPrefix(" ") || lines[end].hasPrefix("\t") { end += 1 }
            lines.removeSubrange(start..<end)
        }
        let updated = lines.joined(separator: newline)
        let check = YAMLLoader.load(Data(updated.utf8))
        guard check.problems.isEmpty, let after = check.root, after["approval"] == nil, after["status"]?.scalarString == "in-review",
              unchanged(node, after, except: ["status", "approval"]) else {
            throw ApprovalError.layout(path, "its layout is unusual (the status and approval block could not be changed safely)")
        }
        return updated
    }

    /// The text with the top-level `status:` value replaced (a key at the start of a line, plain or quoted value).
    static func settingStatus(_ text: String, to value: String, node: YAMLNode, path: String) throws -> String {
        if node["status"]?.scalarString == value { return text }
        guard let mark = node["status"]?.mark else {
            throw ApprovalError.layout(path, "it has no status field")
        }
        let newline = text.contains("\r\n") ? "\r\n" : "\n"
        var lines = text.components(separatedBy: newline)
        let index = mark.line - 1
        guard lines.indices.contains(index) else { throw ApprovalError.layout(path, "its status could not be found") }
        var line = lines[index]
        // A byte-order mark on the first line is kept in front.
        let bom = line.hasPrefix("\u{FEFF}") ? "\u{FEFF}" : ""
        if !bom.isEmpty { line.removeFirst() }
        guard line.hasPrefix("status:") else { throw ApprovalError.layout(path, "status is not a top-level key at the start of a line") }
        let afterKey = line.dropFirst("status:".count)
        let spaces = afterKey.prefix { $0 == " " || $0 == "\t" }
        let rest = afterKey.dropFirst(spaces.count)
        let tokenLength: Int
        if let quote = rest.first, quote == "\"" || quote == "'" {
            guard let close = rest.dropFirst().firstIndex(of: quote) else { throw ApprovalError.layout(path, "its status is not a one-line scalar") }
            tokenLength = rest.distance(from: rest.startIndex, to: close) + 1
        } else {
            var length = 0
            var previous: Character = " "
            for character in rest {
                if character == "#" && (previous == " " || previous == "\t") { break }
                length += 1
                previous = character
            }
            tokenLength = rest.prefix(length).reversed().drop { $0 == " " || $0 == "\t" }.count
        }
        guard tokenLength > 0 else { throw ApprovalError.layout(path, "its status is empty") }
        lines[index] = bom + "status:" + spaces + value + rest.dropFirst(tokenLength)
        return lines.joined(separator: newline)
    }

    /// Whether two records read the same apart from some top-level keys.
    static func unchanged(_ before: YAMLNode, _ after: YAMLNode, except keys: Set<String>) -> Bool {
        func values(_ node: YAMLNode) -> [String: String]? {
            guard case .mapping(let pairs, _) = node else { return nil }
            var out: [String: String] = [:]
            for pair in pairs {
                let key = pair.key.scalarString ?? RecordDigest.canonicalJSON(pair.key)
                if !keys.contains(key) { out[key] = RecordDigest.canonicalJSON(pair.value) }
            }
            return out
        }
        guard let a = values(before), let b = values(after) else { return false }
        return a == b
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` in UTC, the form approvals are dated in.
public enum DateTimeText {
    public static func string(from date: Date) -> String {
        RepositoryFacts.isoDate(date)
    }

    static func string(_ seconds: Int64) -> String {
        RepositoryFacts.isoDate(Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// Whether the text is a UTC date-time `YYYY-MM-DDTHH:MM:SSZ`.
    public static func isDateTime(_ text: String) -> Bool {
        text.count == 20 && seconds(text) != nil
    }

    /// Seconds since 1970 of a UTC date-time in that form, or of a plain date at midnight.
    static func seconds(_ text: String) -> Int64? {
        guard let (year, month, day) = Day.parts(text) else { return nil }
        var hours = 0, minutes = 0, seconds = 0
        if text.count == 20 {
            let time = Array(text)
            guard time[10] == "T", time[19] == "Z", let h = Int(String(time[11...12])), let m = Int(String(time[14...15])),
                  let s = Int(String(time[17...18])) else { return nil }
            (hours, minutes, seconds) = (h, m, s)
        } else if text.count != 10 {
            return nil
        }
        // Days from civil (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Int64(days) * 86_400 + Int64(hours * 3600 + minutes * 60 + seconds)
    }
}
