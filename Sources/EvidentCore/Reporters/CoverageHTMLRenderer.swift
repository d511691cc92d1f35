/// What a standalone report page says it is about, as the audit bundle's index does: the commit
/// judged (and whether the working tree was), its date, and the tool that judged it.
public struct ReportHeader: Sendable, Equatable {
    public var commit: String?
    public var commitDate: String?
    public var commitSummary: String?
    /// "working tree", "index" or "commit": what was read.
    public var source: String
    public var toolVersion: String

    public init(commit: String?, commitDate: String?, commitSummary: String?, source: String, toolVersion: String) {
        self.commit = commit
        self.commitDate = commitDate
        self.commitSummary = commitSummary
        self.source = source
        self.toolVersion = toolVersion
    }
}

/// A self-contained HTML page of the coverage matrix (inline CSS, no scripts).
public struct CoverageHTMLRenderer: CoverageRenderer {
    public var header: ReportHeader?
    public init(header: ReportHeader? = nil) { self.header = header }

    /// The product, commit, date, level and tool, as a table.
    func meta(_ report: CoverageReport) -> String {
        guard let header else { return "" }
        let e = HTML.escape
        let commit = header.commit.map { "<code>\(e($0))</code>\(header.commitSummary.map { " " + e($0) } ?? "")" } ?? "no commits yet"
        let source = header.source == "commit" ? "" : " <small>(judged from the \(e(header.source)))</small>"
        return """
        <table class="meta"><tbody>
        <tr><th scope="row">Product</th><td>\(e(report.product))</td></tr>
        <tr><th scope="row">Commit</th><td>\(commit)\(source)</td></tr>
        <tr><th scope="row">Commit date</th><td>\(e(header.commitDate ?? "none"))</td></tr>
        <tr><th scope="row">Target level</th><td>ML\(report.level)</td></tr>
        <tr><th scope="row">Produced by</th><td>evident \(e(header.toolVersion))</td></tr>
        </tbody></table>

        """
    }

    public func render(_ report: CoverageReport) -> String {
        var rows = ""
        for practice in report.practices {
            rows += "<tr class=\"practice\"><th colspan=\"5\" scope=\"rowgroup\">\(HTML.escape(practice.id)): \(HTML.escape(practice.title))</th></tr>\n"
            for item in report.requirements where item.requirement.practice == practice.id {
                let evidence = item.evidence.filter { $0.role != .supporting }.map { "\(HTML.escape($0.record)) <small>(\($0.role.rawValue)\($0.approved ? ", approved" : "")\($0.excluded == nil ? "" : ", not counted"))</small>" }.joined(separator: "<br>")
                rows += "<tr><th scope=\"row\">\(HTML.escape(item.requirement.id))</th><td>\(HTML.escape(item.requirement.title))</td><td class=\"status \(item.status.rawValue)\">\(item.status.rawValue)</td><td>\(evidence)<div class=\"why\">\(HTML.escape(item.reason))</div></td><td class=\"next\">\(HTML.escape(item.nextStep ?? ""))</td></tr>\n"
            }
        }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(HTML.escape(report.product)) coverage</title>
        <style>\(HTML.style)</style></head><body>
        <h1>\(HTML.escape(report.product)): IEC 62443-4-1 coverage at ML\(report.level)</h1>
        \(meta(report))        <p>\(report.count(.met)) met, \(report.count(.partial)) partial, \(report.count(.missing)) missing, \(report.count(.notApplicable)) not applicable of \(report.requirements.count).</p>
        <table><thead><tr><th scope="col">ID</th><th scope="col">Requirement</th><th scope="col">Status</th><th scope="col">Evidence</th><th scope="col">Next step</th></tr></thead>
        <tbody>
        \(rows)</tbody></table>
        <h2 id="process-metrics">Process metrics</h2>
        \(report.processMetrics.html)</body></html>

        """
    }
}

/// HTML helpers shared by the HTML renderers.
public enum HTML {
    public static func escape(_ text: String) -> String {
        // Most text has nothing to escape: one byte scan instead of a walk over grapheme clusters.
        if !text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) { return text }
        // ASCII text: every character is one byte, so a byte walk escapes exactly what the character walk does.
        if !text.utf8.contains(where: { $0 >= 0x80 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count + 64)
            for byte in text.utf8 {
                switch byte {
                case 0x26: bytes.append(contentsOf: "&amp;".utf8)
                case 0x3C: bytes.append(contentsOf: "&lt;".utf8)
                case 0x3E: bytes.append(contentsOf: "&gt;".utf8)
                case 0x22: bytes.append(contentsOf: "&quot;".utf8)
                case 0x27: bytes.append(contentsOf: "&#39;".utf8)
                default: bytes.append(byte)
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    public static let style = """
    body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24}
    table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
    thead th{background:#f6f8fa}tr.practice th{background:#eaeef2}.status{font-weight:600;white-space:nowrap}
    .met{color:#116329}.partial{color:#7d4e00}.missing{color:#a40e26}.not-applicable{color:#57606a}.why{color:#57606a;font-size:.9em}
    code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}pre{background:#f6f8fa;padding:.75rem;overflow:auto}
    @media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}tr{break-inside:avoid}}
    """
}
