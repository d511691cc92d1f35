import Foundation

/// An approval pins the digest of the content it approved; a later change makes it stale.
public struct StaleApprovalRule: Rule {
    public init() {}
    static let approved = "kind: defect\nid: DEF-1\ntitle: A\nstatus: approved\nowner: a@example.com\n"
    public static let description = RuleDescription(
        id: "stale-approval", name: "Stale approval",
        summary: "The record changed after it was approved (its digest no longer matches), or is 'approved' with no approval. An error only while the status says approved; on a record under revision (draft, in-review) or withdrawn a stale approval is a note: history, not a claim, and the record does not count as approved.",
        severity: .error,
        triggering: [
            RuleExample(["security/a.yaml": approved + "approval:\n  by: b@example.com\n  date: 2026-01-02\n  digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n"]),
            RuleExample(["security/a.yaml": approved]),
            // Under revision: still reported, as a note (the rule's examples count findings of any severity).
            RuleExample(["security/a.yaml": "kind: defect\nid: DEF-1\ntitle: A\nstatus: in-review\nowner: a@example.com\napproval:\n  by: b@example.com\n  date: 2026-01-02\n  digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n"]),
        ],
        nonTriggering: [
            RuleExample(["security/a.yaml": approved + "approval:\n  by: b@example.com\n  date: 2026-01-02\n  digest: \(RecordDigest.digest(of: YAMLLoader.load(Data(approved.utf8)).root ?? .mapping([], Mark(line: 1, column: 1))))\n"]),
            RuleExample(["security/a.yaml": "kind: defect\nid: DEF-1\ntitle: A\nstatus: draft\nowner: a@example.com\n"]),
        ])

    public func check(_ project: Project) -> [Finding] {
        var findings: [Finding] = []
        for record in project.records {
            if let approval = record.approval, let digest = approval.digest, digest != record.contentDigest {
                let mark = record.node["approval"]?["digest"]?.mark ?? approval.mark
                let who = "approval by \(approval.by ?? "?") on \(approval.date ?? "?")"
                if record.status == .approved {
                    findings.append(Self.description.finding(
                        record.path, mark,
                        "\(who) is stale: the record changed since (run 'evident approve \(record.label)' after review, or 'evident reopen \(record.label)' to put it back under revision)",
                        record: record.id))
                } else {
                    findings.append(Self.description.finding(
                        record.path, mark,
                        "\(who) no longer matches the content; the record is \(record.string("status") ?? "not approved") and does not count as approved ('evident approve \(record.label)' when it is ready)",
                        record: record.id, severity: .note))
                }
            } else if record.status == .approved, record.approval == nil {
                findings.append(Self.description.finding(
                    record.path, record.mark(of: "status"),
                    "status is 'approved' but the record carries no approval (run 'evident approve \(record.label)')",
                    record: record.id))
            }
        }
        return findings
    }
}
