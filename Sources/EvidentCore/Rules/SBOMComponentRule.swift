import Vulnerabilities

/// Every `risk-handling[].component` of an sbom record must name a purl its SBOM document lists;
/// with `risk-handling-required: true`, every component of the SBOM should have a decision.
public struct SBOMComponentRule: Rule {
    public init() {}
    public static let reads = RuleReads.files

    /// At most this many unhandled components are named per record; a last warning counts the rest.
    static let maxUnhandledPerRecord = 50

    static let otherComponent = #"{"type": "library", "name": "lwip", "version": "2.2.0", "supplier": {"name": "lwIP"}, "purl": "pkg:github/lwip-tcpip/lwip@STABLE-2_2_0_RELEASE"}"#

    public static let description = RuleDescription(
        id: "sbom-component", name: "SBOM component",
        summary: "A risk-handling entry names a purl its SBOM document does not list (error); with 'risk-handling-required: true', a component of the SBOM has no risk-handling entry (warning).",
        severity: .error,
        triggering: [
            RuleExample(["security/sbom/a.yaml": SBOMDocumentRule.record.replacingOccurrences(of: "zlib@v1.3.1", with: "zlib@v1.2.13"),
                         "sbom/gateway.cdx.json": SBOMDocumentRule.cyclonedx()]),
            RuleExample(["security/sbom/a.yaml": SBOMDocumentRule.record + "risk-handling-required: true\n",
                         "sbom/gateway.cdx.json": SBOMDocumentRule.cyclonedx(component: SBOMDocumentRule.component + ", " + otherComponent)]),
        ],
        nonTriggering: [
            RuleExample(["security/sbom/a.yaml": SBOMDocumentRule.record, "sbom/gateway.cdx.json": SBOMDocumentRule.cyclonedx()]),
            RuleExample(["security/sbom/a.yaml": SBOMDocumentRule.record,
                         "sbom/gateway.cdx.json": SBOMDocumentRule.cyclonedx(component: SBOMDocumentRule.component + ", " + otherComponent)]),
            RuleExample(["security/sbom/a.yaml": SBOMDocumentRule.record.replacingOccurrences(of: "format: cyclonedx", with: "format: spdx") + "risk-handling-required: true\n",
                         "sbom/gateway.cdx.json": SBOMDocumentRule.spdx]),
            // Qualifiers are an unordered set (and the type is case-insensitive).
            RuleExample(["security/sbom/a.yaml": SBOMDocumentRule.record.replacingOccurrences(of: "pkg:github/madler/zlib@v1.3.1", with: "pkg:GitHub/madler/zlib@v1.3.1?os=linux&arch=arm64"),
                         "sbom/gateway.cdx.json": SBOMDocumentRule.cyclonedx(component: SBOMDocumentRule.component.replacingOccurrences(of: "zlib@v1.3.1\"", with: "zlib@v1.3.1?arch=arm64&os=linux\""))]),
            // A missing document is sbom-document's to report.
            RuleExample(["security/sbom/a.yaml": SBOMDocumentRule.record]),
        ])

    public func check(_ project: Project) -> [Finding] {
        let rule = Self.description
        var findings: [Finding] = []
        // Many records may describe one document: its components are read and its purls put in
        // canonical form once.
        var canonicalForms: [String: (listed: Set<String>, canonical: Set<String>, components: [SBOMComponent], canonicalComponents: [String?])] = [:]
        for record in project.records where record.kind == "sbom" {
            guard case .success(let path) = SBOMDocument.path(for: record),
                  case .success(let document) = project.sbomDocument(path), document.format != nil else { continue }
            let forms = canonicalForms[document.path] ?? {
                let listed = project.sbomPurls(document)
                let components = document.components
                let made = (listed: listed, canonical: Set(listed.map(PackageURL.canonical)), components: components,
                            canonicalComponents: components.map { $0.purl.map(PackageURL.canonical) })
                canonicalForms[document.path] = made
                return made
            }()
            let listed = forms.listed, canonicalListed = forms.canonical
            var handled = Set<String>()
            if case .sequence(let entries, _)? = record.node["risk-handling"] {
                for entry in entries {
                    guard let purl = entry["component"]?.scalarString else { continue }
                    let canonical = PackageURL.canonical(purl)
                    handled.insert(canonical)
                    if !canonicalListed.contains(canonical) {
                        let hint = PurlSuggestion.closest(to: purl, in: Array(listed)).map { "; did you mean '\($0)'?" } ?? ""
                        findings.append(rule.finding(record.path, entry["component"]?.mark ?? entry.mark,
                                                     "component '\(purl)' is not in the SBOM \(document.path)\(hint)", record: record.id))
                    }
                }
            }
            guard record.string("risk-handling-required")?.lowercased() == "true" else { continue }
            let at = record.mark(of: "risk-handling")
            var unhandled = 0
            for (component, canonical) in zip(forms.components, forms.canonicalComponents) {
                let message: String
                if let purl = component.purl, let canonical {
                    guard !handled.contains(canonical) else { continue }
                    message = "component '\(purl)' of \(document.path) has no risk-handling entry (risk-handling-required is true)"
                } else {
                    message = "component \(component.label) at \(document.path)#\(component.pointer) has no purl, so no risk-handling entry can name it"
                }
                unhandled += 1
                if unhandled <= Self.maxUnhandledPerRecord {
                    findings.append(rule.finding(record.path, at, message, record: record.id, severity: .warning))
                }
            }
            if unhandled > Self.maxUnhandledPerRecord {
                findings.append(rule.finding(record.path, at, "\(unhandled - Self.maxUnhandledPerRecord) more components of \(document.path) have no risk-handling entry", record: record.id, severity: .warning))
            }
        }
        return findings
    }
}
