import Foundation
import GitKit

/// One step in a record's approval history, read from the commits that changed its file.
public struct ApprovalEvent: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// A new approval block was committed (first approval, re-approval, another approver).
        case approved
        /// The content changed while the approval block stayed: the approval went stale.
        case stale
        /// The approval block was removed (`evident reopen`, or a hand edit).
        case removed
    }

    public var kind: Kind
    public var commit: String
    /// The commit's author time, UTC.
    public var time: String
    /// Who authored the commit (after `.mailmap`).
    public var author: String
    /// The approval block concerned (for `removed`, the one removed).
    public var by: String?
    public var date: String?
    public var digest: String?
    /// The record's status in that commit (nil when the file was deleted).
    public var status: String?
    /// Whether the approval's digest matched the content in that commit.
    public var matchesContent: Bool
    /// The commit's `Reopen-Reason:` trailer, when it has one.
    public var reason: String?
}

/// Approvals over time, from git history: who approved, when, at which commit, which digest; when
/// an approval went stale or was withdrawn, and why (the `Reopen-Reason:` trailer).
public enum ApprovalHistory {
    public static let reasonTrailer = "Reopen-Reason"

    /// The events of a file's history, newest first. `commits` are those that changed the file,
    /// newest first (git log -- PATH). `known` is the record as already loaded (its blob id and
    /// tree): a version with that blob id is taken from it instead of read and parsed again.
    public static func events(path: String, commits: [ObjectID], repository: Repository, known: Record? = nil) -> [ApprovalEvent] {
        struct State { var approval: Approval?; var status: String?; var matches: Bool }
        var events: [ApprovalEvent] = []
        var previous = State(approval: nil, status: nil, matches: false)
        let marker = Data("approval:".utf8)
        for id in commits.reversed() {
            var state = State(approval: nil, status: nil, matches: false)
            let blobID = (try? repository.blobID(atPath: path, inCommit: id)) ?? nil
            if let blobID, let known, known.blobID == blobID.hex {
                state = State(approval: known.approval, status: known.string("status"), matches: known.approvalIsCurrent)
            } else if let data = blobID.flatMap({ try? repository.blob($0) }),
                      // Parse only versions that can hold an approval, or that follow one (to name the status it was left in).
                      data.range(of: marker) != nil || previous.approval != nil {
                let loaded = YAMLLoader.load(data)
                if loaded.problems.isEmpty, let node = loaded.root {
                    let record = Record(path: path, node: node)
                    state = State(approval: record.approval, status: record.string("status"), matches: record.approvalIsCurrent)
                }
            }
            func event(_ kind: ApprovalEvent.Kind, _ approval: Approval?) -> ApprovalEvent? {
                guard let commit = try? repository.commit(id) else { return nil }
                let author = repository.resolveIdentity(name: commit.author.name, email: commit.author.email)
                let reason = commit.trailers.last { $0.key.caseInsensitiveCompare(reasonTrailer) == .orderedSame }?.value
                return ApprovalEvent(kind: kind, commit: id.hex, time: RepositoryFacts.isoDate(commit.author.time), author: author.email,
                                     by: approval?.by, date: approval?.date, digest: approval?.digest, status: state.status,
                                     matchesContent: kind == .approved && state.matches, reason: reason)
            }
            if let approval = state.approval {
                if let before = previous.approval, before.sameBlock(as: approval) {
                    if previous.matches && !state.matches, let stale = event(.stale, approval) { events.append(stale) }
                } else if let approved = event(.approved, approval) {
                    events.append(approved)
                }
            } else if let before = previous.approval, let removed = event(.removed, before) {
                events.append(removed)
            }
            previous = state
        }
        return events.reversed()
    }

    /// One line per event, as `log` prints them.
    public static func text(_ event: ApprovalEvent) -> String {
        let commit = "commit \(event.commit.prefix(12)) by \(event.author)"
        switch event.kind {
        case .approved:
            let standing = event.matchesContent ? "" : " (digest does not match the content committed with it)"
            return "\(event.time)  approved  by \(event.by ?? "?") at \(event.date ?? "?"), \(event.digest ?? "no digest"), status \(event.status ?? "?"); \(commit)\(standing)"
        case .stale:
            return "\(event.time)  stale     content changed after the approval by \(event.by ?? "?") at \(event.date ?? "?"); \(commit)"
        case .removed:
            let reason = event.reason.map { "; reason: \($0)" } ?? ""
            return "\(event.time)  removed   approval by \(event.by ?? "?") at \(event.date ?? "?") withdrawn, status \(event.status ?? "file deleted"); \(commit)\(reason)"
        }
    }

    /// The JSON object of an event (`log --format json`).
    public static func json(_ event: ApprovalEvent) -> [String: Any] {
        [
            "event": event.kind.rawValue, "commit": event.commit, "time": event.time, "author": event.author,
            "by": event.by ?? NSNull(), "date": event.date ?? NSNull(), "digest": event.digest ?? NSNull(),
            "status": event.status ?? NSNull(), "matches-content": event.matchesContent, "reason": event.reason ?? NSNull(),
        ]
    }
}
