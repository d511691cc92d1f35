/// Once a release's tag exists, the auditor looking at the tag must see the release gate approved.
public struct ReleaseGateRule: Rule {
    public init() {}
    public static let reads = RuleReads.git
    public static let description = RuleDescription(
        id: "release-gate", name: "Release tag without its approved gate",
        summary: "A release record's `tag` exists, but the commit it points at does not hold the release record approved (status approved, approval matching the content there): the tag was made before the gate was approved, or on a commit that does not contain the approval. An error; a warning while the approval is not committed yet (commit it, then move the tag). Until the tag exists, git-reference warns that it is not created yet. Silent for superseded and retired releases, and without git.",
        severity: .error,
        // Examples run without git, where the rule stays silent: the triggering cases are real-repository tests.
        triggering: [],
        nonTriggering: [RuleExample([
            "security/r.yaml": "kind: release\nid: REL-1\ntitle: R\nstatus: draft\nowner: a@example.com\nversion: \"1.0\"\ntag: v1.0\ndate: 2026-01-02\nopen-issues-reviewed: []\nprocess-verification: {}\n",
        ])])

    public func check(_ project: Project) -> [Finding] {
        guard let git = project.git else { return [] }
        var findings: [Finding] = []
        for record in project.records where record.kind == "release" && record.isCurrent {
            guard let tag = record.string("tag"), let tagCommit = git.tagCommit(tag) else { continue }
            let atTag = git.node(path: record.path, atCommit: tagCommit).map { Record(path: record.path, node: $0) }
            if let atTag, atTag.isApprovedAndCurrent { continue }
            let short = String(tagCommit.prefix(12))
            let there: String
            if let atTag {
                there = atTag.status == .approved ? "its approval there is stale" : "it is \(atTag.string("status") ?? "without a status") there"
            } else {
                there = "\(record.path) is not in that commit"
            }
            let mark = record.mark(of: "tag")
            let label = record.label
            guard record.isApprovedAndCurrent, let approval = record.approval else {
                findings.append(Self.description.finding(
                    record.path, mark,
                    "tag \(tag) exists (\(short)) but \(label) is not approved at it (\(there)): approve the gate ('evident approve \(label)'), commit, then move the tag onto that commit ('git tag -f \(tag) HEAD')",
                    record: record.id))
                continue
            }
            if let introduced = git.approvalCommit(path: record.path, approval: approval) {
                findings.append(Self.description.finding(
                    record.path, mark,
                    "tag \(tag) points at \(short), where \(label) is not approved (\(there)); its approval was committed in \(introduced.id.prefix(12)): move the tag onto that commit or a later one ('git tag -f \(tag) \(introduced.id.prefix(12))')",
                    record: record.id))
            } else {
                findings.append(Self.description.finding(
                    record.path, mark,
                    "tag \(tag) already exists (\(short)) without this approval of \(label) (\(there)): commit the approval, then move the tag onto that commit ('git tag -f \(tag) HEAD')",
                    record: record.id, severity: .warning))
            }
        }
        return findings
    }
}
