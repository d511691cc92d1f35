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
    public func recordPath(for idOrPath: String, project: Project) -> String? {
        if let record = project.records.first(where: { $0.id == idOrPath }) { return record.path }
        if let root, idOrPath.contains("/") || idOrPath.hasSuffix(".yaml") || idOrPath.hasSuffix(".yml") {
            let absolute = URL(fileURLWithPath: idOrPath).standardizedFileURL.path
            let rootPath = root.standardizedFileURL.path
            if absolute.hasPrefix(rootPath + "/") { return String(absolute.dropFirst(rootPath.count + 1)) }
            return RepositoryPath.normalize(idOrPath)
        }
        return nil
    }

    /// `git log -- PATH` for a record (or `--follow`), with each commit's people, signature and trailers,
    /// plus commits whose `Evidence-For:` trailer names the record.
    public func log(_ idOrPath: String, follow: Bool = false, today: String) throws -> RecordLog {
        let project = try? loadProject(.workingTree, today: today)
        // A record id, else any path (file or folder, top-level files too) as `git log -- PATH`
        // reads it: relative to the current folder.
        let path: String
        if let project, let record = project.records.first(where: { $0.id == idOrPath }) {
            path = record.path
        } else if let found = repositoryPath(ofUserPath: idOrPath) {
            path = found
        } else {
            throw ProjectSetupError.recordNotFound(idOrPath)
        }
        let recordID = project?.records.first { $0.path == path }?.id
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
            let folder = path.split(separator: "/").dropLast().joined(separator: "/")
            let history = try repository.pathHistory(under: folder, from: tip, cache: HistoryCache(repository: repository))
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
        for (id, _) in ids { commits[id] = try repository.commit(id) }
        if let recordID {
            let linked = try repository.trailerIndex(key: "Evidence-For", from: tip)[recordID] ?? []
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
        let signatures = (project?.git?.commitSignatures)
            ?? CommitSignatures(repository: repository, settings: project?.configuration.signatures ?? .init(), judgedLabel: "working tree",
                                readJudged: { _ in nil })
        notes += signatures.notes
        notes += signatures.problems.map { "\($0.path):\($0.line): \($0.message); the line is skipped" }
        var entries: [LogEntry] = []
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
        if entries.isEmpty { notes.append("\(path) has no commits: it is not yet committed") }
        var log = RecordLog(path: path, record: recordID, commits: entries, notes: notes)
        // Approvals are read from this path's own history (with --follow, older names held other bytes).
        var changed = ids.filter { $0.1 == "changed" }.map(\.0)
        if follow {
            let folder = path.split(separator: "/").dropLast().joined(separator: "/")
            changed = try repository.pathHistory(under: folder, from: tip, cache: HistoryCache(repository: repository)).commits(for: path)
        }
        log.approvals = ApprovalHistory.events(path: path, commits: changed, repository: repository)
        return log
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
