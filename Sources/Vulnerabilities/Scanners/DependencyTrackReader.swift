import JSONSchema

/// Dependency-Track's Finding Packaging Format (FPF 1.0 to 1.4): `findings[]` of {component,
/// vulnerability, analysis}; aliases as {cveId, ghsaId, ...} objects; no fix versions in the format.
enum DependencyTrackReader {
    static func read(_ value: JSONValue) throws -> ScanReport {
        guard let findings = value["findings"]?.arrayValue else { throw ScannerError.wrongFormat(expected: .dependencyTrack, reason: "no 'findings' list") }
        let meta = value["meta"]
        var report = ScanReport(format: .dependencyTrack, toolVersion: meta?["version"]?.text, timestamp: meta?["timestamp"]?.text)
        for (index, finding) in findings.enumerated() {
            let pointer = "/findings/\(index)"
            guard let component = finding["component"], let name = component["name"]?.text,
                  let vulnerability = finding["vulnerability"], let vulnID = vulnerability["vulnId"]?.text else {
                throw ScannerError.malformed(pointer: pointer, reason: "a finding needs component.name and vulnerability.vulnId")
            }
            // Sources such as NPM number their advisories: "533" becomes "NPM-533".
            let id = vulnID.allSatisfy(\.isNumber) ? "\(vulnerability["source"]?.text ?? "DT")-\(vulnID)" : vulnID
            var aliases: [String] = []
            for alias in vulnerability["aliases"]?.items ?? [] {
                for (key, value) in alias.objectValue ?? JSONObject([]) where key.hasSuffix("Id") && key != "id" {
                    if let text = value.text { aliases.append(text) }
                }
            }
            let vectors = ["cvssV4Vector", "cvssV3Vector"].compactMap { VectorText.normalized(vulnerability[$0]?.text) }
            let group = component["group"]?.text
            report.findings.append(ScanFinding(
                id: id, aliases: aliases, purl: component["purl"]?.text,
                packageName: group.map { "\($0)/\(name)" } ?? name, packageVersion: component["version"]?.text,
                severity: ScanSeverity(scannerWord: vulnerability["severity"]?.text), vectors: vectors,
                score: vulnerability["cvssV4Score"]?.double ?? vulnerability["cvssV3BaseScore"]?.double,
                references: markdownLinks(vulnerability["references"]?.text),
                summary: vulnerability["title"]?.text ?? vulnerability["description"]?.text, pointer: pointer))
        }
        return report
    }

    /// URLs out of DT's Markdown reference list (`* [url](url)`).
    static func markdownLinks(_ text: String?) -> [String] {
        guard let text else { return [] }
        return text.split(whereSeparator: { "()[] \n".contains($0) }).map(String.init).filter { $0.hasPrefix("http://") || $0.hasPrefix("https://") }
    }
}
