import JSONSchema

/// Grype JSON (`grype -o json`): `matches[]` of {vulnerability, relatedVulnerabilities, artifact};
/// the old (0.7.0) schema's `cvssV3` object and `fixedInVersion` string are read too.
enum GrypeReader {
    static func read(_ value: JSONValue) throws -> ScanReport {
        guard let object = value.objectValue, let matches = object["matches"]?.arrayValue else {
            throw ScannerError.wrongFormat(expected: .grype, reason: "no 'matches' list")
        }
        let descriptor = object["descriptor"]
        var report = ScanReport(format: .grype, toolVersion: descriptor?["version"]?.text, timestamp: descriptor?["timestamp"]?.text)
        for (index, match) in matches.enumerated() {
            let pointer = "/matches/\(index)"
            guard let vulnerability = match["vulnerability"], let id = vulnerability["id"]?.text,
                  let artifact = match["artifact"], let name = artifact["name"]?.text else {
                throw ScannerError.malformed(pointer: pointer, reason: "a match needs vulnerability.id and artifact.name")
            }
            let related = match["relatedVulnerabilities"]?.items ?? []
            var vectors: [String] = []
            var score: Double?
            for record in [vulnerability] + related {
                for cvss in record["cvss"]?.items ?? [] {
                    if let vector = VectorText.normalized(cvss["vector"]?.text, method: cvss["version"]?.text.map { "cvssv" + $0.replacingOccurrences(of: ".", with: "") }) {
                        vectors.append(vector)
                    }
                    score = score ?? cvss["metrics"]?["baseScore"]?.double
                }
                if let old = record["cvssV3"] {
                    if let vector = VectorText.normalized(old["vector"]?.text) { vectors.append(vector) }
                    score = score ?? old["baseScore"]?.double
                }
            }
            var fixed = vulnerability["fix"]?["versions"]?.texts ?? []
            if let old = vulnerability["fixedInVersion"]?.text { fixed.append(old) }
            let severity = ([vulnerability] + related).map { ScanSeverity(scannerWord: $0["severity"]?.text) }.first { $0 != .unknown } ?? .unknown
            report.findings.append(ScanFinding(
                id: id, aliases: related.compactMap { $0["id"]?.text }, purl: artifact["purl"]?.text,
                packageName: name, packageVersion: artifact["version"]?.text, severity: severity, vectors: vectors, score: score,
                fixedVersions: fixed, references: (vulnerability["urls"]?.texts ?? []) + [vulnerability["dataSource"]?.text].compactMap { $0 },
                summary: vulnerability["description"]?.text ?? related.lazy.compactMap { $0["description"]?.text }.first,
                pointer: pointer))
        }
        return report
    }
}
