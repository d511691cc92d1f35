import JSONSchema

/// Trivy JSON: schema 2 (`Results[].Vulnerabilities[]`), the legacy top-level list of results
/// (before v0.20; a legacy file with nothing found is `null`), and `trivy k8s` reports
/// (`Resources[].Results[]`, older `Vulnerabilities[].Results[]`). Misconfigurations, secrets and
/// licences are not vulnerabilities and are counted in a note.
enum TrivyReader {
    static func read(_ value: JSONValue) throws -> ScanReport {
        var report = ScanReport(format: .trivy)
        var results: [(JSONValue, String)] = []
        switch value {
        case .null:
            return report
        case .array(let items):
            results = items.enumerated().map { ($1, "/\($0)") }
        case .object(let object):
            report.toolVersion = object["Trivy"]?["Version"]?.text
            report.timestamp = object["CreatedAt"]?.text
            for (index, result) in (object["Results"]?.items ?? []).enumerated() { results.append((result, "/Results/\(index)")) }
            for key in ["Resources", "Vulnerabilities"] {
                for (resourceIndex, resource) in (object[key]?.items ?? []).enumerated() {
                    for (index, result) in (resource["Results"]?.items ?? []).enumerated() {
                        results.append((result, "/\(key)/\(resourceIndex)/Results/\(index)"))
                    }
                }
            }
            if object["SchemaVersion"] == nil && object["ClusterName"] == nil && object["Results"] == nil {
                throw ScannerError.wrongFormat(expected: .trivy, reason: "no 'SchemaVersion', 'Results' or 'ClusterName'")
            }
        default:
            throw ScannerError.wrongFormat(expected: .trivy, reason: "a JSON \(value.typeName)")
        }
        var other = 0
        for (result, base) in results {
            guard result.objectValue != nil else { throw ScannerError.malformed(pointer: base, reason: "a result must be an object") }
            other += (result["Misconfigurations"]?.items.count ?? 0) + (result["Secrets"]?.items.count ?? 0) + (result["Licenses"]?.items.count ?? 0)
            let type = result["Type"]?.text
            for (index, vulnerability) in (result["Vulnerabilities"]?.items ?? []).enumerated() {
                let pointer = "\(base)/Vulnerabilities/\(index)"
                guard let id = vulnerability["VulnerabilityID"]?.text, let name = vulnerability["PkgName"]?.text else {
                    throw ScannerError.malformed(pointer: pointer, reason: "a vulnerability needs VulnerabilityID and PkgName")
                }
                let version = vulnerability["InstalledVersion"]?.text
                var vectors: [String] = []
                var score: Double?
                if let sources = vulnerability["CVSS"]?.objectValue {
                    // The severity source's vectors first, then the others in the file's order.
                    let preferred = vulnerability["SeveritySource"]?.text
                    let ordered = sources.filter { $0.0 == preferred } + sources.filter { $0.0 != preferred }
                    for (_, cvss) in ordered {
                        for key in ["V40Vector", "V3Vector"] {
                            if let vector = VectorText.normalized(cvss[key]?.text) { vectors.append(vector) }
                        }
                        score = score ?? cvss["V3Score"]?.double ?? cvss["V40Score"]?.double
                    }
                }
                let fixed = (vulnerability["FixedVersion"]?.text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                let purl = vulnerability["PkgIdentifier"]?["PURL"]?.text
                    ?? type.flatMap { PackageURL.make(ecosystem: trivyEcosystem($0), name: name, version: version) }
                report.findings.append(ScanFinding(
                    id: id, aliases: vulnerability["VendorIDs"]?.texts ?? [], purl: purl, packageName: name, packageVersion: version,
                    severity: ScanSeverity(scannerWord: vulnerability["Severity"]?.text), vectors: vectors, score: score,
                    fixedVersions: fixed, references: [vulnerability["PrimaryURL"]?.text].compactMap { $0 } + (vulnerability["References"]?.texts ?? []),
                    summary: vulnerability["Title"]?.text ?? vulnerability["Description"]?.text, pointer: pointer))
            }
        }
        if other > 0 { report.notes.append("\(other) misconfiguration, secret or licence results are not vulnerabilities and were not imported") }
        return report
    }

    /// Trivy's language result types as purl ecosystems (OS packages need the distribution: no purl).
    static func trivyEcosystem(_ type: String) -> String {
        switch type {
        case "npm", "yarn", "pnpm", "node-pkg": return "npm"
        case "pip", "pipenv", "poetry", "python-pkg": return "pypi"
        case "gomod", "gobinary": return "go"
        case "cargo", "rustbinary": return "cargo"
        case "bundler", "gemspec": return "rubygems"
        case "nuget", "dotnet-core": return "nuget"
        case "composer": return "composer"
        case "pom", "jar", "gradle": return "maven"
        default: return type
        }
    }
}
