/// DM-4: accepting or deferring a defect is allowed only below the supplier's residual-risk
/// threshold (`policy.residual-risk`, a CVSS score) and only with a rationale: on the defect's
/// `disposition`, and on a release's `open-issues-reviewed` decisions.
public struct ResidualRiskRule: Rule {
    public init() {}
    static let config = RuleExample.defaultConfig + "policy:\n  residual-risk: 4.0\n"
    static let defect = TriageDeadlineRule.defect + "received: 2026-05-01\nanalysis: {state: exploitable}\n"
    static let low = "cvss: CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N\n"
    static let high = "cvss: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n"

    public static let description = RuleDescription(
        id: "residual-risk", name: "Residual risk (DM-4)",
        summary: "A defect accepted or deferred (its disposition, or a release's open-issues-reviewed decision) must have a CVSS score below policy.residual-risk and a rationale; without a threshold or a score, accepting risk cannot be judged and is an error.",
        severity: .error,
        triggering: [
            RuleExample([".evident.yml": config, "security/d.yaml": defect + high + "disposition: {decision: accepted, rationale: Internal network only.}\n"]),
            RuleExample([".evident.yml": config, "security/d.yaml": defect + low + "disposition: {decision: deferred}\n"]),
            RuleExample(["security/d.yaml": defect + low + "disposition: {decision: accepted, rationale: Physical access needed.}\n"]),
            RuleExample([".evident.yml": config, "security/d.yaml": defect + high,
                         "security/r.yaml": "kind: release\nid: REL-1\ntitle: R\nstatus: draft\nowner: a@example.com\nopen-issues-reviewed:\n  - defect: DEF-1\n    decision: deferred\n    rationale: Next release.\n"]),
        ],
        nonTriggering: [
            RuleExample([".evident.yml": config, "security/d.yaml": defect + low + "disposition: {decision: accepted, rationale: Physical access and high privileges needed.}\n"]),
            RuleExample([".evident.yml": config, "security/d.yaml": defect + high + "disposition: {decision: fix}\n"]),
        ])

    public func check(_ project: Project) -> [Finding] {
        let threshold = project.configuration.policy.residualRisk
        var findings: [Finding] = []
        func judge(_ defect: Record?, decision: String, rationale: String?, at record: Record, _ mark: Mark, label: String) {
            guard decision == "accepted" || decision == "deferred" else { return }
            if rationale?.trimmingCharacters(in: .whitespaces).isEmpty ?? true {
                findings.append(Self.description.finding(record.path, mark, "\(label) is \(decision) without a rationale (DM-4: say why the risk is tolerable)", record: record.id))
            }
            guard let defect, defect.kind == "defect" else { return }
            guard let threshold else {
                findings.append(Self.description.finding(record.path, mark, "\(label) is \(decision), but .evident.yml states no policy.residual-risk threshold to accept risk under (DM-4)", record: record.id))
                return
            }
            guard let score = DefectFacts(defect).score else {
                findings.append(Self.description.finding(record.path, mark, "\(label) is \(decision), but \(defect.label) has no valid CVSS vector to compare with the residual-risk threshold \(threshold)", record: record.id))
                return
            }
            if score >= threshold {
                findings.append(Self.description.finding(record.path, mark,
                    "\(label) is \(decision) with CVSS \(String(format: "%.1f", score)), not below the residual-risk threshold \(threshold) (policy.residual-risk): it must be fixed or mitigated", record: record.id))
            }
        }
        let byID = project.recordsByID
        for record in project.records {
            if record.kind == "defect", record.isCurrent, let disposition = record.node["disposition"], let decision = disposition["decision"]?.scalarString {
                judge(record, decision: decision, rationale: disposition["rationale"]?.scalarString, at: record, disposition["decision"]?.mark ?? disposition.mark, label: "the defect")
            }
            if record.kind == "release", record.isCurrent, case .sequence(let items, _)? = record.node["open-issues-reviewed"] {
                for item in items {
                    guard let decision = item["decision"]?.scalarString, let id = item["defect"]?.scalarString else { continue }
                    judge(byID[id], decision: decision, rationale: item["rationale"]?.scalarString, at: record, item["decision"]?.mark ?? item.mark, label: id)
                }
            }
        }
        return findings
    }
}
