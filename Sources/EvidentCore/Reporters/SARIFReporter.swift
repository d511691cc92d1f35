import Foundation

/// SARIF 2.1.0 for code-scanning UIs (GitHub code scanning, GitLab, VS Code SARIF viewer): one run,
/// every rule evident knows in the driver, one result per finding located relative to `%SRCROOT%`.
public struct SARIFReporter: Reporter {
    public static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    public static let informationURI = "https://github.com/evident-sdl/evident"

    public init() {}

    public func render(_ report: CheckReport, context: ReportContext) -> String {
        var descriptions = context.rules
        // A finding whose rule the context does not list still gets a rule, so ruleIndex always resolves.
        for id in report.findings.map(\.rule) where !descriptions.contains(where: { $0.id == id }) {
            let severity = report.findings.first { $0.rule == id }?.severity ?? .error
            descriptions.append(RuleDescription(id: id, name: id, summary: "Findings of rule \(id).", severity: severity, triggering: [], nonTriggering: []))
        }
        var indexByID: [String: Int] = [:]
        for (index, rule) in descriptions.enumerated() where indexByID[rule.id] == nil { indexByID[rule.id] = index }
        let rules: [[String: Any]] = descriptions.map { rule in
            [
                "id": rule.id,
                "name": Self.pascalCase(rule.name),
                "shortDescription": ["text": rule.name],
                "fullDescription": ["text": rule.summary],
                "help": ["text": "\(rule.summary) Rule \(rule.id); default level \(rule.severity.rawValue).",
                         "markdown": "**\(rule.name)** (`\(rule.id)`)\n\n\(rule.summary)"],
                "defaultConfiguration": ["level": rule.severity.rawValue],
            ]
        }
        let results: [[String: Any]] = report.findings.map { finding in
            var result: [String: Any] = [
                "ruleId": finding.rule, "level": finding.severity.rawValue,
                "message": ["text": finding.message],
                "locations": [["physicalLocation": [
                    "artifactLocation": ["uri": Self.relativeURI(finding.path), "uriBaseId": "%SRCROOT%"],
                    "region": ["startLine": max(1, finding.line), "startColumn": max(1, finding.column)],
                ]]],
            ]
            if let index = indexByID[finding.rule] { result["ruleIndex"] = index }
            if let record = finding.record { result["properties"] = ["record": record] }
            return result
        }
        return JSONOutput.string([
            "$schema": Self.schemaURI,
            "version": "2.1.0",
            "runs": [[
                "tool": ["driver": [
                    "name": "evident", "version": context.toolVersion, "semanticVersion": context.toolVersion,
                    "informationUri": Self.informationURI, "rules": rules,
                ]],
                "columnKind": "unicodeCodePoints",
                "results": results,
            ]],
        ] as [String: Any])
    }

    /// "Stale approval" -> "StaleApproval": SARIF rule names are identifiers.
    static func pascalCase(_ text: String) -> String {
        text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// A repository path as a relative URI reference (spaces, `%`, `#`, `?` percent-encoded).
    static func relativeURI(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "%#?;")
        let encoded = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
        return encoded.hasPrefix("/") ? String(encoded.drop { $0 == "/" }) : encoded
    }
}
