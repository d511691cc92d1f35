import JSONSchema

/// `pip-audit -f json`: `{dependencies: [{name, version, vulns[]}]}`, or the older top-level list.
enum PipAuditReader {
    static func read(_ value: JSONValue) throws -> ScanReport {
        let base = value.arrayValue != nil ? "" : "/dependencies"
        guard let dependencies = value.arrayValue ?? value["dependencies"]?.arrayValue else {
            throw ScannerError.wrongFormat(expected: .pipAudit, reason: "no 'dependencies' list")
        }
        var report = ScanReport(format: .pipAudit)
        for (index, dependency) in dependencies.enumerated() {
            let pointer = "\(base)/\(index)"
            guard let name = dependency["name"]?.text else { throw ScannerError.malformed(pointer: pointer, reason: "a dependency needs a name") }
            let version = dependency["version"]?.text
            for (vulnIndex, vuln) in (dependency["vulns"]?.items ?? []).enumerated() {
                guard let id = vuln["id"]?.text else { throw ScannerError.malformed(pointer: "\(pointer)/vulns/\(vulnIndex)", reason: "a vulnerability needs an id") }
                report.findings.append(ScanFinding(
                    id: id, aliases: vuln["aliases"]?.texts ?? [], purl: PackageURL.make(ecosystem: "pypi", name: name, version: version),
                    packageName: name, packageVersion: version, fixedVersions: vuln["fix_versions"]?.texts ?? [],
                    summary: vuln["description"]?.text, pointer: "\(pointer)/vulns/\(vulnIndex)"))
            }
        }
        return report
    }
}
