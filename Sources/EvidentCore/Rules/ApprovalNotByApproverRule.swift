/// The commit that brought in an approval should be the approver's own.
public struct ApprovalNotByApproverRule: Rule {
    public init() {}
    public static let reads = RuleReads.git
    public static let description = RuleDescription(
        id: "approval-not-by-approver", name: "Approval committed by someone else",
        summary: "The commit that introduced a record's current approval block (the oldest of the newest commits carrying that very block: by, date and digest) was authored by someone other than `approval.by`; identities are compared by canonical email (`.mailmap`, `.evident.yml` identities, roles aliases). Silent while the approval is not committed, and without git.",
        severity: .warning,
        // Examples run without git, where the rule stays silent: the triggering cases are real-repository tests.
        triggering: [],
        nonTriggering: [RuleExample(["security/a.yaml": "kind: defect\nid: DEF-1\ntitle: A\nstatus: approved\nowner: a@example.com\napproval:\n  by: b@example.com\n  date: 2026-01-02\n  digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n"])])

    public func check(_ project: Project) -> [Finding] {
        guard let git = project.git else { return [] }
        let people = PeopleDirectory(project)
        var findings: [Finding] = []
        for record in project.records {
            guard let approval = record.approval, let by = approval.by, approval.digest != nil,
                  let introduced = git.approvalCommit(path: record.path, approval: approval) else { continue }
            if people.canonical(introduced.author) != people.canonical(by) {
                findings.append(Self.description.finding(
                    record.path, record.node["approval"]?["by"]?.mark ?? approval.mark,
                    "approval by \(by) was committed by \(introduced.author) (\(introduced.id.prefix(12))): an approval should be recorded by the approver (\(by) runs 'evident approve \(record.label)' and commits the new approval as themself)",
                    record: record.id))
            }
        }
        return findings
    }
}
