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
            Self.append(finding.line, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            Self.append(finding.column, to: &bytes)
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

    /// A number in decimal, as `"\(number)"` writes it.
    static func append(_ number: Int, to bytes: inout [UInt8]) {
        guard number > 0 else {
            bytes.append(contentsOf: String(number).utf8)
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                      UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = number
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            }
            bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }
}
