import Foundation

/// Runs every rule over a project and gathers all findings (never stopping at the first).
public struct Checker: Sendable {
    public var rules: [any Rule]

    public init(rules: [any Rule] = RuleRegistry.all.map { $0.init() }) {
        self.rules = rules
    }

    /// Every rule's findings, in rule order. With `attribution`, each record summary says who
    /// created and last changed it (JSON output and `--records` show it; the rest need not pay).
    public func check(_ project: Project, attribution: Bool = true) -> CheckReport {
        let findings = Timings.measure("rules") { run(on: project) }
        let summaries = Timings.measure("record summaries") {
            project.records.compactMap { record -> RecordSummary? in
                guard let id = record.id else { return nil }
                return RecordSummary(id: id, kind: record.kind ?? "", title: record.title ?? "", path: record.path,
                                     status: record.status?.rawValue ?? record.string("status") ?? "",
                                     attribution: attribution ? project.git?.attribution(of: record.path) : nil)
            }
        }
        return CheckReport(findings: findings, recordCount: project.files.count, records: summaries,
                           notes: project.git?.historyNote.map { [$0] } ?? [])
    }

    /// Runs the rules on all cores: the rules that read the repository in one lane, in order (git
    /// handles stay on one thread at a time), every other rule in a lane of its own.
    private func run(on project: Project) -> [Finding] {
        let serial = rules.indices.filter { type(of: rules[$0]).readsRepository }
        let lanes = [serial] + rules.indices.filter { !type(of: rules[$0]).readsRepository }.map { [$0] }
        var results = [[Finding]](repeating: [], count: rules.count)
        results.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            DispatchQueue.concurrentPerform(iterations: lanes.count) { lane in
                for index in lanes[lane] {
                    let rule = rules[index]
                    out[index] = Timings.measure("rule \(type(of: rule).description.id)") { rule.check(project) }
                }
            }
        }
        return results.flatMap { $0 }
    }
}
