/// `path:line:column: error|warning: [rule] message`, one line per finding, then a summary line.
public struct TextReporter: Reporter {
    public init() {}

    public func render(_ report: CheckReport, context: ReportContext) -> String {
        // Bytes appended, not a string interpolated per line: template records give thousands of
        // findings (8,600 for 2,000 records), and interpolation was a tenth of such a check.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(report.findings.count * 120 + 128)
        for finding in report.findings {
            let severity = finding.severity.rawValue
            bytes.append(contentsOf: finding.path.utf8)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: String(finding.line).utf8)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: String(finding.column).utf8)
            bytes.append(contentsOf: ": ".utf8)
            if context.useColor {
                let colour = finding.severity == .error ? "1;31" : finding.severity == .warning ? "1;33" : "1;36"
                bytes.append(contentsOf: "\u{1B}[\(colour)m\(severity)\u{1B}[0m".utf8)
            } else {
                bytes.append(contentsOf: severity.utf8)
            }
            bytes.append(contentsOf: ": [".utf8)
            bytes.append(contentsOf: finding.rule.utf8)
            bytes.append(contentsOf: "] ".utf8)
            bytes.append(contentsOf: finding.message.utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        var out = String(decoding: bytes, as: UTF8.self)
        let records = report.recordCount == 1 ? "1 record" : "\(report.recordCount) records"
        out += "\(records) checked: \(report.errorCount) error\(report.errorCount == 1 ? "" : "s"), \(report.warningCount) warning\(report.warningCount == 1 ? "" : "s")"
        if report.noteCount > 0 { out += ", \(report.noteCount) note\(report.noteCount == 1 ? "" : "s")" }
        out += "\n"
        return out
    }
}
