/// SVV-1 to SVV-4: a test report counts when it says what was tested (the revision) and how it
/// ended (a verdict).
struct TestVerdictAndRevision: EvidenceCondition {
    static let name = "test-verdict-and-revision"
    static let requirements: Set<String> = ["SVV-1", "SVV-2", "SVV-3", "SVV-4"]
    static let kinds: Set<String> = ["test-report"]

    func unmet(by record: Record, in project: Project) -> String? {
        var missing: [String] = []
        if record.string("tested-revision") == nil { missing.append("tested-revision (the commit or tag tested)") }
        if record.node["summary"]?["verdict"]?.scalarString == nil { missing.append("summary.verdict (pass, pass-with-findings or fail)") }
        return missing.isEmpty ? nil : "no \(missing.joined(separator: " and no ")); add \(missing.count == 1 ? "it" : "them")"
    }
}
