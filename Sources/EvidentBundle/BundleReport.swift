import EvidentCore
import Foundation

/// The bundle's HTML: `index.html` (summary, coverage matrix with evidence and who produced it, records,
/// findings) and one page per record under `pages/`. Self-contained: inline CSS, no scripts, no fonts.
struct BundleReport {
    var project: Project
    var coverage: CoverageReport
    var findings: [Finding]
    var commit: BundleManifest.CommitInfo
    var repository: String
    var toolVersion: String
    var bundledPaths: Set<String>
    var attribution: (String) -> Attribution?
    /// A record file's bytes (the project's source unless told otherwise).
    var readSource: (String) throws -> Data
    /// A record file's approval history, newest first (from git, up to the exported commit).
    var approvals: (String) -> [ApprovalEvent]
    /// The disclosure documents in the bundle (CSAF advisories, VEX): name and title, linked from the index.
    var disclosure: [(name: String, title: String)]
    /// Findings by path, in `findings` order: each record page shows its own.
    private let findingsByPath: [String: [Finding]]

    init(project: Project, coverage: CoverageReport, findings: [Finding], commit: BundleManifest.CommitInfo, repository: String,
         toolVersion: String, bundledPaths: Set<String>, attribution: @escaping (String) -> Attribution?,
         readSource: ((String) throws -> Data)? = nil, approvals: @escaping (String) -> [ApprovalEvent] = { _ in [] },
         disclosure: [(name: String, title: String)] = []) {
        self.disclosure = disclosure
        self.project = project
        self.coverage = coverage
        self.findings = findings
        self.commit = commit
        self.repository = repository
        self.toolVersion = toolVersion
        self.bundledPaths = bundledPaths
        self.attribution = attribution
        self.readSource = readSource ?? project.source.read
        self.approvals = approvals
        findingsByPath = Dictionary(grouping: findings, by: \.path)
    }

    static let extraStyle = """
    dl.fields{margin:.25rem 0;display:grid;grid-template-columns:max-content 1fr;gap:.15rem .75rem}dl.fields dt{font-weight:600;color:#57606a}
    dl.fields dd{margin:0}ol.items{margin:.1rem 0;padding-left:1.25rem}.meta td,.meta th{border:none;padding:.1rem .5rem .1rem 0}
    .meta{width:auto}.approved{color:#116329}.unapproved{color:#7d4e00}.error{color:#a40e26}.warning{color:#7d4e00}
    nav a{margin-right:1rem}h2{margin-top:2rem;border-bottom:1px solid #d0d7de}small{color:#57606a}pre{white-space:pre-wrap;overflow-wrap:anywhere}
    @media print{h2{break-before:page}h2.first{break-before:avoid}}
    """

    /// Page file name for each record path, from its id (sanitised, de-duplicated in path order).
    var pageNames: [String: String] {
        var names: [String: String] = [:]
        var used = Set<String>()
        for record in project.records {
            let base = Self.sanitize(record.id ?? record.path)
            var name = base
            var counter = 2
            while used.contains(name) { name = "\(base)-\(counter)"; counter += 1 }
            used.insert(name)
            names[record.path] = BundleLayout.pagesFolder + name + ".html"
        }
        return names
    }

    /// A page name from a record id: letters, digits, `.`, `_` and `-` kept, anything else `_`, at
    /// most 100 characters, never empty or hidden.
    static func sanitize(_ text: String) -> String {
        let cleaned: String
        if text.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\r") }) {
            // ASCII without CR (CR LF is one Character): bytes and Characters are the same.
            cleaned = String(decoding: text.utf8.prefix(100).map { isAllowed($0) ? $0 : UInt8(ascii: "_") }, as: UTF8.self)
        } else {
            cleaned = String(text.map { $0.isASCII && isAllowed($0.asciiValue ?? 0) ? $0 : "_" }.prefix(100))
        }
        return cleaned.isEmpty || cleaned.hasPrefix(".") ? "record" + cleaned : cleaned
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// The record each page shows, by page name (`index.html` is made by `index`).
    func pageRecords(_ names: [String: String]) -> [String: Record] {
        var pages: [String: Record] = [:]
        for record in project.records {
            if let name = names[record.path] { pages[name] = record }
        }
        return pages
    }

    func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title))</title>
        <style>\(HTML.style)
        \(Self.extraStyle)</style></head><body>
        \(body)
        </body></html>

        """
    }

    func who(_ event: Attribution.Event?) -> String {
        guard let event else { return "<small>no history</small>" }
        let signature = event.signature.map { " signature \(HTML.escape($0.status.rawValue))\($0.signer.map { " by " + HTML.escape($0) } ?? "")" } ?? ""
        return "\(HTML.escape(event.author)) <small>\(HTML.escape(String(event.date.prefix(10)))) \(HTML.escape(String(event.commit.prefix(10))))\(signature)</small>"
    }

    /// "created X; last changed Y", or one event when a single commit did both.
    func history(_ facts: Attribution?) -> String {
        if let created = facts?.created, created == facts?.lastChanged { return "created and last changed \(who(created))" }
        return "created \(who(facts?.created)); last changed \(who(facts?.lastChanged))"
    }

    func index(_ names: [String: String]) -> String {
        let e = HTML.escape
        var body = """
        <header><h1>\(e(coverage.product)): IEC 62443-4-1 audit bundle</h1>
        <table class="meta"><tbody>
        <tr><th scope="row">Product</th><td>\(e(coverage.product))</td></tr>
        <tr><th scope="row">Repository</th><td>\(e(repository))</td></tr>
        <tr><th scope="row">Commit</th><td><code>\(e(commit.id))</code> \(e(commit.summary))</td></tr>
        <tr><th scope="row">Commit date</th><td>\(e(commit.date))</td></tr>
        <tr><th scope="row">Target level</th><td>ML\(coverage.level)</td></tr>
        <tr><th scope="row">Produced by</th><td>evident \(e(toolVersion)); files and hashes in <code>manifest.json</code></td></tr>
        </tbody></table>
        <nav><a href="#coverage">Coverage</a><a href="#process-metrics">Process metrics</a><a href="#records">Records</a><a href="#disclosure">Disclosure</a><a href="#findings">Findings</a><a href="trace.html">Traceability</a></nav></header>
        <main>
        <h2 id="coverage" class="first">Coverage at ML\(coverage.level)</h2>
        <p>\(coverage.count(.met)) met, \(coverage.count(.partial)) partial, \(coverage.count(.missing)) missing, \(coverage.count(.notApplicable)) not applicable of \(coverage.requirements.count) requirements.</p>
        <table><thead><tr><th scope="col">ID</th><th scope="col">Requirement</th><th scope="col">Status</th><th scope="col">Evidence (approval; created; last changed)</th><th scope="col">Next step</th></tr></thead>
        <tbody>

        """
        for practice in coverage.practices {
            body += "<tr class=\"practice\"><th colspan=\"5\" scope=\"rowgroup\" id=\"\(e(practice.id))\">\(e(practice.id)): \(e(practice.title))</th></tr>\n"
            for item in coverage.requirements where item.requirement.practice == practice.id {
                var evidence = ""
                for entry in item.evidence where entry.role != .supporting {
                    let link = names[entry.path].map { "<a href=\"\(e($0))\">\(e(entry.record))</a>" } ?? e(entry.record)
                    let approval = entry.approved ? "<span class=\"approved\">approved</span>" : "<span class=\"unapproved\">\(e(entry.status)), not approved</span>"
                    let excluded = entry.excluded.map { " <span class=\"unapproved\">not counted: \(e(CoverageCalculator.shortReason($0)))</span>" } ?? ""
                    evidence += "<li>\(link) <small>(\(e(entry.kind)), \(entry.role.rawValue))</small> \(approval); \(history(entry.attribution))\(excluded)</li>"
                }
                if !item.trailerCommits.isEmpty {
                    evidence += "<li><small>commits with Evidence-For: \(item.trailerCommits.map { e(String($0.prefix(10))) }.joined(separator: ", "))</small></li>"
                }
                let list = evidence.isEmpty ? "" : "<ul class=\"items\">\(evidence)</ul>"
                body += "<tr><th scope=\"row\" id=\"req-\(e(item.requirement.id))\">\(e(item.requirement.id))</th><td>\(e(item.requirement.title))</td><td class=\"status \(item.status.rawValue)\">\(item.status.rawValue)</td><td>\(list)<div class=\"why\">\(e(item.reason))</div></td><td>\(e(item.nextStep ?? ""))</td></tr>\n"
            }
        }
        body += "</tbody></table>\n<h2 id=\"process-metrics\">Process metrics</h2>\n" + coverage.processMetrics.html
        body += "<h2 id=\"records\">Records</h2>\n<table><thead><tr><th scope=\"col\">ID</th><th scope=\"col\">Kind</th><th scope=\"col\">Title</th><th scope=\"col\">Status</th><th scope=\"col\">Approval</th><th scope=\"col\">Created</th><th scope=\"col\">Last changed</th></tr></thead><tbody>\n"
        for record in project.records {
            let link = names[record.path].map { "<a href=\"\(e($0))\">\(e(record.id ?? record.path))</a>" } ?? e(record.id ?? record.path)
            let facts = attribution(record.path)
            body += "<tr><th scope=\"row\">\(link)</th><td>\(e(record.kind ?? ""))</td><td>\(e(record.title ?? ""))</td><td>\(e(record.status?.rawValue ?? record.string("status") ?? ""))</td><td>\(approvalText(record))</td><td>\(who(facts?.created))</td><td>\(who(facts?.lastChanged))</td></tr>\n"
        }
        body += "</tbody></table>\n<h2 id=\"disclosure\">Disclosure</h2>\n"
        if disclosure.isEmpty {
            body += "<p>No advisory or VEX document could be made from the records (see the findings).</p>\n"
        } else {
            body += "<p>Advisories as CSAF 2.0 and the VEX of this commit, made by evident from the records and their git history.</p>\n<ul>\n"
            body += disclosure.map { "<li><a href=\"\(e($0.name))\">\(e($0.title))</a> <small><code>\(e($0.name))</code></small></li>" }.joined(separator: "\n") + "\n</ul>\n"
        }
        body += "<h2 id=\"findings\">Findings</h2>\n"
        if findings.isEmpty {
            body += "<p>No findings.</p>\n"
        } else {
            let errors = findings.filter { $0.severity == .error }.count
            let warnings = findings.filter { $0.severity == .warning }.count
            body += "<p>\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s").</p>\n"
            body += "<table><thead><tr><th scope=\"col\">Severity</th><th scope=\"col\">Rule</th><th scope=\"col\">Where</th><th scope=\"col\">Message</th></tr></thead><tbody>\n"
            for finding in findings {
                body += "<tr><td class=\"\(finding.severity.rawValue)\">\(finding.severity.rawValue)</td><td><code>\(e(finding.rule))</code></td><td><code>\(e(finding.path)):\(finding.line):\(finding.column)</code></td><td>\(e(finding.message))</td></tr>\n"
            }
            body += "</tbody></table>\n"
        }
        body += "</main>"
        return document(title: "\(coverage.product) audit bundle \(String(commit.id.prefix(10)))", body: body)
    }

    func approvalText(_ record: Record) -> String {
        let e = HTML.escape
        guard let approval = record.approval else { return "<span class=\"unapproved\">none</span>" }
        let by = e(approval.by ?? "?")
        let date = e(approval.date ?? "?")
        if record.isApprovedAndCurrent { return "<span class=\"approved\">approved by \(by) on \(date)</span>" }
        if !record.approvalIsCurrent { return "<span class=\"unapproved\">stale: approved by \(by) on \(date), content changed since</span>" }
        return "<span class=\"unapproved\">approved by \(by) on \(date), status \(e(record.status?.rawValue ?? "?"))</span>"
    }

    func page(_ record: Record) -> String {
        let e = HTML.escape
        let facts = attribution(record.path)
        let title = record.id.map { "\($0): \(record.title ?? "")" } ?? record.path
        var body = "<p><a href=\"../index.html\">Back to the audit bundle</a></p>\n<h1>\(e(title))</h1>\n<table class=\"meta\"><tbody>\n"
        body += "<tr><th scope=\"row\">Kind</th><td>\(e(record.kind ?? ""))</td></tr>\n"
        body += "<tr><th scope=\"row\">Status</th><td>\(e(record.status?.rawValue ?? record.string("status") ?? ""))</td></tr>\n"
        body += "<tr><th scope=\"row\">Approval</th><td>\(approvalText(record))</td></tr>\n"
        body += "<tr><th scope=\"row\">File</th><td><a href=\"../records/\(e(record.path))\"><code>\(e(record.path))</code></a> <small>blob \(e(record.blobID ?? ""))</small></td></tr>\n"
        body += "<tr><th scope=\"row\">Created</th><td>\(who(facts?.created))</td></tr>\n"
        body += "<tr><th scope=\"row\">Last changed</th><td>\(who(facts?.lastChanged))</td></tr>\n"
        if let facts { body += "<tr><th scope=\"row\">Authors</th><td>\(e(facts.authors.joined(separator: ", "))) <small>(\(facts.commits) commit\(facts.commits == 1 ? "" : "s"))</small></td></tr>\n" }
        let served = CoverageCalculator.served(by: record, catalog: project.catalog)
        if !served.isEmpty {
            body += "<tr><th scope=\"row\">Evidence for</th><td>\(served.map { "<a href=\"../index.html#req-\(e($0.0))\">\(e($0.0))</a> <small>(\($0.1.rawValue))</small>" }.joined(separator: ", "))</td></tr>\n"
        }
        body += "</tbody></table>\n"
        let references = EvidenceReferences.paths(in: record.node)
        if !references.isEmpty {
            body += "<h2>Evidence files</h2>\n<ul>\n"
            for reference in references {
                if let path = RepositoryPath.normalize(reference.value), bundledPaths.contains(path) {
                    body += "<li><a href=\"../records/\(e(path))\"><code>\(e(path))</code></a></li>\n"
                } else {
                    body += "<li><code>\(e(reference.value))</code> <small>(not in the bundle)</small></li>\n"
                }
            }
            body += "</ul>\n"
        }
        let history = approvals(record.path)
        if !history.isEmpty {
            body += "<h2>Approval history</h2>\n<table><thead><tr><th>Commit time</th><th>Event</th><th>Approver</th><th>Approval date</th><th>Digest</th><th>Status</th><th>Commit</th><th>Committed by</th></tr></thead><tbody>\n"
            for event in history {
                var what = event.kind.rawValue
                if event.kind == .approved && !event.matchesContent { what += " (digest did not match)" }
                if let reason = event.reason { what += ": " + reason }
                body += "<tr><td>\(e(event.time))</td><td>\(e(what))</td><td>\(e(event.by ?? ""))</td><td>\(e(event.date ?? ""))</td><td><code>\(e(event.digest ?? ""))</code></td><td>\(e(event.status ?? "deleted"))</td><td><code>\(e(String(event.commit.prefix(12))))</code></td><td>\(e(event.author))</td></tr>\n"
            }
            body += "</tbody></table>\n"
        }
        let own = findingsByPath[record.path] ?? []
        if !own.isEmpty {
            body += "<h2>Findings</h2>\n<ul>\n" + own.map { "<li class=\"\($0.severity.rawValue)\">\($0.severity.rawValue) <code>\(e($0.rule))</code> \($0.line):\($0.column) \(e($0.message))</li>" }.joined(separator: "\n") + "\n</ul>\n"
        }
        body += "<h2>Fields</h2>\n\(render(record.node, depth: 0))\n"
        if let data = try? readSource(record.path) {
            body += "<h2>Raw YAML</h2>\n<pre>\(e(String(decoding: data, as: UTF8.self)))</pre>\n"
        }
        return document(title: title, body: body)
    }

    /// Mappings as definition lists, lists as ordered lists, scalars as text (depth-limited).
    func render(_ node: YAMLNode, depth: Int) -> String {
        let e = HTML.escape
        guard depth < 32 else { return "<small>(nested too deeply)</small>" }
        switch node {
        case .scalar(let scalar):
            // Foundation's search, as before, but only when there is a line feed byte to find.
            let multiline = scalar.value.utf8.contains(UInt8(ascii: "\n")) && scalar.value.contains("\n")
            return multiline ? "<pre>\(e(scalar.value))</pre>" : e(scalar.value)
        case .sequence(let items, _):
            if items.isEmpty { return "<small>(empty list)</small>" }
            return "<ol class=\"items\">" + items.map { "<li>\(render($0, depth: depth + 1))</li>" }.joined() + "</ol>"
        case .mapping(let pairs, _):
            if pairs.isEmpty { return "<small>(empty)</small>" }
            return "<dl class=\"fields\">" + pairs.map { "<dt>\(e($0.key.string ?? "?"))</dt><dd>\(render($0.value, depth: depth + 1))</dd>" }.joined() + "</dl>"
        }
    }
}
