import Foundation
import GitKit

/// Runs every rule over a project and gathers all findings (never stopping at the first).
public struct Checker: Sendable {
    public var rules: [any Rule]

    public init(rules: [any Rule] = RuleRegistry.all.map { $0.init() }) {
        self.rules = rules
    }

    /// Every rule's findings, in rule order. With `summaries`, the report lists every record (JSON,
    /// JUnit and `--records` show them; text and SARIF need only the count); with `attribution`, each
    /// summary says who created and last changed it (JSON output and `--records` show it; the rest
    /// need not pay).
    public func check(_ project: Project, attribution: Bool = true, summaries listed: Bool = true) -> CheckReport {
        let findings = Timings.measure("rules") { run(on: project) }
        let summaries: [RecordSummary] = !listed ? [] : Timings.measure("record summaries") {
            // Reserved to the record count: a summary is a few hundred bytes, and doubling growth
            // left up to half of a large project's list unused.
            var summaries: [RecordSummary] = []
            summaries.reserveCapacity(project.records.count)
            for record in project.records {
                guard let id = record.id else { continue }
                summaries.append(RecordSummary(id: id, kind: record.kind ?? "", title: record.title ?? "", path: record.path,
                                               status: record.status?.rawValue ?? record.string("status") ?? "",
                                               attribution: attribution ? project.git?.attribution(of: record.path) : nil))
            }
            return summaries
        }
        return Timings.measure("sort findings") {
            CheckReport(findings: findings, recordCount: project.files.count, records: summaries, notes: project.git?.historyNote.map { [$0] } ?? [])
        }
    }

    /// Runs the rules on all cores: the record rules in one pass over the records (each record's
    /// findings from the cache when its bytes are known), then the rules that use git handles in one
    /// lane, in order (`RuleReads.needsGitLane`: a handle stays on one thread at a time), and every
    /// other rule in a lane of its own. Findings come out in rule order, each rule's in record order.
    private func run(on project: Project) -> [Finding] {
        Timings.measure("reference values") { _ = Project.concurrentMap(project.records) { $0.referenceValues.count } }
        let perRecord = rules.indices.filter { rules[$0] is any RecordRule }
        let others = rules.indices.filter { !(rules[$0] is any RecordRule) }
        let inGitLane = others.map { type(of: rules[$0]).reads.needsGitLane(project.source) }
        let lanes = [zip(others, inGitLane).filter(\.1).map(\.0)] + zip(others, inGitLane).filter { !$0.1 }.map { [$0.0] }
        var results = [[Finding]](repeating: [], count: rules.count)
        let judged = Timings.measure("record rules") { judgeRecords(project, rules: perRecord.map { rules[$0] as! any RecordRule }) }
        for (index, findings) in zip(perRecord, judged) { results[index] = findings }
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

    /// The record rules' findings, one list per rule: every record judged on all cores, or taken
    /// from the record findings cache by its blob id and path (the file is keyed by these rules'
    /// ids: another set of record rules starts it afresh).
    private func judgeRecords(_ project: Project, rules recordRules: [any RecordRule]) -> [[Finding]] {
        guard !recordRules.isEmpty else { return [] }
        let ids = recordRules.map { type(of: $0).description.id }
        let cache = project.cacheDirectory.map { RecordFindingsCache(directory: $0, ruleIDs: ids) }
        let perRecord = Project.concurrentMap(project.records) { record -> [Finding] in
            if let known = cache?.findings(blob: record.blobID, path: record.path) { return known }
            let found = recordRules.flatMap { $0.check(record: record) }
            WorkCounts.add(.recordsJudged)
            if let cache, let blob = record.blobID { cache.remember(blob: blob, path: record.path, findings: found) }
            return found
        }
        cache?.save(keeping: project.records.compactMap { record in record.blobID.map { (blob: $0, path: record.path) } })
        var byRule = [String: [Finding]]()
        for findings in perRecord {
            for finding in findings { byRule[finding.rule, default: []].append(finding) }
        }
        return ids.map { byRule[$0] ?? [] }
    }
}
