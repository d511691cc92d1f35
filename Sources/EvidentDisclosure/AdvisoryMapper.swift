import EvidentCore
import Foundation
import Vulnerabilities

/// An advisory record and the defects it discloses as a CSAF 2.0 `csaf_security_advisory`. Every
/// problem that would make the document wrong or fail a mandatory test is a finding on the record
/// that causes it; the document is built only when there is none, and then checked by the CSAF checker.
struct AdvisoryMapper {
    let context: DisclosureContext

    func map(_ advisory: Record) -> Result<CSAFDocument, DisclosureRefused> {
        var findings: [Finding] = []
        let publicID = advisory.string("advisory-id") ?? advisory.id ?? advisory.path
        let publisher: CSAFDocument.Publisher
        switch context.publisher(fallbackURL: advisory.string("url")) {
        case .success(let p): publisher = p
        case .failure(let f):
            findings += f.findings
            publisher = CSAFDocument.Publisher(name: "", namespace: "")
        }
        let productNames = advisory.node["products"]?.stringItems.map(\.value) ?? []
        let names = productNames.isEmpty ? [context.configuration.productName] : productNames
        let purlBase = context.productPurlBase()

        // The defects, each with its versions.
        var defects: [(record: Record, affected: [VersionSpec], fixed: [VersionSpec])] = []
        var cves: [String: Record] = [:]
        for item in advisory.node["defects"]?.stringItems ?? [] {
            guard let defect = context.record(item.value), defect.kind == "defect" else {
                let existing = context.record(item.value).map { " (it is a \($0.kind ?? "record"))" } ?? ""
                findings.append(DisclosureRule.finding(advisory, item.mark, "the advisory discloses '\(item.value)', but no defect record has that id\(existing)"))
                continue
            }
            let label = defect.id ?? defect.path
            if let cve = defect.string("cve") {
                if let other = cves[cve] {
                    findings.append(DisclosureRule.finding(defect, defect.mark(of: "cve"), "\(cve) is also the CVE of \(other.id ?? other.path): one CSAF vulnerability per CVE"))
                }
                cves[cve] = defect
            } else {
                findings.append(DisclosureRule.finding(defect, defect.node.mark,
                                                       "\(label) is disclosed in \(advisory.id ?? publicID) but has no cve: request a CVE id before publishing (CSAF consumers match vulnerabilities by CVE)"))
            }
            if let cwe = defect.string("cwe"), CWECatalog.entry(cwe) == nil {
                findings.append(DisclosureRule.finding(defect, defect.mark(of: "cwe"), "\(cwe) is not a CWE (MITRE CWE \(CWECatalog.version) and earlier)"))
            }
            if let vector = defect.string("cvss"), case .failure(let error) = CVSSVector.parse(vector) {
                findings.append(DisclosureRule.finding(defect, defect.mark(of: "cvss"), "the CVSS vector cannot be scored: \(error)"))
            }
            let affected = specs(defect, "affected-versions", &findings)
            let fixed = specs(defect, "fixed-versions", &findings)
            contradictions(defect, affected: affected, fixed: fixed, &findings)
            defects.append((defect, affected.map(\.spec), fixed.map(\.spec)))
        }
        // The advisory's own version lists summarise its defects (one version may be fixed for one defect
        // and affected by another), so only their syntax is judged; the statuses come from each defect.
        _ = specs(advisory, "affected-versions", &findings)
        _ = specs(advisory, "fixed-versions", &findings)
        guard findings.isEmpty else { return .failure(DisclosureRefused(findings: findings)) }

        var document = CSAFDocument(category: .securityAdvisory, title: advisory.title ?? publicID, publisher: publisher,
                                    tracking: AdvisoryTracking.tracking(for: advisory, id: publicID, in: context))
        if let summary = advisory.string("summary") { document.notes.append(.init(category: "summary", title: "Summary", text: summary)) }
        if let resolution = advisory.string("resolution") { document.notes.append(.init(category: "general", title: "Resolution", text: resolution)) }
        if let url = advisory.string("url") { document.references.append(.init(category: "self", summary: "\(publicID) as published by \(publisher.name)", url: url)) }
        document.acknowledgments = advisory.node["acknowledgements"]?.stringItems.map(\.value) ?? []

        // Products: every advisory product in every version a defect names, in order of first mention.
        var specsInOrder: [VersionSpec] = []
        for defect in defects { for spec in defect.affected + defect.fixed where !specsInOrder.contains(spec) { specsInOrder.append(spec) } }
        for name in names {
            for spec in specsInOrder {
                let purl = spec.isRange ? nil : purlBase.map { "\($0)@\(spec.text)" }
                document.products.append(.init(id: DisclosureContext.productID(product: name, version: spec.text), vendor: publisher.name,
                                               productName: name, version: spec.text, isRange: spec.isRange, purl: purl))
            }
        }
        func ids(_ specs: [VersionSpec]) -> [String] {
            names.flatMap { name in specs.map { DisclosureContext.productID(product: name, version: $0.text) } }
        }
        for defect in defects {
            document.vulnerabilities.append(vulnerability(defect.record, affected: ids(defect.affected), fixed: ids(defect.fixed), advisory: advisory))
        }
        let problems = CSAFChecker().check(document.json)
        guard problems.isEmpty else {
            return .failure(DisclosureRefused(findings: problems.map {
                DisclosureRule.finding(advisory, advisory.node.mark, "the CSAF export of \(advisory.id ?? publicID) fails CSAF 2.0 test \($0.test) at \($0.pointer.isEmpty ? "/" : $0.pointer): \($0.message)")
            }))
        }
        return .success(document)
    }

    private func specs(_ record: Record, _ key: String, _ findings: inout [Finding]) -> [(spec: VersionSpec, mark: Mark)] {
        (record.node[key]?.stringItems ?? []).compactMap { item in
            guard let spec = VersionSpec.parse(item.value) else {
                findings.append(DisclosureRule.finding(record, item.mark, "'\(item.value)' is neither a version nor a range (\"<= 2.3.0\", \"2.0.0 - 2.3.0\")"))
                return nil
            }
            return (spec, item.mark)
        }
    }

    /// A version both affected and fixed: CSAF 6.1.6 (contradicting product status).
    private func contradictions(_ record: Record, affected: [(spec: VersionSpec, mark: Mark)], fixed: [(spec: VersionSpec, mark: Mark)], _ findings: inout [Finding]) {
        for f in fixed {
            if let a = affected.first(where: { $0.spec == f.spec || (!f.spec.isRange && $0.spec.contains(f.spec.text)) }) {
                findings.append(DisclosureRule.finding(record, f.mark, "version '\(f.spec.text)' is both affected (line \(a.mark.line)) and fixed: contradicting statuses"))
            }
        }
    }

    private func vulnerability(_ defect: Record, affected: [String], fixed: [String], advisory: Record) -> CSAFDocument.Vulnerability {
        var v = CSAFDocument.Vulnerability()
        v.cve = defect.string("cve")
        if let id = defect.id { v.ids = [(system: "\(context.configuration.vendor ?? "vendor") defect", text: id)] }
        v.cwe = defect.string("cwe").flatMap(CWECatalog.entry)
        v.title = defect.title
        v.discoveryDate = DisclosureContext.timestamp(day: defect.string("received"))
        v.releaseDate = DisclosureContext.timestamp(day: advisory.string("published"))
        if let description = defect.string("description") { v.notes.append(.init(category: "description", title: "Description", text: description)) }
        let state = defect.node["analysis"]?["state"]?.scalarString ?? "in_triage"
        switch state {
        case "not_affected", "false_positive":
            v.knownNotAffected = affected
            let justification = defect.node["analysis"]?["justification"]?.scalarString.flatMap(VEXDocument.Justification.init(rawValue:))
            if let justification, !affected.isEmpty { v.flags.append(.init(label: justification.openVEX, products: affected)) }
            let detail = defect.node["analysis"]?["detail"]?.scalarString ?? (state == "false_positive" ? "False positive." : "Not affected.")
            if !affected.isEmpty { v.threats.append(.init(category: "impact", details: detail, products: affected)) }
        case "in_triage":
            v.underInvestigation = affected
        default:
            v.knownAffected = affected
        }
        v.fixed = fixed
        if let vector = defect.string("cvss"), case .success(let parsed) = CVSSVector.parse(vector), !v.knownAffected.isEmpty {
            if parsed.version == .v4_0 {
                let score = parsed.baseScore.map { " Its score, computed by evident from the vector, is \($0) (\(CVSSVector.severity(of: $0)))." } ?? ""
                v.notes.append(.init(category: "other", title: "CVSS v4.0",
                                     text: "CVSS v4.0 vector: \(vector).\(score) CSAF 2.0 carries CVSS v2 and v3 scores only, so the v4.0 assessment is given here."))
            } else {
                v.scores.append(.init(vector: parsed, vectorString: vector, products: v.knownAffected))
            }
        }
        if !v.knownAffected.isEmpty {
            if let resolution = advisory.string("resolution"), !fixed.isEmpty || defect.node["fixed-versions"] != nil {
                v.remediations.append(.init(category: "vendor_fix", details: resolution, products: v.knownAffected, url: advisory.string("url")))
            } else if let resolution = advisory.string("resolution") {
                v.remediations.append(.init(category: "mitigation", details: resolution, products: v.knownAffected))
            }
            for workaround in advisory.node["workarounds"]?.stringItems ?? [] {
                v.remediations.append(.init(category: "workaround", details: workaround.value, products: v.knownAffected))
            }
        }
        if let reporter = defect.node["reported-by"], let name = reporter["name"]?.scalarString {
            v.acknowledgments.append((names: [name], organization: reporter["organisation"]?.scalarString, summary: "Reported \(defect.title.map { "'\($0)'" } ?? "the issue") to \(context.configuration.vendor ?? "the vendor")."))
        }
        if let cve = v.cve { v.references.append(.init(summary: cve, url: "https://www.cve.org/CVERecord?id=\(cve)")) }
        return v
    }
}
