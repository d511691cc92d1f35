import Foundation

/// An approval pins the digest of the content it approved; a later change makes it stale.
public struct StaleApprovalRule: Rule {
    public init() {}
    static let approved = "kind: defect\nid: DEF-1\ntitle: A\nstatus: approved\nowner: a@example.com\n"
    public static let description = RuleDescription(
        id: "stale-approval", name: "Stale approval",
        summary: "The record changed after it was approved (its digest no longer matches), or is 'approved' with no approval.",
        severity: .error,
        triggering: [
            RuleExample(["security/a.yaml": approved + "approval:\n  by: b@example.com\n  date: 2026-01-02\n  digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n"]),
            RuleExample(["security/a.yaml": approved]),
        ],
        nonTriggering: [
            RuleExample(["security/a.yaml": approved + "approval:\n  by: b@example.com\n  date: 2026-01-02\n  digest: \(RecordDigest.digest(of: YAMLLoader.load(Data(approved.utf8)).root ?? .mapping([], Mark(line: 1, column: 1))))\n"]),
            RuleExample(["security/a.yaml": "kind: defect\nid: DEF-1\ntitle: A\nstatus: draft\nowner: a@example.com\n"]),
        ])

    public func check(_ project: Project) -> [Finding] {
        var findings: [Finding] = []
        for record in project.records {
            if let approval = record.approval, let digest = approval.digest, digest != record.contentDigest {
                findings.append(Self.description.finding(
                    record.path, record.node["approval"]?["digest"]?.mark ?? approval.mark,
                    "approval by \(approval.by ?? "?") on \(approval.date ?? "?") is stale: the record changed since (run 'evident approve \(record.label)' after review)",
                    record: record.id))
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
