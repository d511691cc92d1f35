/// DM-5: an advisory discloses what is affected, how severe and how to resolve it: it names the
/// defects it discloses, each rated (CVSS vector or rating), the affected versions and a resolution.
struct AdvisoryContent: EvidenceCondition {
    static let name = "advisory-content"
    static let requirements: Set<String> = ["DM-5"]
    static let kinds: Set<String> = ["advisory"]

    func unmet(by record: Record, in project: Project) -> String? {
        let defects = (record.node["defects"]?.stringItems ?? []).map(\.value)
        var missing: [String] = []
        if defects.isEmpty { missing.append("the defects it discloses (defects:)") }
        if (record.node["affected-versions"]?.stringItems ?? []).isEmpty { missing.append("affected-versions") }
        if record.string("resolution") == nil { missing.append("a resolution") }
        if !missing.isEmpty { return "it does not name \(missing.joined(separator: ", ")); add \(missing.count == 1 ? "it" : "them")" }
        let unrated = defects.filter { id in
            guard let defect = project.recordsByID[id] else { return true }
            return defect.string("cvss") == nil && defect.string("rating") == nil && defect.string("severity") == nil
        }
        return unrated.isEmpty ? nil : "disclosed defect\(unrated.count == 1 ? "" : "s") \(unrated.joined(separator: ", ")) \(unrated.count == 1 ? "has" : "have") no severity (cvss or rating) or no record"
    }
}
