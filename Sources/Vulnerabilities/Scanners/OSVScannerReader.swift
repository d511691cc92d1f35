import JSONSchema

/// OSV-Scanner JSON: `results[].packages[]` with the package (ecosystem, name, version, no purl),
/// its full OSV `vulnerabilities[]`, and `groups[]`, the unit of a finding (ids that are aliases of
/// each other). Without groups (older output) each vulnerability is a finding.
enum OSVScannerReader {
    static func read(_ value: JSONValue) throws -> ScanReport {
        guard let results = value["results"]?.arrayValue else { throw ScannerError.wrongFormat(expected: .osvScanner, reason: "no 'results' list") }
        var report = ScanReport(format: .osvScanner)
        var licences = 0
        for (resultIndex, result) in results.enumerated() {
            for (packageIndex, entry) in (result["packages"]?.items ?? []).enumerated() {
                let pointer = "/results/\(resultIndex)/packages/\(packageIndex)"
                licences += entry["license_violations"]?.items.count ?? 0
                let hasVulnerabilities = !(entry["vulnerabilities"]?.items.isEmpty ?? true) || !(entry["groups"]?.items.isEmpty ?? true)
                // A package known only by its commit (a git source) names nothing to match, and usually has no records.
                guard let package = entry["package"], let name = package["name"]?.text ?? (hasVulnerabilities ? package["commit"]?.text : nil) else {
                    if !hasVulnerabilities { continue }
                    throw ScannerError.malformed(pointer: pointer, reason: "a package needs package.name")
                }
                let version = package["version"]?.text ?? package["commit"]?.text
                let ecosystem = package["ecosystem"]?.text ?? ""
                // Records by id and by alias: a group may name a record only through one of its aliases.
                let all = entry["vulnerabilities"]?.items ?? []
                var records: [String: Int] = [:]
                for (index, record) in all.enumerated() {
                    for id in [record["id"]?.text].compactMap({ $0 }) + (record["aliases"]?.texts ?? []) where records[id.uppercased()] == nil {
                        records[id.uppercased()] = index
                    }
                }
                var groups: [(ids: [String], aliases: [String], maxSeverity: Double?)] = (entry["groups"]?.items ?? []).map {
                    ($0["ids"]?.texts ?? [], $0["aliases"]?.texts ?? [], $0["max_severity"]?.double)
                }
                if groups.isEmpty {
                    groups = (entry["vulnerabilities"]?.items ?? []).compactMap { record in record["id"]?.text.map { ([$0], record["aliases"]?.texts ?? [], nil) } }
                }
                for (groupIndex, group) in groups.enumerated() {
                    let members = Set(group.ids.compactMap { records[$0.uppercased()] }).sorted().map { all[$0] }
                    guard let first = group.ids.first else {
                        throw ScannerError.malformed(pointer: "\(pointer)/groups/\(groupIndex)", reason: "a group needs ids")
                    }
                    var vectors: [String] = []
                    var words: [ScanSeverity] = []
                    var fixed: [String] = []
                    var references: [String] = []
                    var aliases = group.ids.dropFirst() + group.aliases
                    for record in members {
                        aliases += [record["id"]?.text].compactMap { $0 } + (record["aliases"]?.texts ?? [])
                        for severity in record["severity"]?.items ?? [] {
                            if let vector = VectorText.normalized(severity["score"]?.text) { vectors.append(vector) }
                        }
                        words.append(ScanSeverity(scannerWord: record["database_specific"]?["severity"]?.text))
                        for affected in record["affected"]?.items ?? [] where affected["package"]?["name"]?.text.map({ $0.lowercased() == name.lowercased() }) ?? true {
                            for range in affected["ranges"]?.items ?? [] {
                                fixed += (range["events"]?.items ?? []).compactMap { $0["fixed"]?.text }
                            }
                        }
                        references += (record["references"]?.items ?? []).compactMap { $0["url"]?.text }
                    }
                    let severity = words.max() ?? .unknown
                    report.findings.append(ScanFinding(
                        id: preferredID(group.ids) ?? first, aliases: Array(aliases) + group.ids,
                        purl: PackageURL.make(ecosystem: ecosystem, name: name, version: version),
                        packageName: name, packageVersion: version,
                        severity: severity == .unknown ? group.maxSeverity.map(ScanSeverity.init(score:)) ?? .unknown : severity,
                        vectors: vectors, score: group.maxSeverity, fixedVersions: fixed, references: references,
                        summary: members.lazy.compactMap { $0["summary"]?.text ?? $0["details"]?.text }.first,
                        pointer: "\(pointer)/groups/\(groupIndex)"))
                }
            }
        }
        if licences > 0 { report.notes.append("\(licences) licence violations are not vulnerabilities and were not imported") }
        return report
    }

    /// The id a group leads with: a CVE, then a GHSA, then the first.
    static func preferredID(_ ids: [String]) -> String? {
        ids.first { $0.hasPrefix("CVE-") } ?? ids.first { $0.hasPrefix("GHSA-") } ?? ids.first
    }
}
