import JSONSchema

/// Each record is validated against its kind's JSON Schema (published in `schema/`), with every
/// error at the YAML line and column of the offending value.
public struct SchemaRule: Rule {
    public init() {}
    static let base = "kind: defect\nid: DEF-1\ntitle: A\nstatus: draft\nowner: a@example.com\n"
    public static let description = RuleDescription(
        id: "schema", name: "Record schema",
        summary: "A field is unknown, missing, or of the wrong type or format for the record's kind (see `evident schema KIND`).",
        severity: .error,
        triggering: [
            RuleExample(["security/a.yaml": base + "source: researcher\nreceived: 2026-02-30\nanalysis:\n  state: fixed\n"]),
            RuleExample(["security/a.yaml": base + "colour: blue\n"]),
        ],
        nonTriggering: [
            RuleExample(["security/a.yaml": Templates.fill(Templates.template(for: "defect") ?? "", [
                "id": "DEF-001", "title": "A defect", "owner": "a@example.com", "date": "2026-01-15",
            ], raw: ["schema-dir": "../.evident/schemas"]) + "x-internal: anything\n"]),
        ])

    /// Envelope problems the envelope rule already reports precisely.
    static let envelopeTokens: Set<String> = ["kind", "id", "title", "status"]

    public func check(_ project: Project) -> [Finding] {
        var findings: [Finding] = []
        let cache = project.schemaCache
        let known = project.records.filter { record in record.kind.map { project.catalog.kinds[$0] != nil } ?? false }
        // A blob that passed before passes again: its id names its content.
        var checked = cache.map { cache in known.filter { !cache.isKnownValid($0.blobID) } } ?? known
        // A blob that failed before fails again, with the same findings.
        if let cache {
            checked = checked.filter { record in
                guard let earlier = cache.knownFindings(record.blobID) else { return true }
                findings += earlier.map { Self.description.finding(record.path, $0.mark, $0.value, record: record.id) }
                return false
            }
        }
        var passed: [String] = []
        // In slices, so that the JSON and positions of all records are never held at once.
        for start in stride(from: 0, to: checked.count, by: 4096) {
            let slice = Array(checked[start..<min(start + 4096, checked.count)])
            let jsons = Project.concurrentMap(slice) { RecordJSON.value(of: $0.node) }
            let verdicts = RecordSchemas.shared.validate(zip(jsons, slice).map { ($0, $1.kind ?? "") })
            for (record, verdict) in zip(slice, verdicts) {
                if let verdict, verdict.isEmpty, let blob = record.blobID { passed.append(blob) }
                guard !(verdict?.isEmpty ?? true) else { continue }
                // Positions only for a record with errors.
                let made = findingsOf(record, RecordJSON(record.node), verdict)
                if let cache, let blob = record.blobID {
                    cache.remember(blob, failedWith: made.map { Located(value: $0.message, mark: Mark(line: $0.line, column: $0.column)) })
                }
                findings += made
            }
        }
        if let cache {
            cache.remember(passed)
            cache.save(keeping: Set(project.records.compactMap(\.blobID)))
        }
        return findings
    }

    private func findingsOf(_ record: Record, _ json: RecordJSON, _ verdict: [JSONSchema.ValidationError]?) -> [Finding] {
        guard let errors = verdict else { return [] }
        let relevant = errors.filter { error in
            let top = error.instanceLocation.split(separator: "/").first.map(String.init) ?? ""
            if Self.envelopeTokens.contains(top) { return false }
            if error.keywordLocation.hasSuffix("/required"), Self.envelopeTokens.contains(where: { error.message.contains("'\($0)'") }) || error.message.contains("'owner'") { return false }
            return true
        }
        let text = SchemaFindingText(record: record, kind: record.kind ?? "")
        return text.messages(for: relevant).map { item in
            Self.description.finding(record.path, json.mark(for: item.pointer), item.message, record: record.id)
        }
    }
}
