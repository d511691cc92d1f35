import Vulnerabilities

/// Two current advisories publish under one tracking id (`advisory-id`, else the record id): a CSAF
/// document is named and found by that id, so the second would overwrite or shadow the first.
public struct DuplicateAdvisoryIDRule: Rule {
    public init() {}
    static func advisory(_ id: String, _ publicID: String) -> String {
        "kind: advisory\nid: \(id)\ntitle: A\nstatus: draft\nowner: a@example.com\nadvisory-id: \(publicID)\n"
    }

    public static let description = RuleDescription(
        id: "duplicate-advisory-id", name: "Duplicate advisory tracking id",
        summary: "Two current advisories have the same advisory-id (or ids that name the same CSAF file): consumers find a CSAF document by its tracking id, so each advisory needs its own.",
        severity: .error,
        triggering: [
            RuleExample(["security/a.yaml": advisory("ADV-1", "EX-SA-2026-001"), "security/b.yaml": advisory("ADV-2", "EX-SA-2026-001")]),
            RuleExample(["security/a.yaml": advisory("ADV-1", "EX-SA-2026-001"), "security/b.yaml": advisory("ADV-2", "ex-sa-2026-001")]),
        ],
        nonTriggering: [
            RuleExample(["security/a.yaml": advisory("ADV-1", "EX-SA-2026-001"), "security/b.yaml": advisory("ADV-2", "EX-SA-2026-002")]),
            RuleExample(["security/a.yaml": advisory("ADV-1", "EX-SA-2026-001").replacingOccurrences(of: "status: draft", with: "status: superseded"),
                         "security/b.yaml": advisory("ADV-2", "EX-SA-2026-001")]),
        ])

    /// Where the tracking id is written: `advisory-id`, else the record id it falls back to.
    static func idMark(_ record: Record) -> Mark {
        record.mark(of: record.node["advisory-id"] != nil ? "advisory-id" : "id")
    }

    public func check(_ project: Project) -> [Finding] {
        var first: [String: (record: Record, publicID: String)] = [:]
        var findings: [Finding] = []
        for record in project.records where record.kind == "advisory" && record.isCurrent {
            guard let publicID = record.string("advisory-id") ?? record.id else { continue }
            let file = CSAFDocument.fileName(forTrackingID: publicID)
            guard let original = first[file] else {
                first[file] = (record, publicID)
                continue
            }
            let at = Self.idMark(record), there = Self.idMark(original.record)
            let same = original.publicID == publicID ? "'\(publicID)'" : "'\(publicID)' (the CSAF file \(file), as '\(original.publicID)')"
            findings.append(Self.description.finding(record.path, at,
                "advisory-id \(same) is already \(original.record.id ?? original.record.path)'s (\(original.record.path):\(there.line)); give this advisory a tracking id of its own",
                record: record.id))
        }
        return findings
    }
}
