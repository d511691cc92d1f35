import Foundation

/// The triage board as JSON: `{"version":1,"today","defects":[...],"metrics":[...]}`.
enum DefectBoardJSON {
    static func render(_ board: DefectBoard) -> String {
        func optional(_ value: Any?) -> Any { value ?? NSNull() }
        let defects: [[String: Any]] = board.entries.map { entry in
            ["id": entry.id, "path": entry.path, "title": entry.title, "severity": entry.severity, "state": entry.state, "open": entry.open,
             "received": optional(entry.received), "age-days": optional(entry.ageDays), "triage-due": optional(entry.triageDue),
             "fix-due": optional(entry.fixDue), "fix-released": optional(entry.released),
             "clocks": entry.clocks.map { ["rule": $0.rule, "severity": $0.severity.rawValue, "message": $0.message, "line": $0.line, "column": $0.column] }]
        }
        let metrics: [[String: Any]] = board.quarters.map { quarter in
            ["quarter": quarter.quarter, "defects": quarter.defects, "median-days-to-triage": optional(quarter.medianDaysToTriage),
             "median-days-to-fix": optional(quarter.medianDaysToFix), "median-days-to-disclose": optional(quarter.medianDaysToDisclose)]
        }
        return PlainJSON.pretty(["version": 1, "today": board.today, "defects": defects, "metrics": metrics])
    }
}

/// Pretty, key-sorted JSON of plain values (small outputs: the board, the import result, cvss).
enum PlainJSON {
    static func pretty(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
