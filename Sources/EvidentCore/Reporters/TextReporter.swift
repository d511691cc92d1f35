/// `path:line:column: error|warning: [rule] message`, one line per finding, then a summary line.
public struct TextReporter: Reporter {
    public init() {}

    public func render(_ report: CheckReport, context: ReportContext) -> String {
        var out = ""
        for finding in report.findings {
            let severity = finding.severity.rawValue
            let colour = finding.severity == .error ? "1;31" : finding.severity == .warning ? "1;33" : "1;36"
            let painted = context.useColor ? "\u{1B}[\(colour)m\(severity)\u{1B}[0m" : severity
            out += "\(finding.path):\(finding.line):\(finding.column): \(painted): [\(finding.rule)] \(finding.message)\n"
        }
        let records = report.recordCount == 1 ? "1 record" : "\(report.recordCount) records"
        out += "\(records) checked: \(report.errorCount) error\(report.errorCount == 1 ? "" : "s"), \(report.warningCount) warning\(report.warningCount == 1 ? "" : "s")"
        if report.noteCount > 0 { out += ", \(report.noteCount) note\(report.noteCount == 1 ? "" : "s")" }
        out += "\n"
        return out
    }
}
