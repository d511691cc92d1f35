import JSONSchema

/// `npm audit --json`: npm 6 (`advisories{}` with CVEs and the installed versions in `findings[]`)
/// and npm 7+ (`auditReportVersion: 2`, `vulnerabilities{}` per package whose `via[]` mixes advisory
/// objects with names of the packages they come through). npm 7+ names no installed version: its
/// findings carry a purl without one, which matches every version of the package in the SBOM.
enum NPMAuditReader {
    static func read(_ value: JSONValue) throws -> ScanReport {
        guard let object = value.objectValue else { throw ScannerError.wrongFormat(expected: .npmAudit, reason: "not an object") }
        if let error = object["error"] {
            throw ScannerError.scannerFailed([error["code"]?.text, error["summary"]?.text].compactMap { $0 }.joined(separator: ": "))
        }
        var report = ScanReport(format: .npmAudit)
        if let advisories = object["advisories"]?.objectValue {
            for (key, advisory) in advisories {
                let pointer = "/advisories/\(key)"
                guard let name = advisory["module_name"]?.text else { throw ScannerError.malformed(pointer: pointer, reason: "an advisory needs module_name") }
                let cves = advisory["cves"]?.texts ?? []
                let ghsa = advisory["github_advisory_id"]?.text ?? ghsaID(in: advisory["url"]?.text)
                let id = ghsa ?? cves.first ?? "NPM-\(key)"
                let versions = Set((advisory["findings"]?.items ?? []).compactMap { $0["version"]?.text }).sorted()
                for version in versions.isEmpty ? [nil] : versions.map(Optional.some) {
                    report.findings.append(ScanFinding(
                        id: id, aliases: cves + ["NPM-\(key)"], purl: PackageURL.make(ecosystem: "npm", name: name, version: version),
                        packageName: name, packageVersion: version, severity: ScanSeverity(scannerWord: advisory["severity"]?.text),
                        fixedVersions: [], references: [advisory["url"]?.text].compactMap { $0 },
                        summary: advisory["title"]?.text, pointer: pointer))
                }
            }
        } else if let packages = object["vulnerabilities"]?.objectValue {
            for (name, package) in packages {
                for (index, via) in (package["via"]?.items ?? []).enumerated() where via.objectValue != nil {
                    let pointer = "/vulnerabilities/\(name)/via/\(index)"
                    let source = via["source"].flatMap { $0.text ?? $0.double.map { String(Int($0)) } }
                    guard let id = ghsaID(in: via["url"]?.text) ?? source.map({ "NPM-\($0)" }) else {
                        throw ScannerError.malformed(pointer: pointer, reason: "an advisory needs a url or a source")
                    }
                    let packageName = via["name"]?.text ?? name
                    report.findings.append(ScanFinding(
                        id: id, aliases: source.map { ["NPM-\($0)"] } ?? [], purl: PackageURL.make(ecosystem: "npm", name: packageName, version: nil),
                        packageName: packageName, packageVersion: nil, severity: ScanSeverity(scannerWord: via["severity"]?.text),
                        vectors: [VectorText.normalized(via["cvss"]?["vectorString"]?.text)].compactMap { $0 }, score: via["cvss"]?["score"]?.double,
                        references: [via["url"]?.text].compactMap { $0 }, summary: via["title"]?.text, pointer: pointer))
                }
            }
        } else {
            throw ScannerError.wrongFormat(expected: .npmAudit, reason: "neither 'advisories' (npm 6) nor 'vulnerabilities' (npm 7+)")
        }
        return report
    }

    /// The GHSA id at the end of an advisory URL (`https://github.com/advisories/GHSA-...`).
    static func ghsaID(in url: String?) -> String? {
        guard let last = url?.split(separator: "/").last, last.hasPrefix("GHSA-") else { return nil }
        return String(last)
    }
}
