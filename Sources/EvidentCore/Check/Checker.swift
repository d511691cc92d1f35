/// Runs every rule over a project and gathers all findings (never stopping at the first).
public struct Checker: Sendable {
    public var rules: [any Rule]

    public init(rules: [any Rule] = RuleRegistry.all.map { $0.init() }) {
        self.rules = rules
    }

    public func check(_ project: Project) -> CheckReport {
        let findings = rules.flatMap { rule in
            Timings.measure("rule \(type(of: rule).description.id)") { rule.check(project) }
        }
        let summaries = project.records.compactMap { record -> RecordSummary? in
            guard let id = record.id else { return nil }
            return RecordSummary(id: id, kind: record.kind ?? "", title: record.title ?? "", path: record.path,
                                 status: record.status?.rawValue ?? record.string("status") ?? "",
                                 attribution: project.git?.attribution(of: record.path))
        }
        return CheckReport(findings: findings, recordCount: project.files.count, records: summaries,
                           notes: project.git?.historyNote.map { [$0] } ?? [])
    }
}
