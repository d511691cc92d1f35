/// SUM-1: a security update is shown to fix its issue without regressions: the regression run
/// passed and the qualifying test reports are named.
struct UpdateQualified: EvidenceCondition {
    static let name = "update-qualified"
    static let requirements: Set<String> = ["SUM-1"]
    static let kinds: Set<String> = ["security-update"]

    func unmet(by record: Record, in project: Project) -> String? {
        let qualification = record.node["qualification"]
        let regression = qualification?["regression"]?.scalarString ?? "not stated"
        if (qualification?["test-reports"]?.stringItems ?? []).isEmpty { return "no qualifying test report is named; list them in qualification.test-reports" }
        if regression != "passed" { return "the regression run is '\(regression)'; qualify the update with a passing regression run (qualification.regression: passed)" }
        return nil
    }
}
