import Foundation
import JSONSchema
import Vulnerabilities

/// The matching and merging of an import, over dictionaries only (no finding is compared with
/// every component or every record): components by purl key, tracked defects by (component,
/// vulnerability id), and per component a union-find over vulnerability ids.
struct TriagePlan {
    /// An SBOM component a finding matched: the purl as the SBOM writes it, and the SBOM documents listing it.
    struct Component {
        var purl: String
        var key: String
        var documents: [Int]
    }

    /// An SBOM document and the sbom records naming it (many records often share one document).
    struct Document {
        var records: [String] = []
        var productVersions: [String] = []
    }

    /// One (vulnerability, component): the findings of every file that name it.
    struct Group {
        var component: Component
        var ids: [String] = []
        var findings: [(finding: ScanFinding, scan: TriageImporter.Scan)] = []
    }

    var tracked: [TriageImportResult.Tracked] = []
    var unmatched: [TriageImportResult.Unmatched] = []
    var newGroups: [Group] = []
    var documents: [Document] = []
    let project: Project
    let today: String
    /// Parsed CVSS vectors by text: a report repeats a few vectors over thousands of findings.
    let vectors = VectorMemo()

    init(project: Project, scans: [TriageImporter.Scan], today: String) throws {
        self.project = project
        self.today = today
        // Components by purl key, and by key without version (for scanners that name no version);
        // each document read once however many records name it.
        var components: [String: Component] = [:]
        var byName: [String: [String]] = [:]
        var documentIndex: [String: Int] = [:]
        var sawSBOM = false
        for record in project.records where record.kind == "sbom" && record.isCurrent {
            guard case .success(let path) = SBOMDocument.path(for: record), case .success(let document) = project.sbomDocument(path) else { continue }
            sawSBOM = true
            let version = record.string("product-version") ?? project.configuration.productVersion
            if let index = documentIndex[path] {
                if let id = record.id { documents[index].records.append(id) }
                if let version { documents[index].productVersions.append(version) }
                continue
            }
            let index = documents.count
            documentIndex[path] = index
            documents.append(Document(records: record.id.map { [$0] } ?? [], productVersions: version.map { [$0] } ?? []))
            for component in document.components {
                guard let purl = component.purl, let key = PackageURL.key(purl) else { continue }
                if components[key] == nil {
                    components[key] = Component(purl: purl, key: key, documents: [])
                    byName[Self.withoutVersion(key), default: []].append(key)
                }
                if components[key]?.documents.last != index { components[key]?.documents.append(index) }
            }
        }
        guard sawSBOM else { throw TriageImportError.noSBOM }
        // Each document's records and versions once, sorted and deduplicated (hundreds of records may share one).
        for index in documents.indices {
            documents[index].records = Array(Self.unique(documents[index].records).sorted().prefix(10))
            documents[index].productVersions = Self.unique(documents[index].productVersions).sorted()
        }

        // Tracked defects by (component key, vulnerability id).
        // (The keys worked out on all cores, inserted in record order: a later record wins, as before.)
        let defects = project.records.filter { $0.kind == "defect" }
        let defectKeys = Parallel.map(defects) { record -> [String] in
            guard let purl = record.string("component"), let key = PackageURL.key(purl) else { return [] }
            return Self.ids(of: record).map { key + "\n" + $0.uppercased() }
        }
        var trackedIndex: [String: Record] = [:]
        trackedIndex.reserveCapacity(defects.count)
        for (record, keys) in zip(defects, defectKeys) {
            for key in keys { trackedIndex[key] = record }
        }

        // Per component, a union-find over the ids of the findings naming it.
        var groups: [Group] = []
        var parent: [Int] = []
        var groupOfID: [String: Int] = [:]
        func find(_ index: Int) -> Int {
            var index = index
            while parent[index] != index { parent[index] = parent[parent[index]]; index = parent[index] }
            return index
        }
        var seenUnmatched = Set<String>()
        for scan in scans {
            for finding in scan.report.findings {
                let keys: [String]
                if let purl = finding.purl, let key = PackageURL.key(purl) {
                    keys = components[key] != nil ? [key] : (key.contains("@") ? [] : byName[key] ?? [])
                } else {
                    keys = []
                }
                if keys.isEmpty {
                    if seenUnmatched.insert("\(finding.id)\n\(finding.purl ?? finding.packageName)\n\(scan.file)").inserted {
                        unmatched.append(.init(vulnerability: finding.id, package: finding.packageName + (finding.packageVersion.map { "@\($0)" } ?? ""),
                                               purl: finding.purl, file: scan.file))
                    }
                    continue
                }
                for key in keys {
                    guard let component = components[key] else { continue }
                    let hits = Set(finding.allIDs.compactMap { groupOfID[key + "\n" + $0.uppercased()] }.map(find))
                    let target: Int
                    if let first = hits.min() {
                        target = first
                        for other in hits where other != first {
                            parent[other] = first
                            groups[first].ids += groups[other].ids
                            groups[first].findings += groups[other].findings
                            groups[other].findings = []
                        }
                    } else {
                        target = groups.count
                        groups.append(Group(component: component))
                        parent.append(target)
                    }
                    for id in finding.allIDs where groupOfID[key + "\n" + id.uppercased()] == nil || find(groupOfID[key + "\n" + id.uppercased()]!) != target {
                        groupOfID[key + "\n" + id.uppercased()] = target
                        if !groups[target].ids.contains(where: { $0.uppercased() == id.uppercased() }) { groups[target].ids.append(id) }
                    }
                    groups[target].findings.append((finding, scan))
                }
            }
        }
        var trackedGroups: [(group: Group, record: Record)] = []
        for (index, group) in groups.enumerated() where find(index) == index && !group.findings.isEmpty {
            if let record = group.ids.lazy.compactMap({ trackedIndex[group.component.key + "\n" + $0.uppercased()] }).first {
                trackedGroups.append((group, record))
            } else {
                newGroups.append(group)
            }
        }
        // What the scanners now say that each tracked record does not, on all cores (a re-import
        // compares every finding with its record).
        let vectors = self.vectors
        tracked = Parallel.map(trackedGroups) { group, record in
            TriageImportResult.Tracked(id: record.id ?? record.path, path: record.path, vulnerability: Self.primaryID(group.ids),
                                       component: group.component.purl, changes: Self.changes(record, group, vectors))
        }
    }

    /// Every vulnerability id a defect record names: `cve`, `aliases`, and imported `scans`' ids.
    static func ids(of record: Record) -> [String] {
        var ids: [String] = []
        if let cve = record.string("cve") { ids.append(cve) }
        ids += (record.node["aliases"]?.stringItems ?? []).map(\.value)
        return ids
    }

    /// The sbom records listing a component (the first 10: a link per release SBOM, not hundreds) and
    /// the product versions they ship.
    func sources(of component: Component) -> (records: [String], versions: [String]) {
        guard component.documents.count > 1 else {
            return component.documents.first.map { (documents[$0].records, documents[$0].productVersions) } ?? ([], [])
        }
        let records = Self.unique(component.documents.flatMap { documents[$0].records })
        let versions = Self.unique(component.documents.flatMap { documents[$0].productVersions })
        return (Array(records.sorted().prefix(10)), versions.sorted())
    }

    static func withoutVersion(_ key: String) -> String {
        guard let at = key.lastIndex(of: "@"), key[..<at].contains("/") else { return key }
        return String(key[..<at])
    }

    /// The id a record leads with: a CVE, then a GHSA, then the first seen.
    static func primaryID(_ ids: [String]) -> String {
        ids.first { $0.hasPrefix("CVE-") } ?? ids.first { $0.hasPrefix("GHSA-") } ?? ids.first ?? "?"
    }

    /// What the scanners now say that the tracked record does not: fix versions and scores.
    static func changes(_ record: Record, _ group: Group, _ vectors: VectorMemo) -> [String] {
        var changes: [String] = []
        let known = Set((record.node["fixed-versions"]?.stringItems ?? []).map(\.value))
        let fixes = unique(group.findings.flatMap(\.finding.fixedVersions)).filter { !known.contains($0) }
        if !fixes.isEmpty { changes.append("fix version\(fixes.count == 1 ? "" : "s") \(fixes.joined(separator: ", ")) not in fixed-versions") }
        if let best = bestVector(group, vectors), let score = best.vector.baseScore {
            let recorded = record.string("cvss").flatMap(vectors.parse)?.canonical
            if recorded != best.canonical {
                changes.append("scanner CVSS \(best.canonical) (\(String(format: "%.1f", score))) differs from the record's \(recorded ?? "none")")
            }
        }
        return changes
    }

    /// The first vector of the group's findings that parses (any metric order), written canonically.
    static func bestVector(_ group: Group, _ vectors: VectorMemo) -> VectorMemo.Parsed? {
        for (finding, _) in group.findings {
            for text in finding.vectors { if let vector = vectors.parse(text) { return vector } }
        }
        return nil
    }

    static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}

/// `CVSSVector.parse(text, anyOrder: true)` and its canonical text, remembered by text; safe from several threads.
final class VectorMemo: @unchecked Sendable {
    struct Parsed {
        var vector: CVSSVector
        var canonical: String
    }

    private let lock = NSLock()
    private var parsed: [String: Parsed?] = [:]

    func parse(_ text: String) -> Parsed? {
        lock.lock()
        if let known = parsed[text] { lock.unlock(); return known }
        lock.unlock()
        let vector = (try? CVSSVector.parse(text, anyOrder: true).get()).map { Parsed(vector: $0, canonical: $0.canonical) }
        lock.lock()
        parsed[text] = vector
        lock.unlock()
        return vector
    }
}
