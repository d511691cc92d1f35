import Foundation

/// `{"version":1,"findings":[...],"summary":{...}}` as PRODUCT.md fixes it, plus the records read.
public struct JSONReporter: Reporter {
    public init() {}

    public func render(_ report: CheckReport, context: ReportContext) -> String {
        let findings: [[String: Any]] = report.findings.map { finding in
            [
                "rule": finding.rule, "severity": finding.severity.rawValue, "path": finding.path,
                "line": finding.line, "column": finding.column, "message": finding.message,
                "record": finding.record ?? NSNull(),
            ]
        }
        let records: [[String: Any]] = report.records.map { record in
            ["id": record.id, "kind": record.kind, "title": record.title, "path": record.path, "status": record.status,
             "attribution": JSONOutput.attribution(record.attribution)]
        }
        return JSONOutput.string([
            "version": 1,
            "findings": findings,
            "records": records,
            "summary": ["records": report.recordCount, "errors": report.errorCount, "warnings": report.warningCount, "notes": report.noteCount],
        ] as [String: Any])
    }
}
