/// Under `signatures.require: approvals` (or `all`), an approval counts only when the commit that brought it
/// in carries a good signature by a key the allowed-signers file lists for `approval.by`.
public struct ApprovalNotSignedRule: Rule {
    public init() {}
    public static let reads = RuleReads.git
    public static let description = RuleDescription(
        id: "approval-not-signed", name: "Approval not signed by the approver",
        summary: "With `signatures.require: approvals` or `all`, the commit that introduced a record's current approval block must be signed G (good, allowed key) by a key whose allowed-signers principals match `approval.by`. An unsigned commit, a bad signature, an unknown key or a key listed for someone else: the approval does not count (error). An approval not committed yet does not count either, reported as a warning so that the commit bringing it in can pass the pre-commit hook. Silent with `require: none` and without git.",
        severity: .error,
        // Examples run without git, where the rule stays silent: the triggering cases are real-repository tests.
        triggering: [],
        nonTriggering: [RuleExample(["security/a.yaml": "kind: defect\nid: DEF-1\ntitle: A\nstatus: approved\nowner: a@example.com\napproval:\n  by: b@example.com\n  date: 2026-01-02\n  digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n"])])

    public func check(_ project: Project) -> [Finding] {
        guard project.configuration.signatures.require != .none, project.git != nil else { return [] }
        return project.records.compactMap { record in
            guard let approval = record.approval, let by = approval.by,
                  let why = SignedApproval.problem(for: record, in: project) else { return nil }
            // Not committed yet (the pre-commit hook checking the approval being committed): a warning, so the
            // commit can be made; once committed, the commit's signature decides, at error level.
            return Self.description.finding(record.path, record.node["approval"]?["by"]?.mark ?? approval.mark,
                                            "approval by \(by) does not count: \(why.reason) (signatures.require: \(project.configuration.signatures.require.rawValue))",
                                            record: record.id, severity: why.uncommitted ? .warning : nil)
        }
    }
}
