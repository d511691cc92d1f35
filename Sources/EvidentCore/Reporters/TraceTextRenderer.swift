/// Threat by threat: the mitigating requirements, the tests, and each gap.
public struct TraceTextRenderer: TraceRenderer {
    public init() {}

    public func render(_ report: TraceReport) -> String {
        var out = "\(report.product): threats -> security requirements -> tests\n"
        for threat in report.threats {
            out += "\n\(threat.record) \(threat.id)  \(threat.status)  \(threat.title)\n"
            out += "  requirements: \(threat.requirements.isEmpty ? "none" : threat.requirements.map(\.id).joined(separator: ", "))\n"
            out += "  tests:        \(threat.tests.isEmpty ? "none" : threat.tests.map(\.summary).joined(separator: ", "))\n"
            for gap in threat.gaps { out += "  gap: \(gap)\n" }
        }
        if !report.requirementsWithoutThreat.isEmpty {
            out += "\nsecurity requirements no threat needs: \(report.requirementsWithoutThreat.joined(separator: ", "))\n"
        }
        out += "\n\(report.threats.count) threat\(report.threats.count == 1 ? "" : "s"), \(report.gapCount) gap\(report.gapCount == 1 ? "" : "s")\n"
        return out
    }
}
