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
    public var today: String
    public var entries: [Entry]
    /// The ML4 process metrics of every defect (also with `openOnly`: closed defects are what they measure).
    public var quarters: [ProcessMetrics.Quarter]

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
        for record in project.records where record.kind == "defect" && record.isCurrent {
            let facts = DefectFacts(record)
            if openOnly && !facts.isOpen { continue }
            let release = facts.firstRelease(project, releases: releases)
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
        return DefectBoard(today: project.today, entries: entries, quarters: ProcessMetrics.of(project).quarters)
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
