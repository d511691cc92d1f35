/// A self-contained HTML page of the trace (inline CSS, no scripts), also the bundle's trace.html.
public struct TraceHTMLRenderer: TraceRenderer {
    public init() {}

    public func render(_ report: TraceReport) -> String {
        let e = HTML.escape
        var rows = ""
        for threat in report.threats {
            let requirements = threat.requirements.map { "\(e($0.id))\($0.status.map { " <small>(\(e($0)))</small>" } ?? "")" }.joined(separator: "<br>")
            let tests = threat.tests.map { "<span class=\"\($0.result == "pass" ? "pass" : "fail")\">\(e($0.summary))</span>" }.joined(separator: "<br>")
            let gaps = threat.gaps.map { "<li>\(e($0))</li>" }.joined()
            rows += "<tr><th scope=\"row\">\(e(threat.record)) \(e(threat.id))</th><td>\(e(threat.title))</td><td>\(e(threat.status))</td><td>\(requirements)</td><td>\(tests)</td><td>\(gaps.isEmpty ? "" : "<ul>\(gaps)</ul>")</td></tr>\n"
        }
        let unneeded = report.requirementsWithoutThreat.isEmpty ? "" : "<p>Security requirements no threat needs: \(e(report.requirementsWithoutThreat.joined(separator: ", "))).</p>"
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(e(report.product)): traceability</title>
        <style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}.pass{color:#176e2c}.fail{color:#a11}ul{margin:0;padding-left:1.2em}</style>
        </head><body>
        <h1>\(e(report.product)): threats, requirements, tests</h1>
        <p>\(report.threats.count) threats, \(report.gapCount) gaps.</p>
        <table><thead><tr><th scope="col">Threat</th><th scope="col">Title</th><th scope="col">Status</th><th scope="col">Security requirements</th><th scope="col">Tests</th><th scope="col">Gaps</th></tr></thead>
        <tbody>
        \(rows)</tbody></table>
        \(unneeded)
        </body></html>

        """
    }
}
