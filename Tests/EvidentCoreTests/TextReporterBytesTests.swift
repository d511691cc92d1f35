import Testing
@testable import EvidentCore

/// The text report is written as bytes; these hold it to the interpolated lines it replaced.
struct TextReporterBytesTests {
    private func reference(_ report: CheckReport, color: Bool) -> String {
        var out = ""
        for finding in report.findings {
            let severity = finding.severity.rawValue
            let colour = finding.severity == .error ? "1;31" : finding.severity == .warning ? "1;33" : "1;36"
            let painted = color ? "\u{1B}[\(colour)m\(severity)\u{1B}[0m" : severity
            out += "\(finding.path):\(finding.line):\(finding.column): \(painted): [\(finding.rule)] \(finding.message)\n"
        }
        return out
    }

    @Test func sameLinesAsInterpolation() {
        var findings: [Finding] = []
        let numbers = [0, 1, 9, 10, 99, 100, 12_345, Int(Int32.max), -3]
        let severities: [Severity] = [.error, .warning, .note]
        for (index, number) in numbers.enumerated() {
            findings.append(Finding(rule: "rule-\(index)", severity: severities[index % 3], path: "security/ü/\(index).yaml",
                                    line: number, column: numbers[(index + 3) % numbers.count], message: "message ✓ \"\(index)\"\ttab"))
        }
        let report = CheckReport(findings: findings, recordCount: 3)
        for color in [false, true] {
            let text = TextReporter().render(report, context: ReportContext(toolVersion: "t", useColor: color))
            let lines = reference(report, color: color)
            #expect(text.hasPrefix(lines))
            #expect(text.dropFirst(lines.count).hasPrefix("3 records checked: "))
        }
    }
}
