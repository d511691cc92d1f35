/// The commit that brought in an approval should be the approver's own.
public struct ApprovalNotByApproverRule: Rule {
    public init() {}
    public static let readsRepository = true
    public static let description = RuleDescription(
        id: "approval-not-by-approver", name: "Approval committed by someone else",
        summary: "The commit that introduced a record's current approval block (the oldest of the newest commits carrying its digest) was authored by someone other than `approval.by`; identities are compared by canonical email (`.mailmap`, `.evident.yml` identities, roles aliases). Silent while the approval is not committed, and without git.",
        severity: .warning,
        // Examples run without git, where the rule stays silent: the triggering cases are real-repository tests.
        triggering: [],
        nonTriggering: [RuleExample(["security/a.yaml": "kind: defect\nid: DEF-1\ntitle: A\nstatus: approved\nowner: a@example.com\napproval:\n  by: b@example.com\n  date: 2026-01-02\n  digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n"])])

    public func check(_ project: Project) -> [Finding] {
        guard let git = project.git else { return [] }
        let people = PeopleDirectory(project)
        var findings: [Finding] = []
        for record in project.records {
            guard let approval = record.approval, let by = approval.by, let digest = approval.digest,
                  let author = git.approvalAuthor(path: record.path, digest: digest) else { continue }
            if people.canonical(author) != people.canonical(by) {
                findings.append(Self.description.finding(
                    record.path, record.node["approval"]?["by"]?.mark ?? approval.mark,
                    "approval by \(by) was committed by \(author): an approval should be recorded by the approver (run 'evident approve \(record.label)' as \(by))",
                    record: record.id))
            }
        }
        return findings
    }
}
