import JSONSchema

/// Snyk CLI JSON (`snyk test --json`): one project object, or a list of them (`--all-projects`);
/// `vulnerabilities[]` repeat an issue once per dependency path (merged by the reader).
enum SnykReader {
    static func read(_ value: JSONValue) throws -> ScanReport {
        let projects: [(JSONValue, String)] = value.arrayValue.map { $0.enumerated().map { ($1, "/\($0)") } } ?? [(value, "")]
        var report = ScanReport(format: .snyk)
        for (project, base) in projects {
            if project["ok"]?.boolValue == false, let error = project["error"]?.text { throw ScannerError.scannerFailed(error) }
            guard let vulnerabilities = project["vulnerabilities"]?.arrayValue else {
                throw ScannerError.wrongFormat(expected: .snyk, reason: "no 'vulnerabilities' list at \(base.isEmpty ? "the top level" : base)")
            }
            let manager = project["packageManager"]?.text ?? ""
            for (index, vulnerability) in vulnerabilities.enumerated() {
                let pointer = "\(base)/vulnerabilities/\(index)"
                guard let id = vulnerability["id"]?.text, let name = vulnerability["packageName"]?.text else {
                    throw ScannerError.malformed(pointer: pointer, reason: "a vulnerability needs id and packageName")
                }
                let version = vulnerability["version"]?.text
                let identifiers = vulnerability["identifiers"]?.objectValue
                let aliases = (identifiers?["CVE"]?.texts ?? []) + (identifiers?["GHSA"]?.texts ?? [])
                report.findings.append(ScanFinding(
                    id: aliases.first { $0.hasPrefix("CVE-") } ?? id, aliases: aliases + [id],
                    purl: PackageURL.make(ecosystem: manager, name: name, version: version), packageName: name, packageVersion: version,
                    severity: ScanSeverity(scannerWord: vulnerability["severity"]?.text),
                    vectors: [VectorText.normalized(vulnerability["CVSSv3"]?.text)].compactMap { $0 }, score: vulnerability["cvssScore"]?.double,
                    fixedVersions: vulnerability["fixedIn"]?.texts ?? [],
                    references: (vulnerability["references"]?.items ?? []).compactMap { $0["url"]?.text },
                    summary: vulnerability["title"]?.text, pointer: pointer))
            }
        }
        return report
    }
}
