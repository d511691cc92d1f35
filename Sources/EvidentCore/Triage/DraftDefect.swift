import Foundation
import JSONSchema
import Vulnerabilities

/// A draft defect record rendered for writing, with what the import reports about it.
struct DraftDefect {
    var created: TriageImportResult.Created
    var text: String
    /// The record as it reads back (what the parse cache stores for the next run).
    var root: YAMLNode
}

extension TriagePlan {
    /// The records for the new groups, with ids allocated after the highest `DEF-YYYY-NNN` of the
    /// import's year. Each is read back and validated against the defect schema before anything is
    /// written: a value that would not round-trip, or a record the schema refuses, stops the import.
    func drafts(owner: String) throws -> [DraftDefect] {
        guard !newGroups.isEmpty else { return [] }
        let year = String(today.prefix(4))
        let prefix = "DEF-\(year)-"
        let taken = Set(project.records.compactMap(\.id))
        var next = (project.records.compactMap { record -> Int? in
            guard let id = record.id, id.hasPrefix(prefix) else { return nil }
            return Int(id.dropFirst(prefix.count))
        }.max() ?? 0) + 1
        let folder = "\(project.configuration.recordsRoot)/\(project.catalog.kinds["defect"]?.folder ?? "defects")"
        let header = ["yaml-language-server: $schema=\(String(repeating: "../", count: folder.split(separator: "/").count)).evident/schemas/defect.schema.json",
                      "Imported by evident triage import: a draft for triage (DM-2, DM-3)."]
        // Ids in a stable order (component, then vulnerability), allocated one after another...
        let ordered = newGroups.map { ($0, Self.primaryID($0.ids)) }.sorted { ($0.0.component.purl, $0.1) < ($1.0.component.purl, $1.1) }
        var ids: [String] = []
        for _ in ordered {
            var id = prefix + Self.threeDigits(next)
            while taken.contains(id) { next += 1; id = prefix + Self.threeDigits(next) }
            next += 1
            ids.append(id)
        }
        // ...then each record rendered and read back on all cores: it must parse, and every value
        // must read back as the string written.
        let rendered = Timings.measure("render and read back") {
            Project.concurrentMap(Array(zip(ordered.map(\.0), ids))) { group, id -> Result<(DraftDefect, JSONValue), TriageImportError> in
                let (pairs, created) = record(for: group, id: id, path: "\(folder)/\(id).yaml", owner: owner)
                let text = YAMLWriter.document(pairs, header: header)
                let document = YAMLLoader.load(Data(text.utf8), limits: project.configuration.limits)
                guard document.problems.isEmpty, let root = document.root else {
                    return .failure(.invalidRecord(id: id, reason: "it does not read back as YAML: \(document.problems.first?.message ?? "empty")"))
                }
                let json = RecordJSON.value(of: root)
                guard json == Self.json(.map(pairs)) else { return .failure(.invalidRecord(id: id, reason: "a value does not read back as written")) }
                return .success((DraftDefect(created: created, text: text, root: root), json))
            }
        }
        let drafts = try rendered.map { try $0.get() }
        // The schema, in as many batches as cores (each batch on its own validator).
        let verdicts = Timings.measure("validate") { Self.validateInParallel(drafts.map(\.1)) }
        for ((draft, _), errors) in zip(drafts, verdicts) {
            if let error = errors?.first { throw TriageImportError.invalidRecord(id: draft.created.id, reason: "\(error.instanceLocation): \(error.message)") }
        }
        return drafts.map(\.0)
    }

    /// A positive number with at least three digits (`7` -> `007`), as `String(format: "%03d")`
    /// writes it, without Foundation's formatter (a few microseconds per id).
    static func threeDigits(_ number: Int) -> String {
        let digits = String(number)
        return digits.count >= 3 ? digits : String(repeating: "0", count: 3 - digits.count) + digits
    }

    static func validateInParallel(_ jsons: [JSONValue]) -> [[JSONSchema.ValidationError]?] {
        let lanes = max(1, min(ProcessInfo.processInfo.activeProcessorCount, jsons.count / 500))
        guard lanes > 1 else { return RecordSchemas.shared.validate(jsons.map { ($0, "defect") }) }
        let chunks = (0..<lanes).map { lane in Array(jsons[(jsons.count * lane / lanes)..<(jsons.count * (lane + 1) / lanes)]) }
        var results = [[[JSONSchema.ValidationError]?]](repeating: [], count: lanes)
        results.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                // The shared validator for one lane, a fresh one (its own compiled schemas) for each other.
                out[lane] = (lane == 0 ? RecordSchemas.shared : RecordSchemas()).validate(chunks[lane].map { ($0, "defect") })
            }
        }
        return results.flatMap { $0 }
    }

    /// The fields of one draft defect, in the order a person reads them.
    func record(for group: Group, id: String, path: String, owner: String) -> ([(String, YAMLWriter.Value)], TriageImportResult.Created) {
        typealias V = YAMLWriter.Value
        let primary = Self.primaryID(group.ids)
        let findings = group.findings.map(\.finding)
        let best = Self.bestVector(group, vectors)
        let vector = best?.vector
        let scoreSeverity = vector?.baseScore.map { ScanSeverity(score: $0) }
        let severity = scoreSeverity ?? findings.map(\.severity).max() ?? .unknown
        let dates = group.findings.compactMap { $0.scan.report.date }.filter(DateText.isDate)
        // A scan dated after today (a skewed clock, or a fixed EVIDENT_TODAY) is received today.
        let received = min(dates.min() ?? today, today)
        let name = findings.first?.packageName ?? group.component.purl
        let version = findings.first?.packageVersion
        var pairs: [(String, V)] = [
            ("kind", .string("defect")), ("id", .string(id)),
            ("title", .string(Self.clip("\(primary) in \(name)\(version.map { " \($0)" } ?? "")", 200))),
            ("status", .string("draft")), ("owner", .string(owner)),
        ]
        let sources = sources(of: group.component)
        if !sources.records.isEmpty {
            pairs.append(("links", .list(sources.records.map { .map([("to", .string($0)), ("relation", .string("references"))]) })))
        }
        let scanners = Self.unique(group.findings.map { $0.scan.report.format.rawValue })
        let summary = findings.lazy.compactMap(\.summary).first
        pairs += [
            ("source", .string("scanner")), ("received", .string(received)),
            ("description", .string(Self.clip(summary ?? "\(primary) reported by \(scanners.joined(separator: ", ")) for \(group.component.purl).", 4000))),
        ]
        if let best { pairs.append(("cvss", .string(best.canonical))) } else if severity != .unknown { pairs.append(("severity", .string(severity.rawValue))) }
        let cve = group.ids.first(where: Self.isCVE)
        if let cve { pairs.append(("cve", .string(cve))) }
        let aliases = Self.unique(group.ids.filter { $0 != cve })
        if !aliases.isEmpty { pairs.append(("aliases", .list(aliases.map(V.string)))) }
        pairs.append(("component", .string(group.component.purl)))
        let affected = sources.versions.isEmpty ? ["*"] : sources.versions
        pairs.append(("affected-versions", .list(affected.map(V.string))))
        let fixes = Self.unique(findings.flatMap(\.fixedVersions)).filter { $0.count <= 128 && !$0.contains(where: \.isWhitespace) }
        if !fixes.isEmpty { pairs.append(("fixed-versions", .list(fixes.map(V.string)))) }
        let references = Self.unique(findings.flatMap(\.references)).filter { url in
            (url.hasPrefix("https://") || url.hasPrefix("http://")) && url.count <= 2048 && !url.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 }
        }
        if !references.isEmpty { pairs.append(("references", .list(references.prefix(20).map(V.string)))) }
        var seenScans = Set<String>()
        let scans: [V] = group.findings.compactMap { entry in
            guard seenScans.insert(entry.scan.file).inserted else { return nil }
            var scan: [(String, V)] = [("scanner", .string(entry.scan.report.format.rawValue)), ("file", .string(Self.clip(entry.scan.file, 1024)))]
            if let date = entry.scan.report.date, DateText.isDate(date) { scan.append(("date", .string(date))) }
            if let tool = entry.scan.report.toolVersion, !tool.isEmpty, tool.count <= 128 { scan.append(("tool-version", .string(tool))) }
            return .map(scan)
        }
        pairs.append(("scans", .list(scans)))
        pairs.append(("analysis", .map([("state", .string("in_triage"))])))
        let created = TriageImportResult.Created(id: id, path: path, vulnerability: primary, aliases: aliases.filter { $0 != primary },
                                                 component: group.component.purl, severity: severity.rawValue, files: Self.unique(group.findings.map(\.scan.file)))
        return (pairs, created)
    }

    /// `CVE-YYYY-NNNN...` (what the schema's `cve` accepts), without compiling a pattern per record.
    static func isCVE(_ id: String) -> Bool {
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "CVE" && parts[1].count == 4 && parts[2].count >= 4
            && parts[1].allSatisfy(\.isASCII) && parts[1].allSatisfy(\.isNumber) && parts[2].allSatisfy(\.isASCII) && parts[2].allSatisfy(\.isNumber)
    }

    static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 3)) + "..."
    }

    /// A generated value as the JSON its YAML should read back as (strings stay strings).
    static func json(_ value: YAMLWriter.Value) -> JSONValue {
        switch value {
        case .string(let text): return .string(text)
        case .number(let text): return JSONNumber(text: text).map(JSONValue.number) ?? .string(text)
        case .list(let items): return .array(items.map(json))
        case .map(let pairs): return .object(JSONObject(pairs.map { ($0.0, json($0.1)) }))
        }
    }
}
