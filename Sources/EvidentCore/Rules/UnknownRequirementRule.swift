/// A requirement ID in any field that names one (the schemas say which) or in `.evident.yml` is not one of the 47 of IEC 62443-4-1.
public struct UnknownRequirementRule: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "unknown-requirement", name: "Unknown requirement",
        summary: "A requirement ID is not in the IEC 62443-4-1 catalog; the finding suggests the nearest one.",
        severity: .error,
        triggering: [
            RuleExample(["security/a.yaml": "kind: threat-model\nid: TM-1\ntitle: T\nstatus: draft\nowner: a@example.com\nevidence-for: [SR-9]\n"]),
            RuleExample([".evident.yml": "version: 1\nproduct: X\nrecords: security\nnot-applicable:\n  - requirement: SM-14\n    reason: n/a\n"]),
        ],
        nonTriggering: [
            RuleExample(["security/a.yaml": "kind: threat-model\nid: TM-1\ntitle: T\nstatus: draft\nowner: a@example.com\nevidence-for: [SR-2, SD-1]\n"]),
        ])

    public func check(_ project: Project) -> [Finding] {
        var findings: [Finding] = []
        func message(_ id: String) -> String {
            var text = "'\(id)' is not an IEC 62443-4-1 requirement"
            let suggestions = project.catalog.suggestions(for: id)
            if !suggestions.isEmpty { text += "; did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))?" }
            return text
        }
        // Every field the schemas mark as naming a requirement (`evidence-for`, a practice section's
        // `covers`, a periodic review's `subject`, ...).
        for record in project.records {
            for entry in ReferenceFields.shared.values(in: record, targets: [.requirement]) where project.catalog.requirement(entry.value) == nil {
                findings.append(Self.description.finding(record.path, entry.mark, message(entry.value), record: record.id))
            }
        }
        for exemption in project.configuration.exemptions where project.catalog.requirement(exemption.requirement) == nil {
            findings.append(Self.description.finding(project.configPath, exemption.mark, message(exemption.requirement)))
        }
        return findings
    }
}
