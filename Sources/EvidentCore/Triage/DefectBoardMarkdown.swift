/// The triage board as a Markdown table (for a release review or a wiki page).
enum DefectBoardMarkdown {
    static func render(_ board: DefectBoard) -> String {
        var out = "# Defects as of \(board.today)\n\n| defect | severity | state | received | age (days) | triage due | fix due | fix released | clocks |\n|---|---|---|---|---:|---|---|---|---|\n"
        for entry in board.entries {
            let clocks = entry.clocks.map { "\($0.severity.rawValue): \($0.message)" }.joined(separator: "<br>")
            let cells = [entry.id, entry.severity, entry.state, entry.received ?? "", entry.ageDays.map(String.init) ?? "", entry.triageDue ?? "",
                         entry.fixDue ?? "", entry.released ?? "", clocks]
            out += "| " + cells.map(escape).joined(separator: " | ") + " |\n"
        }
        if !board.quarters.isEmpty {
            out += "\n## Median days by quarter received\n\n" + ProcessMetrics(quarters: board.quarters).markdown
        }
        return out
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
