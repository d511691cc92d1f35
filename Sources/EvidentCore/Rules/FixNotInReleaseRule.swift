/// A defect's fix claimed for a release must be in that release: `fixed-in` an ancestor of the release tag.
public struct FixNotInReleaseRule: Rule {
    public init() {}
    public static let reads = RuleReads.git
    public static let description = RuleDescription(
        id: "fix-not-in-release", name: "Fix not in the release claiming it",
        summary: "A defect is claimed fixed in a release (a security-update lists it in `fixes` and names the release record in `release`, or a release's `open-issues-reviewed` marks it `fixed`), but its `fixed-in` commit is not an ancestor of that release's `tag`. Judged only when both resolve (git-reference reports those that do not); silent without git.",
        severity: .error,
        // Examples run without git, where the rule stays silent: the triggering cases are real-repository tests.
        triggering: [],
        nonTriggering: [RuleExample([
            "security/d.yaml": "kind: defect\nid: DEF-1\ntitle: A\nstatus: draft\nowner: a@example.com\nfixed-in: v1.1\n",
            "security/r.yaml": "kind: release\nid: REL-1\ntitle: R\nstatus: draft\nowner: a@example.com\ntag: v1.0\nopen-issues-reviewed:\n  - defect: DEF-1\n    decision: fixed\n",
        ])])

    /// A claim that a defect's fix ships in a release, and where the claim was written.
    struct Claim { var defect: String; var release: String; var record: Record; var mark: Mark }

    static func claims(in project: Project) -> [Claim] {
        var claims: [Claim] = []
        for record in project.records {
            if record.kind == "security-update", let release = record.string("release") {
                for fix in record.node["fixes"]?.stringItems ?? [] {
                    claims.append(Claim(defect: fix.value, release: release, record: record, mark: fix.mark))
                }
            }
            if record.kind == "release", let id = record.id, case .sequence(let items, _)? = record.node["open-issues-reviewed"] {
                for item in items where item["decision"]?.scalarString == "fixed" {
                    if let defect = item["defect"] {
                        defect.scalarString.map { claims.append(Claim(defect: $0, release: id, record: record, mark: defect.mark)) }
                    }
                }
            }
        }
        return claims
    }

    public func check(_ project: Project) -> [Finding] {
        guard let git = project.git else { return [] }
        let byID = project.recordsByID
        var findings: [Finding] = []
        var judged = Set<String>()
        for claim in Self.claims(in: project) {
            guard let defect = byID[claim.defect], defect.kind == "defect", let fix = defect.string("fixed-in"),
                  let release = byID[claim.release], release.kind == "release", let tag = release.string("tag"),
                  let fixCommit = git.resolveCommit(fix), let tagCommit = git.tagCommit(tag),
                  judged.insert("\(claim.record.path)|\(claim.defect)|\(claim.release)").inserted else { continue }
            if !git.isAncestor(fixCommit, of: tagCommit) {
                var message = "\(claim.defect) is claimed fixed in \(claim.release), but its fix \(fix) (fixed-in) is not an ancestor of the release tag \(tag)"
                if let note = git.historyNote { message += "; \(note)" }
                findings.append(Self.description.finding(claim.record.path, claim.mark, message, record: claim.record.id))
            }
        }
        return findings
    }
}
