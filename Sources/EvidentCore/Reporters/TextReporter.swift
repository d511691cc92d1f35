/// `path:line:column: error|warning: [rule] message`, one line per finding, then a summary line.
public struct TextReporter: Reporter {
    public init() {}

    public func render(_ report: CheckReport, context: ReportContext) -> String {
        var out = ""
        for finding in report.findings {
            let severity = finding.severity.rawValue
            let painted = context.useColor ? (finding.severity == .error ? "\u{1B}[1;31m\(severity)\u{1B}[0m" : "\u{1B}[1;33m\(severity)\u{1B}[0m") : severity
            out += "\(finding.path):\(finding.line):\(finding.column): \(painted): [\(finding.rule)] \(finding.message)\n"
        }
        let records = report.recordCount == 1 ? "1 record" : "\(report.recordCount) records"
        out += "\(records) checked: \(report.errorCount) error\(report.errorCount == 1 ? "" : "s"), \(report.warningCount) warning\(report.warningCount == 1 ? "" : "s")\n"
        return out
    }
}
