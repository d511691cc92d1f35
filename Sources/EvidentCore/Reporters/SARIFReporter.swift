/// SARIF 2.1.0 for code-scanning UIs.
public struct SARIFReporter: Reporter {
    public init() {}

    public func render(_ report: CheckReport, context: ReportContext) -> String {
        let rules: [[String: Any]] = context.rules.map { rule in
            [
                "id": rule.id, "name": rule.name.replacingOccurrences(of: " ", with: ""),
                "shortDescription": ["text": rule.name], "fullDescription": ["text": rule.summary],
                "help": ["text": rule.summary],
                "defaultConfiguration": ["level": rule.severity.rawValue],
            ]
        }
        let results: [[String: Any]] = report.findings.map { finding in
            [
                "ruleId": finding.rule, "level": finding.severity.rawValue,
                "message": ["text": finding.message],
                "locations": [["physicalLocation": [
                    "artifactLocation": ["uri": finding.path, "uriBaseId": "%SRCROOT%"],
                    "region": ["startLine": max(1, finding.line), "startColumn": max(1, finding.column)],
                ]]],
            ]
        }
        return JSONOutput.string([
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [[
                "tool": ["driver": ["name": "evident", "version": context.toolVersion, "informationUri": "https://github.com/evident-sdl/evident", "rules": rules]],
                "results": results,
            ]],
        ] as [String: Any])
    }
}
