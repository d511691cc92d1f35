/// One table row per threat, for pull-request comments and wikis.
public struct TraceMarkdownRenderer: TraceRenderer {
    public init() {}

    public func render(_ report: TraceReport) -> String {
        var out = "# \(report.product): traceability\n\n\(report.threats.count) threats, \(report.gapCount) gaps.\n\n"
        out += "| Threat | Title | Status | Requirements | Tests | Gaps |\n|---|---|---|---|---|---|\n"
        for threat in report.threats {
            out += "| \(cell("\(threat.record) \(threat.id)")) | \(cell(threat.title)) | \(threat.status) | \(cell(threat.requirements.map(\.id).joined(separator: ", "))) | \(cell(threat.tests.map(\.summary).joined(separator: ", "))) | \(cell(threat.gaps.joined(separator: "; "))) |\n"
        }
        if !report.requirementsWithoutThreat.isEmpty {
            out += "\nSecurity requirements no threat needs: \(report.requirementsWithoutThreat.joined(separator: ", ")).\n"
        }
        return out
    }

    private func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
