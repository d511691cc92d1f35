/// SBOM completeness under a named profile (`sbom-quality` in `.evident.yml`: `ntia`, the default,
/// `bsi-tr-03183-2` or `none`): one finding per element that components lack, counted ("131 of 131
/// components have no supplier"), one per document element missing, and the score. Warnings unless
/// `.evident.yml` sets `severity: error`. Validity (is it CycloneDX or SPDX at all) is
/// `sbom-document`'s; this rule only says how complete a valid SBOM is.
public struct SBOMQualityRule: Rule {
    public init() {}
    public static let reads = RuleReads.files

    static let incomplete = #"{"type": "library", "name": "zlib", "version": "1.3.1", "purl": "pkg:github/madler/zlib@v1.3.1"}"#
    static func complete(_ component: String = SBOMDocumentRule.component) -> String {
        #"{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "metadata": {"timestamp": "2026-01-01T00:00:00Z", "authors": [{"name": "Build", "email": "build@example.com"}]}, "components": ["#
            + component + #"], "dependencies": [{"ref": "gateway", "dependsOn": ["zlib"]}]}"# + "\n"
    }

    public static let description = RuleDescription(
        id: "sbom-quality", name: "SBOM completeness",
        summary: "An SBOM lacks elements of its quality profile (NTIA minimum elements by default; BSI TR-03183-2 as an option): counted per element, with a 0-10 score.",
        severity: .warning,
        triggering: [
            RuleExample(["security/sbom/a.yaml": SBOMDocumentRule.record, "sbom/gateway.cdx.json": SBOMDocumentRule.cyclonedx()]),
            RuleExample(["security/sbom/a.yaml": SBOMDocumentRule.record, "sbom/gateway.cdx.json": complete(incomplete)]),
            RuleExample(["security/sbom/a.yaml": SBOMDocumentRule.record, "sbom/gateway.cdx.json": complete(),
                         ".evident.yml": RuleExample.defaultConfig + "sbom-quality:\n  profile: bsi-tr-03183-2\n"]),
        ],
        nonTriggering: [
            RuleExample(["security/sbom/a.yaml": SBOMDocumentRule.record, "sbom/gateway.cdx.json": complete()]),
            RuleExample(["security/sbom/a.yaml": SBOMDocumentRule.record, "sbom/gateway.cdx.json": SBOMDocumentRule.cyclonedx(),
                         ".evident.yml": RuleExample.defaultConfig + "sbom-quality: none\n"]),
            // A missing document is sbom-document's to report.
            RuleExample(["security/sbom/a.yaml": SBOMDocumentRule.record]),
        ])

    public func check(_ project: Project) -> [Finding] {
        let profile = project.configuration.sbomQuality
        guard profile != .none else { return [] }
        let severity = project.configuration.sbomQualitySeverity
        var findings: [Finding] = []
        var done = Set<String>()
        for record in project.records where record.kind == "sbom" {
            guard case .success(let path) = SBOMDocument.path(for: record), done.insert(path).inserted,
                  case .success(let document) = project.sbomDocument(path), document.format != nil else { continue }
            let report = document.quality(profile)
            guard !report.isComplete else { continue }
            let rule = Self.description
            let suffix = " (\(profile.displayName); sbom-quality in .evident.yml)"
            let at = Mark(line: 1, column: 1)
            for element in report.componentElements where element.missing > 0 {
                let message = "\(element.missing) of \(report.components) component\(report.components == 1 ? "" : "s") \(element.missing == 1 ? "has" : "have") no \(element.name)\(suffix)"
                findings.append(rule.finding(document.path, at, message, record: record.id, severity: severity))
            }
            for element in report.documentElements where !element.present {
                findings.append(rule.finding(document.path, at, "the SBOM names no \(element.name)\(suffix)", record: record.id, severity: severity))
            }
            let score = String(format: "%.1f", report.score)
            findings.append(rule.finding(document.path, at, "SBOM quality score \(score)/10 under \(profile.displayName)", record: record.id, severity: severity))
        }
        return findings
    }
}
