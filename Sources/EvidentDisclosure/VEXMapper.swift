import EvidentCore
import Foundation
import GitKit
import Vulnerabilities

/// Every defect's status for the product's versions, as a format-neutral `VEXDocument` (and, from it,
/// a CSAF VEX). The versions are the release's (with `--release`) or every version the release records
/// and the defects name exactly (ranges are matched against the release versions).
struct VEXMapper {
    let context: DisclosureContext
    /// The release judged, when `--release` named one.
    let release: Record?

    struct Result {
        var document: VEXDocument
        var versions: [String]
    }

    func versions() -> [String] {
        if let release, let version = release.string("version") { return [version] }
        var all: [String] = []
        for r in context.records(ofKind: "release") { if let v = r.string("version"), !all.contains(v) { all.append(v) } }
        for defect in context.records(ofKind: "defect") {
            for key in ["affected-versions", "fixed-versions"] {
                for item in defect.node[key]?.stringItems ?? [] {
                    if case .exact(let v)? = VersionSpec.parse(item.value), !all.contains(v) { all.append(v) }
                }
            }
        }
        return all.sorted { VersionOrder.compare($0, $1) < 0 }
    }

    /// The release record whose version is `version`, for its tag (fix ancestry).
    func releaseRecord(version: String) -> Record? {
        if let release, release.string("version") == version { return release }
        return context.records(ofKind: "release").first { $0.string("version") == version }
    }

    /// The status of one defect in one version, or nil when the records say nothing about it.
    func status(_ defect: Record, version: String) -> VEXDocument.Status? {
        let affected = (defect.node["affected-versions"]?.stringItems ?? []).compactMap { VersionSpec.parse($0.value) }
        let fixed = (defect.node["fixed-versions"]?.stringItems ?? []).compactMap { VersionSpec.parse($0.value) }
        let inAffected = affected.contains { $0.contains(version) }
        let inFixed = fixed.contains { $0.contains(version) }
        switch defect.node["analysis"]?["state"]?.scalarString ?? "in_triage" {
        case "in_triage": return inAffected || inFixed ? .underInvestigation : nil
        case "not_affected", "false_positive": return inAffected || inFixed ? .notAffected : nil
        case "exploitable": return inAffected ? .affected : nil
        default:
            if inFixed || fixInRelease(defect, version: version) { return .fixed }
            return inAffected ? .affected : nil
        }
    }

    /// Whether the defect's `fixed-in` commit is in the release of that version (an ancestor of its tag).
    func fixInRelease(_ defect: Record, version: String) -> Bool {
        guard let fix = defect.string("fixed-in"), let tag = releaseRecord(version: version)?.string("tag"),
              let git = context.project.git, let fixCommit = git.resolveCommit(fix), let tagCommit = git.tagCommit(tag) else { return false }
        return git.isAncestor(fixCommit, of: tagCommit)
    }

    func map() -> Swift.Result<Result, DisclosureRefused> {
        guard let base = context.productPurlBase(release: release) else {
            return .failure(DisclosureRefused(findings: [context.configFinding("VEX identifies the product by purl: name an sbom record whose CycloneDX metadata.component (or SPDX described package) has a purl")]))
        }
        let name = context.configuration.productName
        let versions = versions()
        var statements: [VEXDocument.Statement] = []
        let advisories = context.records(ofKind: "advisory")
        for defect in context.records(ofKind: "defect") {
            var byStatus: [VEXDocument.Status: [VEXDocument.Product]] = [:]
            for version in versions {
                guard let status = status(defect, version: version) else { continue }
                byStatus[status, default: []].append(.init(name: name, version: version, purl: "\(base)@\(version)"))
            }
            let vulnerability = defect.string("cve") ?? defect.id ?? defect.path
            let analysis = defect.node["analysis"]
            let advisory = advisories.first { a in (a.node["defects"]?.stringItems ?? []).contains { $0.value == defect.id } }
            for status in VEXDocument.Status.allCases {
                guard let products = byStatus[status] else { continue }
                var s = VEXDocument.Statement(vulnerability: vulnerability, products: products, status: status,
                                              timestamp: context.lastChanged(defect) ?? context.tipDate ?? "1970-01-01T00:00:00Z")
                s.description = defect.title
                s.cwe = defect.string("cwe").flatMap { Int($0.dropFirst(4)) }
                if let vector = defect.string("cvss"), case .success(let parsed) = CVSSVector.parse(vector), let score = parsed.baseScore {
                    s.cvss = (vector, parsed.version == .v4_0 ? "CVSSv4" : (parsed.version == .v3_1 ? "CVSSv31" : "CVSSv3"), score)
                }
                if let component = defect.string("component"), DisclosureContext.purlBase(component) != base { s.subcomponent = component }
                s.detail = analysis?["detail"]?.scalarString
                s.responses = analysis?["response"]?.stringItems.map(\.value) ?? []
                if status == .notAffected {
                    s.justification = analysis?["justification"]?.scalarString.flatMap(VEXDocument.Justification.init(rawValue:))
                    s.impactStatement = analysis?["detail"]?.scalarString
                        ?? (analysis?["state"]?.scalarString == "false_positive" ? "False positive: the vulnerability does not apply to the product." : nil)
                        ?? s.justification.map { "Not affected: \($0.rawValue.replacingOccurrences(of: "_", with: " "))." }
                }
                if status == .affected {
                    let fixedVersions = defect.node["fixed-versions"]?.stringItems.map(\.value) ?? []
                    s.actionStatement = advisory?.string("resolution")
                        ?? (fixedVersions.isEmpty ? nil : "Update to \(fixedVersions.joined(separator: ", ")).")
                        ?? (s.responses.contains("workaround_available") ? "A workaround is available: \(s.detail ?? "contact the vendor")." : nil)
                        ?? "No fix is available yet; contact \(context.configuration.vendor ?? "the vendor") for mitigations."
                }
                statements.append(s)
            }
        }
        let commit = context.tip?.hex ?? "working-tree"
        let author = context.configuration.vendor ?? name
        let namespace = context.configuration.vendorURL.flatMap(DisclosureContext.origin)
            ?? advisories.compactMap { $0.string("url") }.compactMap(DisclosureContext.origin).first ?? "https://evident.invalid"
        let productVersion = release?.string("version") ?? ""
        let document = VEXDocument(id: "\(namespace)/vex/\(commit)\(release?.string("tag").map { "/\($0)" } ?? "")", author: author,
                                   timestamp: context.tipDate ?? "1970-01-01T00:00:00Z", toolVersion: context.toolVersion,
                                   product: .init(name: name, version: productVersion, purl: productVersion.isEmpty ? base : "\(base)@\(productVersion)"),
                                   statements: statements)
        return .success(Result(document: document, versions: versions))
    }

    /// The same statements as a CSAF 2.0 `csaf_vex`.
    func csaf(_ result: Result) -> Swift.Result<CSAFDocument, DisclosureRefused> {
        let publisher: CSAFDocument.Publisher
        let advisoryURL = context.records(ofKind: "advisory").compactMap { $0.string("url") }.first
        switch context.publisher(fallbackURL: advisoryURL) {
        case .success(let p): publisher = p
        case .failure(let f): return .failure(f)
        }
        let name = context.configuration.productName
        let date = context.tipDate ?? "1970-01-01T00:00:00Z"
        let short = String((context.tip?.hex ?? "0000000000").prefix(10))
        let id = "\(name)-VEX-\(release?.string("tag") ?? short)"
        var document = CSAFDocument(category: .vex, title: "\(name): VEX\(release.flatMap { $0.string("version") }.map { " for \($0)" } ?? "")", publisher: publisher,
                                    tracking: CSAFDocument.Tracking(id: id, status: .final, version: "1", initialReleaseDate: date, currentReleaseDate: date,
                                                                    revisions: [.init(number: "1", date: date, summary: "VEX of commit \(short)")],
                                                                    generatorVersion: context.toolVersion))
        document.notes.append(.init(category: "summary", title: "Scope", text: "The status of every known vulnerability in \(name) \(result.versions.joined(separator: ", ")), from the vendor's defect records."))
        let base = result.document.product.purl.split(separator: "@").first.map(String.init) ?? result.document.product.purl
        for version in result.versions {
            document.products.append(.init(id: DisclosureContext.productID(product: name, version: version), vendor: publisher.name,
                                           productName: name, version: version, isRange: false, purl: "\(base)@\(version)"))
        }
        for statement in result.document.statements {
            let ids = statement.products.map { DisclosureContext.productID(product: name, version: $0.version) }
            if let index = document.vulnerabilities.firstIndex(where: { ($0.cve ?? $0.ids.first?.text) == statement.vulnerability }) {
                add(statement, ids, to: &document.vulnerabilities[index])
            } else {
                var v = CSAFDocument.Vulnerability()
                if statement.vulnerability.hasPrefix("CVE-") { v.cve = statement.vulnerability } else { v.ids = [(system: "\(publisher.name) defect", text: statement.vulnerability)] }
                v.cwe = statement.cwe.flatMap { CWECatalog.entry("CWE-\($0)") }
                v.title = statement.description
                v.notes.append(.init(category: "description", title: "Status", text: statement.detail ?? statement.description ?? statement.vulnerability))
                add(statement, ids, to: &v)
                document.vulnerabilities.append(v)
            }
        }
        let problems = CSAFChecker().check(document.json)
        guard problems.isEmpty else {
            return .failure(DisclosureRefused(findings: problems.map { context.configFinding("the CSAF VEX fails CSAF 2.0 test \($0.test) at \($0.pointer): \($0.message)") }))
        }
        return .success(document)
    }

    private func add(_ s: VEXDocument.Statement, _ ids: [String], to v: inout CSAFDocument.Vulnerability) {
        switch s.status {
        case .fixed: v.fixed += ids
        case .underInvestigation: v.underInvestigation += ids
        case .affected:
            v.knownAffected += ids
            v.remediations.append(.init(category: s.responses.contains("workaround_available") && !s.responses.contains("update") ? "workaround" : "vendor_fix",
                                        details: s.actionStatement ?? "Contact the vendor.", products: ids))
        case .notAffected:
            v.knownNotAffected += ids
            if let justification = s.justification { v.flags.append(.init(label: justification.openVEX, products: ids)) }
            v.threats.append(.init(category: "impact", details: s.impactStatement ?? "Not affected.", products: ids))
        }
    }
}
