import JSONSchema

/// A `kind: sbom` record's `document` must be a CycloneDX 1.4–1.6 or SPDX 2.3 JSON file in the
/// repository, of the record's `format`, valid against the schema `.evident.yml` names under
/// `sbom-schemas` (or evident's own minimal one). Schema errors point into the SBOM file.
public struct SBOMDocumentRule: Rule {
    public init() {}
    public static let reads = RuleReads.files

    /// At most this many schema errors are reported per document; a last finding counts the rest.
    static let maxErrorsPerDocument = 25

    static let record = """
        kind: sbom
        id: SBOM-1
        title: Gateway SBOM
        status: draft
        owner: a@example.com
        document: sbom/gateway.cdx.json
        format: cyclonedx
        risk-handling:
          - component: pkg:github/madler/zlib@v1.3.1
            decision: accept
            rationale: Decompresses signed images only.

        """
    static let component = #"{"type": "library", "name": "zlib", "version": "1.3.1", "supplier": {"name": "Mark Adler"}, "purl": "pkg:github/madler/zlib@v1.3.1"}"#
    static func cyclonedx(_ version: String = "1.5", component: String = component) -> String {
        #"{"bomFormat": "CycloneDX", "specVersion": ""# + version + #"", "version": 1, "components": ["# + component + "]}\n"
    }
    static let spdx = """
        {"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "gateway", "dataLicense": "CC0-1.0",
         "documentNamespace": "https://example.com/gateway", "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Tool: x"]},
         "packages": [{"SPDXID": "SPDXRef-zlib", "name": "zlib", "versionInfo": "1.3.1", "supplier": "Person: Mark Adler", "downloadLocation": "NOASSERTION",
                       "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:github/madler/zlib@v1.3.1"}]}]}

        """

    public static let description = RuleDescription(
        id: "sbom-document", name: "SBOM document",
        summary: "An sbom record's document is missing, outside the repository, a symlink, not JSON, not CycloneDX 1.4–1.6 or SPDX 2.3 as its 'format' says, or invalid against the SBOM schema ('sbom-schemas' in .evident.yml, or evident's own structural schema of the format). Completeness is sbom-quality's.",
        severity: .error,
        triggering: [
            RuleExample(["security/sbom/a.yaml": record]),
            RuleExample(["security/sbom/a.yaml": record.replacingOccurrences(of: "sbom/gateway", with: "../gateway"), "gateway.cdx.json": cyclonedx()]),
            RuleExample(["security/sbom/a.yaml": record.replacingOccurrences(of: "sbom/gateway", with: "/etc/gateway")]),
            RuleExample(["security/sbom/a.yaml": record, "sbom/gateway.cdx.json": "{\"bomFormat\": \"CycloneDX\",\n  \"specVersion\": 1.5,\n}"]),
            RuleExample(["security/sbom/a.yaml": record, "sbom/gateway.cdx.json": cyclonedx("1.3")]),
            RuleExample(["security/sbom/a.yaml": record, "sbom/gateway.cdx.json": spdx]),
            RuleExample(["security/sbom/a.yaml": record, "sbom/gateway.cdx.json": cyclonedx(component: #"{"name": "zlib", "version": 1.3}"#)]),
            RuleExample(["security/sbom/a.yaml": record + "spec-version: \"1.6\"\n", "sbom/gateway.cdx.json": cyclonedx()]),
            RuleExample([
                "security/sbom/a.yaml": record, "sbom/gateway.cdx.json": cyclonedx(),
                ".evident.yml": RuleExample.defaultConfig + "sbom-schemas:\n  cyclonedx: schemas/strict.schema.json\n",
                "schemas/strict.schema.json": #"{"$id": "https://example.com/schemas/strict.schema.json", "$ref": "defs.json#/$defs/bom"}"#,
                "schemas/defs.json": #"{"$defs": {"bom": {"required": ["metadata"]}}}"#,
            ]),
        ],
        nonTriggering: [
            RuleExample(["security/sbom/a.yaml": record, "sbom/gateway.cdx.json": cyclonedx()]),
            RuleExample(["security/sbom/a.yaml": record.replacingOccurrences(of: "format: cyclonedx", with: "format: spdx") + "spec-version: \"2.3\"\n",
                         "sbom/gateway.cdx.json": spdx]),
            RuleExample([
                "security/sbom/a.yaml": record, "sbom/gateway.cdx.json": cyclonedx(),
                ".evident.yml": RuleExample.defaultConfig + "sbom-schemas:\n  cyclonedx: schemas/strict.schema.json\n",
                "schemas/strict.schema.json": #"{"$id": "https://example.com/schemas/strict.schema.json", "$ref": "defs.json#/$defs/bom"}"#,
                "schemas/defs.json": #"{"$defs": {"bom": {"required": ["components"]}}}"#,
            ]),
        ])

    public func check(_ project: Project) -> [Finding] {
        let rule = Self.description
        var findings: [Finding] = []
        // Records grouped by the document they name, in order of first mention: each document is
        // read and validated once, its problems reported once, naming the records it serves.
        var order: [String] = []
        var recordsOf: [String: [Record]] = [:]
        for record in project.records where record.kind == "sbom" {
            switch SBOMDocument.path(for: record) {
            case .failure(let problem):
                findings.append(rule.finding(problem.path, problem.mark, problem.message, record: record.id))
            case .success(let path):
                if recordsOf[path] == nil { order.append(path) }
                recordsOf[path, default: []].append(record)
            }
        }
        let schemas = SBOMSchemas(source: project.source)
        let verdicts = SBOMVerdictCache(directory: project.cacheDirectory)
        var reportedSchemas = Set<String>()
        for path in order {
            let records = recordsOf[path] ?? []
            findings += check(path, for: records, in: project, schemas: schemas, verdicts: verdicts, reportedSchemas: &reportedSchemas)
        }
        verdicts.save()
        return findings
    }

    /// The findings of one document and the records naming it.
    private func check(_ path: String, for records: [Record], in project: Project, schemas: SBOMSchemas,
                       verdicts: SBOMVerdictCache, reportedSchemas: inout Set<String>) -> [Finding] {
        let rule = Self.description
        let first = records.first?.id
        let document: SBOMDocument
        switch project.sbomDocument(path) {
        case .failure(.unreadable(let message)):
            return records.map { rule.finding($0.path, $0.mark(of: "document"), message, record: $0.id) }
        case .failure(.invalidJSON(let mark, let message)):
            return [rule.finding(path, mark, "SBOM document of \(SBOMDocument.owners(records)) is not valid JSON: \(message)", record: first)]
        case .success(let loaded):
            document = loaded
        }
        let of = "SBOM of \(SBOMDocument.owners(records))"
        guard let format = document.format else {
            let message = document.value.objectValue == nil
                ? "is a JSON \(document.value.typeName), not a CycloneDX or SPDX document"
                : "is neither CycloneDX (bomFormat \"CycloneDX\" with specVersion) nor SPDX (spdxVersion)"
            return [rule.finding(document.path, Mark(line: 1, column: 1), "\(of) \(message)", record: first)]
        }
        let supported = format == .cyclonedx ? SBOMDocument.cycloneDXVersions : SBOMDocument.spdxVersions
        guard let version = document.version, supported.contains(version) else {
            let key = format == .cyclonedx ? "/specVersion" : "/spdxVersion"
            let mark = SBOMDocument.mark(of: key, in: document.positions())
            let written = document.version.map { "'\($0)'" } ?? "no string version"
            return [rule.finding(document.path, mark, "\(of) is \(format.displayName) \(written); evident reads \(supported.joined(separator: ", "))", record: first)]
        }
        var findings: [Finding] = []
        var matching: [Record] = []
        for record in records {
            if let declared = record.string("format"), declared != format.rawValue {
                findings.append(rule.finding(record.path, record.mark(of: "format"), "format is '\(declared)' but \(document.path) is a \(format.displayName) document", record: record.id))
                continue
            }
            matching.append(record)
            if let declared = record.string("spec-version"), declared != document.shortVersion {
                findings.append(rule.finding(record.path, record.mark(of: "spec-version"), "spec-version is '\(declared)' but \(document.path) declares \(version)", record: record.id))
            }
        }
        guard !matching.isEmpty else { return findings }
        // Bytes that passed the built-in schema before pass it again.
        let builtinKey = project.configuration.sbomSchemas[format.rawValue] == nil ? SBOMVerdictCache.key(document, format) : nil
        if let builtinKey, verdicts.isKnownValid(builtinKey) { return findings }
        let compiled: SBOMSchema
        if let configured = project.configuration.sbomSchemas[format.rawValue] {
            switch schemas.external(configured) {
            case .success(let schema): compiled = schema
            case .failure(let error):
                if reportedSchemas.insert(configured).inserted {
                    findings.append(rule.finding(project.configPath, Mark(line: 1, column: 1), "sbom-schemas.\(format.rawValue) '\(configured)' cannot be used: \(error.message)"))
                }
                return findings
            }
        } else {
            switch schemas.builtin(format) {
            case .success(let schema): compiled = schema
            case .failure(let error):
                return findings + matching.map {
                    rule.finding($0.path, $0.mark(of: "document"), "cannot load \(SBOMSchemas.builtinName(format)): \(error.message)", record: $0.id)
                }
            }
        }
        let result = compiled.validator.validate(instance: document.value, against: compiled.schema)
        guard !result.isValid else {
            if let builtinKey { verdicts.remember(builtinKey) }
            return findings
        }
        let owners = "SBOM of \(SBOMDocument.owners(matching))"
        let positions = document.positions()
        var seen = Set<String>()
        var reported = 0
        for error in result.errors where seen.insert(error.instanceLocation + "|" + error.message).inserted {
            reported += 1
            guard reported <= Self.maxErrorsPerDocument else { continue }
            let at = error.instanceLocation.isEmpty ? "" : " at \(error.instanceLocation)"
            // Once per document: evident's own schema checks structure only; the official one is stricter.
            let hint = reported == 1 && project.configuration.sbomSchemas[format.rawValue] == nil
                ? "; name the official \(format.displayName) schema under sbom-schemas in .evident.yml for full validation" : ""
            findings.append(rule.finding(document.path, SBOMDocument.mark(of: error.instanceLocation, in: positions),
                                         "\(error.message)\(at) (\(compiled.name); \(owners)\(hint))", record: matching.first?.id))
        }
        if reported > Self.maxErrorsPerDocument {
            findings.append(rule.finding(document.path, Mark(line: 1, column: 1),
                                         "\(reported - Self.maxErrorsPerDocument) more schema errors not shown (\(compiled.name); \(owners))", record: matching.first?.id))
        }
        return findings
    }
}
