import EvidentCore
import Foundation
import GitKit
import Vulnerabilities

/// CSAF `tracking` from git: one revision per approved change of the advisory record (a commit after
/// which the record is approved with a current approval whose content differs from the previous
/// approved one), numbered 1, 2, ...; dates are those commits' committer dates, so the same commit
/// always gives the same tracking. An advisory not approved at the commit is a `draft` whose next
/// version is the number after the last approved one (`0` when none was ever approved).
enum AdvisoryTracking {
    struct Revision { var date: String; var summary: String }

    static func approvedRevisions(of record: Record, in context: DisclosureContext) -> [Revision]? {
        guard let repository = context.repository, let tip = context.tip else { return nil }
        let commits: [ObjectID]
        if let facts = context.project.git as? RepositoryFacts, facts.tip == tip, facts.history != nil {
            // The project's history of the records, read once for the run (a walk per advisory was
            // most of a large export's disclosure time).
            commits = facts.commits(of: record.path)
        } else {
            guard let history = try? repository.pathHistory(under: (record.path as NSString).deletingLastPathComponent, from: tip,
                                                            cache: HistoryCache(repository: repository)) else { return nil }
            commits = history.commits(for: record.path)
        }
        var revisions: [Revision] = []
        var lastDigest: String?
        for commitID in commits.reversed() {
            guard let data = try? repository.blobData(atPath: record.path, inCommit: commitID), let root = YAMLLoader.load(data).root,
                  let commit = try? repository.commit(commitID) else { continue }
            let version = Record(path: record.path, node: root)
            guard version.isApprovedAndCurrent, version.contentDigest != lastDigest else { continue }
            lastDigest = version.contentDigest
            revisions.append(Revision(date: DisclosureContext.timestamp(commit.committer.time), summary: commit.summary))
        }
        return revisions
    }

    static func tracking(for record: Record, id: String, in context: DisclosureContext) -> CSAFDocument.Tracking {
        let approved = record.isApprovedAndCurrent
        var revisions: [Revision]
        if let history = approvedRevisions(of: record, in: context) {
            revisions = history
        } else {
            // No repository: one revision dated by the record itself (used by `check`, which judges the content).
            let day = DisclosureContext.timestamp(day: record.string("revised") ?? record.string("published")) ?? "1970-01-01T00:00:00Z"
            revisions = approved ? [Revision(date: day, summary: "Initial release")] : []
        }
        // An approved record whose approving commit is not in the history yet (working tree): count it.
        if approved, revisions.isEmpty {
            revisions.append(Revision(date: context.tipDate ?? "1970-01-01T00:00:00Z", summary: "Initial release"))
        }
        var entries = revisions.enumerated().map { i, r in CSAFDocument.Revision(number: String(i + 1), date: r.date, summary: r.summary) }
        var status = CSAFDocument.Status.final
        if !approved {
            status = .draft
            let date = context.lastChanged(record) ?? entries.last?.date ?? "1970-01-01T00:00:00Z"
            let latest = max(date, entries.last?.date ?? date)
            entries.append(CSAFDocument.Revision(number: entries.isEmpty ? "0" : String(entries.count + 1), date: latest,
                                                 summary: "Draft: not approved at this commit"))
        }
        let first = entries.first?.date ?? "1970-01-01T00:00:00Z"
        let last = entries.last?.date ?? first
        return CSAFDocument.Tracking(id: id, status: status, version: entries.last?.number ?? "0", initialReleaseDate: first,
                                     currentReleaseDate: last, revisions: entries, generatorVersion: context.toolVersion)
    }
}
