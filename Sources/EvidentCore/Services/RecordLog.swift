import Foundation
import GitKit
import Signatures

/// One commit in a record's history, as `log` shows it.
public struct LogEntry: Sendable {
    public struct Person: Sendable { public var name: String; public var email: String }
    public var id: String
    public var author: Person
    public var committer: Person
    public var time: String
    public var signed: Bool
    /// The signature verdict (git's %G? letter), signers from `signatures.allowed-signers` at the trusted revision.
    public var signature: SignatureVerdict
    public var summary: String
    public var trailers: [(key: String, value: String)]
    /// Why it is listed: it changed the file, or its Evidence-For trailer names the record.
    public var reason: String
}

/// The attribution history of one record.
public struct RecordLog: Sendable {
    public var path: String
    public var record: String?
    public var commits: [LogEntry]
    /// Set when history is incomplete (shallow clone) or absent (no commits).
    public var notes: [String]
    /// Approvals over time, newest first (from the commits that changed the file).
    public var approvals: [ApprovalEvent] = []
}

extension Workspace {
    /// Resolves a record id or a path to the record's repository path, at HEAD or in the working tree.
    public func recordPath(for idOrPath: String, project: Project?) -> String? {
        if let record = project?.records.first(where: { $0.id == idOrPath }) { return record.path }
        if let root, idOrPath.contains("/") || idOrPath.hasSuffix(".yaml") || idOrPath.hasSuffix(".yml") {
            let absolute = URL(fileURLWithPath: idOrPath).standardizedFileURL.path
            let rootPath = root.standardizedFileURL.path
            if absolute.hasPrefix(rootPath + "/") { return String(absolute.dropFirst(rootPath.count + 1)) }
            return RepositoryPath.normalize(idOrPath)
        }
        return nil
    }

    /// `git log -- PATH` for a record, or any tracked file or folder (or `--follow`), with each
    /// commit's people, signature and trailers, plus commits whose `Evidence-For:` trailer names the
    /// record. Reads only what the record needs: the configuration and the record's own file, found
    /// where the last load saw the id (`RecordIndex`) or by its name (`ID.yaml`, as `evident new`
    /// writes it); every record is read only when neither finds it.
    public func log(_ idOrPath: String, follow: Bool = false, today: String) throws -> RecordLog {
        let located = try Timings.measure("find record") { try locateRecord(idOrPath, today: today) }
        let (path, recordID, recordsRoot) = (located.path, located.id, located.recordsRoot)
        var notes: [String] = []
        guard let tip = repository.headCommitID() else {
            return RecordLog(path: path, record: recordID, commits: [], notes: ["the repository has no commits yet"])
        }
        if repository.isShallow {
            notes.append("shallow clone: history before \(repository.graftedCommits().count) grafted commit(s) is missing, so creation and early authors cannot be told")
        }
        var ids: [(ObjectID, String)]
        if follow {
            ids = try repository.follow(path: path, from: tip).map { ($0, "changed") }
        } else {
            // The records folder's history is the one `check` walks and caches; a path elsewhere walks its own folder.
            let folder = recordsRoot.flatMap { RepositoryPath.isUnder(path, folder: $0) ? $0 : nil }
                ?? path.split(separator: "/").dropLast().joined(separator: "/")
            let history = try Timings.measure("history") {
                try repository.pathHistory(under: folder, from: tip, cache: HistoryCache(repository: repository), only: [path])
            }
            if history.commitsByPath[path] != nil {
                ids = history.commits(for: path).map { ($0, "changed") }
            } else {
                // Not a file in this history: a folder (or nothing), as one pathspec.
                ids = try repository.folderHistory(path, from: tip, cache: HistoryCache(repository: repository)).map { ($0, "changed") }
            }
        }
        // The commits stay in git's order; commits only an Evidence-For trailer links are placed
        // among them by committer date (before the first listed commit committed earlier).
        var commits: [ObjectID: Commit] = [:]
        try Timings.measure("read commits") { for (id, _) in ids { commits[id] = try repository.commit(id) } }
        if let recordID {
            let linked = try Timings.measure("trailers") {
                try repository.trailerIndex(key: "Evidence-For", from: tip, cache: HistoryCache(repository: repository))[recordID] ?? []
            }
            let listed = Set(ids.map(\.0))
            for id in linked where !listed.contains(id) {
                let commit = try repository.commit(id)
                commits[id] = commit
                let time: Date = commit.committer.time
                let at = ids.firstIndex { (entry: (ObjectID, String)) -> Bool in
                    guard let other = commits[entry.0] else { return false }
                    return other.committer.time < time
                } ?? ids.count
                ids.insert((id, "evidence-for"), at: at)
            }
        }
        let judged = root.map { WorkingTreeSource(root: $0) }
        let signatures = Timings.measure("signature settings") {
            CommitSignatures(repository: repository, settings: located.configuration?.signatures ?? .init(), judgedLabel: "working tree",
                             readJudged: { path in try? judged?.read(path) })
        }
        notes += signatures.notes
        notes += signatures.problems.map { "\($0.path):\($0.line): \($0.message); the line is skipped" }
        var entries: [LogEntry] = []
        Timings.measure("commits") {
            for (id, reason) in ids {
                guard let commit = commits[id] else { continue }
                let author = repository.resolveIdentity(name: commit.author.name, email: commit.author.email)
                let committer = repository.resolveIdentity(name: commit.committer.name, email: commit.committer.email)
                entries.append(LogEntry(
                    id: id.hex, author: .init(name: author.name, email: author.email),
                    committer: .init(name: committer.name, email: committer.email),
                    time: RepositoryFacts.isoDate(commit.author.time), signed: commit.isSigned,
                    signature: signatures.verdict(id, isSigned: commit.isSigned), summary: commit.summary,
                    trailers: commit.trailers.map { ($0.key, $0.value) }, reason: reason))
            }
        }
        if entries.isEmpty { notes.append("\(path) has no commits: it is not yet committed") }
        var log = RecordLog(path: path, record: recordID, commits: entries, notes: notes)
        // Approvals are read from this path's own history (with --follow, older names held other bytes).
        var changed = ids.filter { $0.1 == "changed" }.map(\.0)
        if follow {
            let folder = path.split(separator: "/").dropLast().joined(separator: "/")
            changed = try repository.pathHistory(under: folder, from: tip, cache: HistoryCache(repository: repository)).commits(for: path)
        }
        log.approvals = Timings.measure("approvals") { ApprovalHistory.events(path: path, commits: changed, repository: repository) }
        return log
    }

    /// The path, id, records root and configuration of what `log` was asked about: a record id, or
    /// any path (file or folder, top-level files too) as `git log -- PATH` reads it, relative to the
    /// current folder.
    private func locateRecord(_ idOrPath: String, today: String) throws -> (path: String, id: String?, recordsRoot: String?, configuration: Configuration?) {
        guard let root else {
            guard let normalized = RepositoryPath.normalize(idOrPath), idOrPath.contains("/") else { throw ProjectSetupError.recordNotFound(idOrPath) }
            return (normalized, nil, nil, nil)
        }
        let source = WorkingTreeSource(root: root)
        let configuration = (try? source.read(Configuration.fileName)).flatMap { try? Configuration.parse($0).0 }
        let recordsRoot = configuration?.recordsRoot
        func recordID(at path: String) -> String? {
            guard let data = try? source.read(path), let node = YAMLLoader.load(data, limits: configuration?.limits ?? YAMLLimits()).root,
                  case .mapping = node else { return nil }
            return Record(path: path, node: node, blobID: nil).id
        }
        let looksLikePath = idOrPath.contains("/") || idOrPath.hasSuffix(".yaml") || idOrPath.hasSuffix(".yml") || idOrPath == "."
        if !looksLikePath {
            // Where the last load found the id, then a file named after it (as `evident new` names them).
            for path in cacheDirectory.map({ RecordIndex.paths(for: idOrPath, directory: $0) }) ?? [] where recordID(at: path) == idOrPath {
                return (path, idOrPath, recordsRoot, configuration)
            }
            if let recordsRoot, let listed = try? source.files(under: recordsRoot) {
                let names = [idOrPath + ".yaml", idOrPath + ".yml"]
                for file in listed where file.kind == .regular && names.contains(where: { file.path == $0 || file.path.hasSuffix("/" + $0) }) {
                    if recordID(at: file.path) == idOrPath { return (file.path, idOrPath, recordsRoot, configuration) }
                }
            }
            // No file named after the id: read every record.
            if let project = try? loadProject(.workingTree, today: today), let record = project.records.first(where: { $0.id == idOrPath }) {
                return (record.path, record.id, recordsRoot, configuration)
            }
        }
        // A word shaped like a record id (DEF-9) that names no record is a path only when there is
        // such a file or folder; any other word is a path as `git log -- PATH` takes it (deleted
        // files included).
        let idShaped = idOrPath.range(of: "^[A-Z][A-Z0-9]*(-[A-Za-z0-9.]+)+$", options: .regularExpression) != nil
        if let found = repositoryPath(ofUserPath: idOrPath),
           !idShaped || source.exists(found) || FileType.of(root.appendingPathComponent(found).path) == .directory {
            let isRecordFile = recordsRoot.map { RepositoryPath.isUnder(found, folder: $0) } ?? false && Project.isRecordFile(found)
            return (found, isRecordFile ? recordID(at: found) : nil, recordsRoot, configuration)
        }
        throw ProjectSetupError.recordNotFound(idOrPath)
    }
}

/// Renders a record log as text or JSON.
public enum RecordLogFormat: String, CaseIterable, Sendable {
    case text, json

    public func render(_ log: RecordLog) -> String {
        switch self {
        case .text:
            var out = "\(log.record.map { "\($0) " } ?? "")\(log.path)\n"
            for note in log.notes { out += "note: \(note)\n" }
            for entry in log.commits {
                out += "\n\(entry.id.prefix(12))  \(entry.time)  \(entry.signed ? "signed" : "unsigned")\(entry.reason == "evidence-for" ? "  (Evidence-For trailer)" : "")\n"
                out += "  signature: \(entry.signature.summary)\n"
                out += "  author:    \(entry.author.name) <\(entry.author.email)>\n"
                if entry.committer.email != entry.author.email || entry.committer.name != entry.author.name {
                    out += "  committer: \(entry.committer.name) <\(entry.committer.email)>\n"
                }
                out += "  \(entry.summary)\n"
                for trailer in entry.trailers { out += "  \(trailer.key): \(trailer.value)\n" }
            }
            if !log.approvals.isEmpty {
                out += "\nApprovals (newest first):\n" + log.approvals.map { "  \(ApprovalHistory.text($0))\n" }.joined()
            }
            return out
        case .json:
            let commits: [[String: Any]] = log.commits.map { entry in
                var trailers: [String: Any] = [:]
                for trailer in entry.trailers {
                    var values = (trailers[trailer.key] as? [String]) ?? []
                    values.append(trailer.value)
                    trailers[trailer.key] = values
                }
                return [
                    "id": entry.id, "author": ["name": entry.author.name, "email": entry.author.email],
                    "committer": ["name": entry.committer.name, "email": entry.committer.email],
                    "time": entry.time, "signed": entry.signed, "signature": entry.signature.jsonObject, "summary": entry.summary, "trailers": trailers,
                    "reason": entry.reason,
                ]
            }
            return JSONOutput.string(["version": 1, "path": log.path, "record": log.record ?? NSNull(), "commits": commits, "notes": log.notes,
                                      "approvals": log.approvals.map(ApprovalHistory.json)] as [String: Any])
        }
    }
}
