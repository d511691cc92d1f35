/// The process metrics as a Markdown and as an HTML table, for every report that carries them
/// (`evident defects --format markdown`, `coverage --format markdown|html`, the bundle's index).
extension ProcessMetrics {
    static let explanation = "Median days from received to triaged, to the first release carrying the fix, and to disclosed, by the quarter the defect was received."
    static let none = "No defect record has a received date, so there are no process metrics yet."

    /// A heading-less Markdown table (or the sentence saying there is nothing to show).
    public var markdown: String {
        guard !quarters.isEmpty else { return Self.none + "\n" }
        var out = "| quarter | defects | to triage | to fix released | to disclose |\n|---|---:|---:|---:|---:|\n"
        for quarter in quarters {
            out += "| \(quarter.quarter) | \(quarter.defects) | \(Self.format(quarter.medianDaysToTriage)) | \(Self.format(quarter.medianDaysToFix)) | \(Self.format(quarter.medianDaysToDisclose)) |\n"
        }
        return out
    }

    /// An explanation and an HTML table (or the sentence saying there is nothing to show).
    public var html: String {
        guard !quarters.isEmpty else { return "<p>\(HTML.escape(Self.none))</p>\n" }
        var out = "<p>\(HTML.escape(Self.explanation))</p>\n<table class=\"metrics\"><thead><tr><th scope=\"col\">Quarter</th><th scope=\"col\">Defects</th><th scope=\"col\">Median days to triage</th><th scope=\"col\">Median days to fix released</th><th scope=\"col\">Median days to disclose</th></tr></thead><tbody>\n"
        for quarter in quarters {
            out += "<tr><th scope=\"row\">\(HTML.escape(quarter.quarter))</th><td>\(quarter.defects)</td><td>\(Self.format(quarter.medianDaysToTriage, none: "no data"))</td><td>\(Self.format(quarter.medianDaysToFix, none: "no data"))</td><td>\(Self.format(quarter.medianDaysToDisclose, none: "no data"))</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }
}
