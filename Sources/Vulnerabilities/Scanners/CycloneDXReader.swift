import JSONSchema

/// CycloneDX with `vulnerabilities[]` (a VEX, or a BOM with vulnerabilities as Trivy and
/// Dependency-Track write them): each vulnerability's `affects[].ref` names a component by its
/// `bom-ref` (nested components and `metadata.component` included); a ref that is itself a purl is
/// taken as one. The VEX's own `analysis` is not copied: triage is the team's to write.
enum CycloneDXReader {
    static func read(_ value: JSONValue) throws -> ScanReport {
        guard let object = value.objectValue, object["bomFormat"]?.stringValue == "CycloneDX" else {
            throw ScannerError.wrongFormat(expected: .cyclonedx, reason: "no \"bomFormat\": \"CycloneDX\"")
        }
        let tools = object["metadata"]?["tools"]
        let tool = tools?.items.first ?? tools?["components"]?.items.first
        var report = ScanReport(format: .cyclonedx, toolVersion: tool.flatMap { t in t["name"]?.text.map { "\($0) \(t["version"]?.text ?? "")".trimmingCharacters(in: .whitespaces) } },
                                timestamp: object["metadata"]?["timestamp"]?.text)
        var components: [String: (name: String, version: String?, purl: String?)] = [:]
        func collect(_ component: JSONValue?) {
            guard let component, let ref = component["bom-ref"]?.text else { return }
            components[ref] = (component["name"]?.text ?? ref, component["version"]?.text, component["purl"]?.text)
        }
        collect(object["metadata"]?["component"])
        var pending = object["components"]?.items ?? []
        while let component = pending.popLast() {
            collect(component)
            pending += component["components"]?.items ?? []
        }
        for (index, vulnerability) in (object["vulnerabilities"]?.items ?? []).enumerated() {
            let pointer = "/vulnerabilities/\(index)"
            guard let id = vulnerability["id"]?.text else { throw ScannerError.malformed(pointer: pointer, reason: "a vulnerability needs an id") }
            var vectors: [String] = []
            var words: [ScanSeverity] = []
            var score: Double?
            for rating in vulnerability["ratings"]?.items ?? [] {
                if let vector = VectorText.normalized(rating["vector"]?.text, method: rating["method"]?.text) { vectors.append(vector) }
                words.append(ScanSeverity(scannerWord: rating["severity"]?.text))
                if rating["method"]?.text?.hasPrefix("CVSSv3") == true || rating["method"]?.text == "CVSSv4" { score = score ?? rating["score"]?.double }
            }
            let aliases = (vulnerability["references"]?.items ?? []).compactMap { $0["id"]?.text }
            let references = (vulnerability["advisories"]?.items ?? []).compactMap { $0["url"]?.text } + [vulnerability["source"]?["url"]?.text].compactMap { $0 }
            let affects = vulnerability["affects"]?.items ?? []
            if affects.isEmpty { throw ScannerError.malformed(pointer: pointer, reason: "\(id) affects no component") }
            for (affectIndex, affect) in affects.enumerated() {
                guard let ref = affect["ref"]?.text else { throw ScannerError.malformed(pointer: "\(pointer)/affects/\(affectIndex)", reason: "an affects entry needs a ref") }
                let component = components[ref] ?? (ref.hasPrefix("pkg:") ? (ref, nil, ref) : (ref, nil, nil))
                report.findings.append(ScanFinding(
                    id: id, aliases: aliases, purl: component.purl, packageName: component.name, packageVersion: component.version,
                    severity: words.max() ?? .unknown, vectors: vectors, score: score, references: references,
                    summary: vulnerability["description"]?.text ?? vulnerability["detail"]?.text, pointer: "\(pointer)/affects/\(affectIndex)"))
            }
        }
        return report
    }
}
