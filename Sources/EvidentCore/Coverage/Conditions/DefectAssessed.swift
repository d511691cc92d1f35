/// DM-3: a defect shows its impact assessed: a CVSS vector, the affected versions, and once it is
/// triaged past `in_triage`, the analysis of its state (CycloneDX vocabulary) with a root cause
/// when it is exploitable and fixed.
struct DefectAssessed: EvidenceCondition {
    static let name = "defect-assessed"
    static let requirements: Set<String> = ["DM-3"]
    static let kinds: Set<String> = ["defect"]

    func unmet(by record: Record, in project: Project) -> String? {
        var missing: [String] = []
        if record.string("cvss") == nil { missing.append("a cvss vector") }
        if (record.node["affected-versions"]?.stringItems ?? []).isEmpty { missing.append("affected-versions") }
        let state = record.node["analysis"]?["state"]?.scalarString
        if state == nil || state == "in_triage" { missing.append("an analysis state beyond in_triage") }
        if state == "resolved" || state == "exploitable", record.string("fixed-in") != nil, record.node["root-cause"] == nil {
            missing.append("the root cause of the fixed defect")
        }
        return missing.isEmpty ? nil : "the assessment lacks \(missing.joined(separator: ", ")); add \(missing.count == 1 ? "it" : "them")"
    }
}
