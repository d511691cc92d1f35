import Foundation

/// The triage board (`evident defects`): defects by severity with age, deadlines and clock state,
/// and the process metrics an ML4 review reads (median days to triage, fix and disclose, per quarter).
public struct DefectBoard: Sendable {
    public struct Entry: Sendable {
        public var id: String
        public var path: String
        public var title: String
        public var severity: String
        public var state: String
        public var open: Bool
        public var received: String?
        public var ageDays: Int?
        public var triageDue: String?
        public var fixDue: String?
        public var released: String?
        /// The lifecycle findings on this defect (deadlines, CRA clocks), as `check` reports them.
        public var clocks: [Finding]
    }
    /// Medians of one quarter (by received date); nil where no defect of the quarter has the dates.
    public struct Quarter: Sendable {
        public var quarter: String
        public var defects: Int
        public var medianDaysToTriage: Double?
        public var medianDaysToFix: Double?
        public var medianDaysToDisclose: Double?
    }

    public var today: String
    public var entries: [Entry]
    public var quarters: [Quarter]

    static let clockRules: [any Rule.Type] = [TriageDeadlineRule.self, FixDeadlineRule.self, CRAReportingRule.self, DefectDatesRule.self, ResidualRiskRule.self]
    static let severityOrder = ["critical", "high", "medium", "low", "none", "unknown"]

    /// The board of a loaded project; with `openOnly`, only defects still to be handled.
    public static func build(_ project: Project, openOnly: Bool) -> DefectBoard {
        var clocks: [String: [Finding]] = [:]
        for rule in clockRules {
            for finding in rule.init().check(project) { clocks[finding.path, default: []].append(finding) }
        }
        let policy = project.configuration.policy
        let releases = ReleaseFacts.all(project)
        var entries: [Entry] = []
        var released: [String: String] = [:]
        for record in project.records where record.kind == "defect" && record.isCurrent {
            let facts = DefectFacts(record)
            if openOnly && !facts.isOpen { continue }
            let release = facts.firstRelease(project, releases: releases)
            if let id = record.id, let release { released[id] = release.date }
            entries.append(Entry(
                id: record.id ?? record.path, path: record.path, title: record.title ?? "", severity: facts.severity,
                state: facts.state ?? "?", open: facts.isOpen, received: facts.received,
                ageDays: facts.received.flatMap { DayClock.days(from: $0, to: facts.closedOn ?? project.today) },
                triageDue: facts.received.flatMap { r in DefectPolicy.days(policy.triageDays, severity: facts.severity).flatMap { DayClock.adding(days: $0, to: r) } },
                fixDue: facts.received.flatMap { r in DefectPolicy.days(policy.fixDays, severity: facts.severity).flatMap { DayClock.adding(days: $0, to: r) } },
                released: release?.date, clocks: clocks[record.path] ?? []))
        }
        entries.sort { a, b in
            let x = severityOrder.firstIndex(of: a.severity) ?? 9, y = severityOrder.firstIndex(of: b.severity) ?? 9
            return x != y ? x < y : (a.received ?? "", a.id) < (b.received ?? "", b.id)
        }
        return DefectBoard(today: project.today, entries: entries, quarters: quarters(project, released: released))
    }

    static func quarters(_ project: Project, released: [String: String]) -> [Quarter] {
        var byQuarter: [String: [DefectFacts]] = [:]
        for record in project.records where record.kind == "defect" && record.isCurrent {
            let facts = DefectFacts(record)
            guard let received = facts.received, let month = Int(received.dropFirst(5).prefix(2)) else { continue }
            byQuarter["\(received.prefix(4))-Q\((month - 1) / 3 + 1)", default: []].append(facts)
        }
        return byQuarter.keys.sorted().map { quarter in
            let defects = byQuarter[quarter] ?? []
            func median(_ end: (DefectFacts) -> String?) -> Double? {
                let values = defects.compactMap { facts in facts.received.flatMap { r in end(facts).flatMap { DayClock.days(from: r, to: $0) } } }.sorted()
                guard !values.isEmpty else { return nil }
                let middle = values.count / 2
                return values.count % 2 == 1 ? Double(values[middle]) : Double(values[middle - 1] + values[middle]) / 2
            }
            return Quarter(quarter: quarter, defects: defects.count,
                           medianDaysToTriage: median { $0.triaged },
                           medianDaysToFix: median { facts in facts.record.id.flatMap { released[$0] } ?? facts.date("released") },
                           medianDaysToDisclose: median { $0.disclosed })
        }
    }

    /// Whether any clock finding is an error (the command exits 1 then).
    public var hasErrors: Bool { entries.contains { $0.clocks.contains { $0.severity == .error } } }
}

/// The board's output formats.
public enum DefectBoardFormat: String, CaseIterable, Sendable {
    case text, json, markdown

    public func render(_ board: DefectBoard) -> String {
        switch self {
        case .text: return DefectBoardText.render(board)
        case .json: return DefectBoardJSON.render(board)
        case .markdown: return DefectBoardMarkdown.render(board)
        }
    }
}
