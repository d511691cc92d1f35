import Foundation

/// The triage board as text: one block per defect, most severe first, then the quarterly metrics.
enum DefectBoardText {
    static func render(_ board: DefectBoard) -> String {
        var out = "Defects as of \(board.today): \(board.entries.count) (\(board.entries.filter(\.open).count) open)\n"
        for entry in board.entries {
            out += "\n\(entry.id)  \(entry.severity)  \(entry.state)\(entry.open ? "" : " (closed)")  \(entry.title)\n"
            var facts: [String] = []
            if let received = entry.received { facts.append("received \(received)") }
            if let age = entry.ageDays { facts.append("\(entry.open ? "age" : "took") \(age) day\(age == 1 ? "" : "s")") }
            if let due = entry.triageDue { facts.append("triage due \(due)") }
            if let due = entry.fixDue { facts.append("fix due \(due)") }
            if let released = entry.released { facts.append("fix released \(released)") }
            out += "  " + facts.joined(separator: "; ") + "\n"
            for clock in entry.clocks { out += "  \(clock.severity.rawValue): [\(clock.rule)] \(clock.message)\n" }
            out += "  \(entry.path)\n"
        }
        if !board.quarters.isEmpty {
            out += "\nMedian days (by quarter received): to triage / to fix released / to disclose\n"
            for quarter in board.quarters {
                out += "  \(quarter.quarter)  \(quarter.defects) defect\(quarter.defects == 1 ? "" : "s")  \(ProcessMetrics.format(quarter.medianDaysToTriage)) / \(ProcessMetrics.format(quarter.medianDaysToFix)) / \(ProcessMetrics.format(quarter.medianDaysToDisclose))\n"
            }
        }
        return out
    }
}
