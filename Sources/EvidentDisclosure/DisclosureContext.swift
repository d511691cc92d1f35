import EvidentCore
import Foundation
import GitKit
import JSONSchema
import Vulnerabilities

/// What a disclosure export reads: the records at one commit, that commit, and the repository for
/// the history behind them. Without a repository (records in memory, as `check` examples are), the
/// tracking is synthesised from the records alone.
struct DisclosureContext {
    let project: Project
    let repository: Repository?
    let tip: ObjectID?
    let toolVersion: String
    /// Product purls already looked up, by release id ("" for none): each SBOM document is read once.
    private let purls = PurlCache()

    init(project: Project, repository: Repository?, tip: ObjectID?, toolVersion: String) {
        self.project = project
        self.repository = repository
        self.tip = tip
        self.toolVersion = toolVersion
    }

    var records: [Record] { project.records }
    var configuration: Configuration { project.configuration }

    func record(_ id: String) -> Record? { project.recordsByID[id] }

    func records(ofKind kind: String) -> [Record] {
        records.filter { $0.kind == kind && $0.status != .retired && $0.status != .superseded }.sorted { ($0.id ?? "") < ($1.id ?? "") }
    }

    func configFinding(_ message: String) -> Finding {
        Finding(rule: DisclosureRule.id, severity: .error, path: project.configPath, message: message)
    }

    /// The CSAF publisher: `product.vendor` and `product.vendor-url` of `.evident.yml` (the namespace
    /// falls back to the origin of `fallbackURL`, an advisory's `url`).
    func publisher(fallbackURL: String?) -> Result<CSAFDocument.Publisher, DisclosureRefused> {
        guard let vendor = configuration.vendor, !vendor.isEmpty else {
            return .failure(DisclosureRefused(findings: [configFinding("CSAF names a publisher: set product.vendor (and product.vendor-url) in .evident.yml")]))
        }
        let namespace = configuration.vendorURL.flatMap(Self.origin) ?? fallbackURL.flatMap(Self.origin)
        guard let namespace else {
            return .failure(DisclosureRefused(findings: [configFinding("CSAF needs the publisher's namespace: set product.vendor-url in .evident.yml (e.g. https://example.com)")]))
        }
        return .success(CSAFDocument.Publisher(name: vendor, namespace: namespace))
    }

    /// `https://example.com/security/x` -> `https://example.com`.
    static func origin(_ url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme, ["http", "https"].contains(scheme),
              let host = components.host, !host.isEmpty else { return nil }
        return "\(scheme)://\(host)\(components.port.map { ":\($0)" } ?? "")"
    }

    /// The product's purl without version, qualifiers or subpath, from an SBOM record's document
    /// (CycloneDX `metadata.component.purl`, SPDX: the package the document describes): the SBOM of
    /// `release` when given, else of the newest release that has one, else any SBOM record's.
    func productPurlBase(release: Record? = nil) -> String? {
        purls.value(for: release?.id ?? "") { lookUpProductPurl(release: release) }
    }

    private func lookUpProductPurl(release: Record?) -> String? {
        var candidates: [Record] = []
        let releases = ([release].compactMap { $0 } + records(ofKind: "release").sorted {
            VersionOrder.compare($0.string("version") ?? "", $1.string("version") ?? "") > 0
        })
        for r in releases { if let id = r.string("sbom"), let sbom = record(id) { candidates.append(sbom) } }
        candidates += records(ofKind: "sbom")
        var seen: Set<String> = []
        for sbom in candidates {
            guard let path = sbom.string("document"), let normalized = RepositoryPath.normalize(path), seen.insert(normalized).inserted,
                  let data = try? project.source.read(normalized), let json = try? JSONValue.parse(data) else { continue }
            if let purl = json["metadata"]?["component"]?["purl"]?.stringValue { return Self.purlBase(purl) }
            let described = Set((json["documentDescribes"]?.arrayValue ?? []).compactMap(\.stringValue))
            for package in json["packages"]?.arrayValue ?? [] where described.contains(package["SPDXID"]?.stringValue ?? "") {
                for ref in package["externalRefs"]?.arrayValue ?? [] where ref["referenceType"]?.stringValue == "purl" {
                    if let purl = ref["referenceLocator"]?.stringValue { return Self.purlBase(purl) }
                }
            }
        }
        return nil
    }

    static func purlBase(_ purl: String) -> String {
        var base = Substring(purl)
        if let cut = base.firstIndex(where: { $0 == "?" || $0 == "#" }) { base = base[..<cut] }
        if let slash = base.lastIndex(of: "/"), let at = base[slash...].lastIndex(of: "@") { base = base[..<at] }
        return String(base)
    }

    /// RFC 3339 in UTC, to the second: how evident dates CSAF and VEX documents.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// A record date (`2026-04-27`) as a CSAF date-time.
    static func timestamp(day: String?) -> String? {
        guard let day, day.count == 10 else { return nil }
        return day + "T00:00:00Z"
    }

    /// The exported commit's date.
    var tipDate: String? {
        guard let repository, let tip, let commit = try? repository.commit(tip) else { return nil }
        return Self.timestamp(commit.committer.time)
    }

    /// When a record last changed in git (its newest commit), else the exported commit's date.
    func lastChanged(_ record: Record) -> String? {
        project.git?.attribution(of: record.path)?.lastChanged?.date ?? tipDate
    }

    /// Product id for a product name and version (stable across exports and revisions).
    static func productID(product: String, version: String) -> String {
        let slug: (String) -> String = { text in
            String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == ".") ? $0 : "-" })
        }
        return "\(slug(product))-\(slug(version))"
    }
}

/// Remembers product purl look-ups across the advisories of one run (the context is copied freely).
final class PurlCache: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: String?] = [:]

    func value(for key: String, _ make: () -> String?) -> String? {
        lock.lock()
        if let known = values[key] { lock.unlock(); return known }
        lock.unlock()
        let made = make()
        lock.lock()
        values[key] = made
        lock.unlock()
        return made
    }
}
