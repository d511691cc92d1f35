import Foundation

/// What an import did, as text: one line per created, tracked and unmatched finding, then the counts.
public enum TriageImportText {
    public static func render(_ result: TriageImportResult) -> String {
        var out = ""
        for note in result.notes { out += "note: \(note)\n" }
        let verb = result.dryRun ? "would create" : "created"
        for created in result.created {
            out += "\(verb) \(created.id)  \(created.vulnerability)  \(created.severity)  \(created.component)  \(created.path)\n"
        }
        for tracked in result.tracked {
            out += "tracked \(tracked.id)  \(tracked.vulnerability)  \(tracked.component)\n"
            for change in tracked.changes { out += "  new scanner fact (not written): \(change)\n" }
        }
        for unmatched in result.unmatched {
            out += "unmatched \(unmatched.vulnerability)  \(unmatched.package)\(unmatched.purl.map { "  \($0)" } ?? "  (no purl)")  in \(unmatched.file)\n"
        }
        out += "\(result.created.count) \(result.dryRun ? "to create" : "created"), \(result.tracked.count) already tracked, \(result.unmatched.count) matching no SBOM component"
        out += result.dryRun ? " (dry run: nothing written)\n" : "\n"
        return out
    }
}

/// What an import did, as JSON: `{"version":1,"created":[...],"tracked":[...],"unmatched":[...]}`.
public enum TriageImportJSON {
    public static func render(_ result: TriageImportResult) -> String {
        let created: [[String: Any]] = result.created.map {
            ["id": $0.id, "path": $0.path, "vulnerability": $0.vulnerability, "aliases": $0.aliases, "component": $0.component, "severity": $0.severity, "files": $0.files]
        }
        let tracked: [[String: Any]] = result.tracked.map {
            ["id": $0.id, "path": $0.path, "vulnerability": $0.vulnerability, "component": $0.component, "changes": $0.changes]
        }
        let unmatched: [[String: Any]] = result.unmatched.map {
            ["vulnerability": $0.vulnerability, "package": $0.package, "purl": $0.purl ?? NSNull(), "file": $0.file] as [String: Any]
        }
        return PlainJSON.pretty(["version": 1, "dry-run": result.dryRun, "created": created, "tracked": tracked, "unmatched": unmatched, "notes": result.notes])
    }
}
