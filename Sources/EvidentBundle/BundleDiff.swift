import EvidentCore
import Foundation
import GitKit

/// What changed in the evidence between two commits: coverage per requirement, records, approvals, findings.
public struct EvidenceDiff: Sendable {
    public struct CoverageChange: Sendable, Equatable {
        public var requirement: String
        public var from: String
        public var to: String
    }

    public struct RecordChange: Sendable, Equatable {
        public var id: String
        public var path: String
        public var fromBlob: String?
        public var toBlob: String?
    }

    public struct ApprovalChange: Sendable, Equatable {
        public var id: String
        public var from: String
        public var to: String
    }

    public struct FindingChange: Sendable, Equatable {
        public var rule: String
        public var severity: String
        public var path: String
        public var message: String
    }

    public var from: String
    public var to: String
    public var fromCommit: String
    public var toCommit: String
    public var coverage: [CoverageChange] = []
    public var added: [RecordChange] = []
    public var changed: [RecordChange] = []
    public var removed: [RecordChange] = []
    public var approvals: [ApprovalChange] = []
    public var newFindings: [FindingChange] = []
    public var resolvedFindings: [FindingChange] = []
    /// What the diff could not compare, e.g. a side that predates `evident init` (treated as empty).
    public var notes: [String] = []

    public var isEmpty: Bool {
        coverage.isEmpty && added.isEmpty && changed.isEmpty && removed.isEmpty && approvals.isEmpty && newFindings.isEmpty && resolvedFindings.isEmpty
    }
}

/// Computes an `EvidenceDiff` from `REV1..REV2`.
public struct EvidenceDiffer {
    public init() {}

    /// Splits `REV1..REV2` (two dots, both sides present).
    public static func parseRange(_ range: String) throws -> (String, String) {
        let parts = range.components(separatedBy: "..")
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !parts[1].hasPrefix(".") else { throw BundleError.badRange(range) }
        return (parts[0], parts[1])
    }

    public func diff(_ workspace: Workspace, range: String) throws -> EvidenceDiff {
        let (from, to) = try Self.parseRange(range)
        let fromID: ObjectID
        let toID: ObjectID
        do { fromID = try workspace.repository.resolve(revision: from) } catch { throw BundleError.unknownRevision(from) }
        do { toID = try workspace.repository.resolve(revision: to) } catch { throw BundleError.unknownRevision(to) }
        var diff = EvidenceDiff(from: from, to: to, fromCommit: fromID.hex, toCommit: toID.hex)
        // A side without `.evident.yml` has no evidence: it is compared as empty, and the diff says so.
        func side(_ name: String, _ commit: ObjectID) throws -> Snapshot? {
            do {
                return try snapshot(workspace, commit: commit)
            } catch WorkspaceError.noConfiguration {
                diff.notes.append(WorkspaceError.noConfiguration(name).description)
                return nil
            }
        }
        let old = try side(from, fromID)
        let new = try side(to, toID)
        let judged = new ?? old
        let empty = judged.map { Snapshot.empty(like: $0) }
        guard let old = old ?? empty, let new = new ?? empty else { return diff }

        let oldStatus = Dictionary(old.coverage.requirements.map { ($0.requirement.id, $0.status.rawValue) }, uniquingKeysWith: { a, _ in a })
        for item in new.coverage.requirements {
            let before = oldStatus[item.requirement.id] ?? "absent"
            if before != item.status.rawValue {
                diff.coverage.append(.init(requirement: item.requirement.id, from: before, to: item.status.rawValue))
            }
        }
        let oldRecords = old.project?.recordsByID ?? [:]
        let newRecords = new.project?.recordsByID ?? [:]
        for id in newRecords.keys.sorted() {
            guard let record = newRecords[id] else { continue }
            if let previous = oldRecords[id] {
                if previous.blobID != record.blobID || previous.path != record.path {
                    diff.changed.append(.init(id: id, path: record.path, fromBlob: previous.blobID, toBlob: record.blobID))
                }
                let before = Self.approvalState(previous)
                let after = Self.approvalState(record)
                if before != after { diff.approvals.append(.init(id: id, from: before, to: after)) }
            } else {
                diff.added.append(.init(id: id, path: record.path, fromBlob: nil, toBlob: record.blobID))
                if record.approval != nil { diff.approvals.append(.init(id: id, from: "absent", to: Self.approvalState(record))) }
            }
        }
        for id in oldRecords.keys.sorted() where newRecords[id] == nil {
            if let record = oldRecords[id] { diff.removed.append(.init(id: id, path: record.path, fromBlob: record.blobID, toBlob: nil)) }
        }
        let oldFindings = Set(old.findings.map(Self.key))
        let newFindings = Set(new.findings.map(Self.key))
        diff.newFindings = new.findings.filter { !oldFindings.contains(Self.key($0)) }.map(Self.change)
        diff.resolvedFindings = old.findings.filter { !newFindings.contains(Self.key($0)) }.map(Self.change)
        return diff
    }

    struct Snapshot {
        var project: Project?
        var coverage: CoverageReport
        var findings: [Finding]

        /// No evidence: no records, no findings, every requirement of the other side's report missing.
        static func empty(like other: Snapshot) -> Snapshot {
            var coverage = other.coverage
            coverage.requirements = coverage.requirements.map { item in
                var missing = item
                missing.status = .missing
                return missing
            }
            return Snapshot(project: nil, coverage: coverage, findings: [])
        }
    }

    /// Judged as of each commit's own date, like the bundle.
    func snapshot(_ workspace: Workspace, commit: ObjectID) throws -> Snapshot {
        let date = BundleExporter.isoDate(try workspace.repository.commit(commit).committer.time)
        let project = try workspace.loadProject(.revision(commit.hex), today: String(date.prefix(10)))
        let findings = Checker().check(project, attribution: false, summaries: false).findings
        let coverage = CoverageCalculator().coverage(of: project, trailers: try workspace.trailerIndex(.revision(commit.hex)), findings: findings)
        return Snapshot(project: project, coverage: coverage, findings: findings)
    }

    static func approvalState(_ record: Record) -> String {
        guard let approval = record.approval else { return "none" }
        let who = "\(approval.by ?? "?") \(approval.date ?? "?")"
        if record.isApprovedAndCurrent { return "approved (\(who))" }
        if !record.approvalIsCurrent { return "stale (\(who))" }
        return "approved content, status \(record.status?.rawValue ?? "?") (\(who))"
    }

    /// Findings match across commits by rule, file and message (lines move).
    static func key(_ finding: Finding) -> String { "\(finding.rule)\u{0}\(finding.path)\u{0}\(finding.message)" }

    static func change(_ finding: Finding) -> EvidenceDiff.FindingChange {
        .init(rule: finding.rule, severity: finding.severity.rawValue, path: finding.path, message: finding.message)
    }
}

