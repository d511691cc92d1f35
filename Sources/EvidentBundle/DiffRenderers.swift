import Foundation

/// The formats `diff` writes.
public enum DiffFormat: String, CaseIterable, Sendable {
    case text, json, markdown

    public var renderer: any DiffRenderer {
        switch self {
        case .text: return DiffTextRenderer()
        case .json: return DiffJSONRenderer()
        case .markdown: return DiffMarkdownRenderer()
        }
    }
}

/// Renders an evidence diff. One type per format.
public protocol DiffRenderer: Sendable {
    func render(_ diff: EvidenceDiff) -> String
}

func shortBlob(_ blob: String?) -> String { blob.map { String($0.prefix(12)) } ?? "-" }

/// Plain text, one change per line.
public struct DiffTextRenderer: DiffRenderer {
    public init() {}

    public func render(_ diff: EvidenceDiff) -> String {
        var out = "Evidence changes \(diff.from)..\(diff.to) (\(diff.fromCommit.prefix(12))..\(diff.toCommit.prefix(12)))\n"
        for note in diff.notes { out += "note: \(note)\n" }
        if diff.isEmpty { return out + "\nNo changes.\n" }
        func section(_ title: String, _ lines: [String]) {
            guard !lines.isEmpty else { return }
            out += "\n\(title) (\(lines.count)):\n" + lines.map { "  \($0)\n" }.joined()
        }
        section("Coverage", diff.coverage.map { "\($0.requirement.padding(toLength: 6, withPad: " ", startingAt: 0)) \($0.from) -> \($0.to)" })
        section("Records added", diff.added.map { "+ \($0.id)  \($0.path)  blob \(shortBlob($0.toBlob))" })
        section("Records changed", diff.changed.map { "~ \($0.id)  \($0.path)  blob \(shortBlob($0.fromBlob)) -> \(shortBlob($0.toBlob))" })
        section("Records removed", diff.removed.map { "- \($0.id)  \($0.path)  blob \(shortBlob($0.fromBlob))" })
        section("Approvals", diff.approvals.map { "\($0.id): \($0.from) -> \($0.to)" })
        section("New findings", diff.newFindings.map { "\($0.path): \($0.severity): [\($0.rule)] \($0.message)" })
        section("Resolved findings", diff.resolvedFindings.map { "\($0.path): \($0.severity): [\($0.rule)] \($0.message)" })
        return out
    }
}

/// `{"version":1,...}` with sorted keys.
public struct DiffJSONRenderer: DiffRenderer {
    public init() {}

    public func render(_ diff: EvidenceDiff) -> String {
        func record(_ change: EvidenceDiff.RecordChange) -> [String: Any] {
            ["id": change.id, "path": change.path, "from-blob": change.fromBlob ?? NSNull(), "to-blob": change.toBlob ?? NSNull()]
        }
        func finding(_ change: EvidenceDiff.FindingChange) -> [String: Any] {
            ["rule": change.rule, "severity": change.severity, "path": change.path, "message": change.message]
        }
        let object: [String: Any] = [
            "version": 1,
            "from": ["revision": diff.from, "commit": diff.fromCommit],
            "to": ["revision": diff.to, "commit": diff.toCommit],
            "coverage": diff.coverage.map { ["requirement": $0.requirement, "from": $0.from, "to": $0.to] },
            "records": ["added": diff.added.map(record), "changed": diff.changed.map(record), "removed": diff.removed.map(record)],
            "approvals": diff.approvals.map { ["id": $0.id, "from": $0.from, "to": $0.to] },
            "findings": ["new": diff.newFindings.map(finding), "resolved": diff.resolvedFindings.map(finding)],
            "notes": diff.notes,
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else {
            return "{}\n"
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// Markdown tables, for pull-request comments.
public struct DiffMarkdownRenderer: DiffRenderer {
    public init() {}

    func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    public func render(_ diff: EvidenceDiff) -> String {
        var out = "# Evidence changes `\(cell(diff.from))..\(cell(diff.to))`\n"
        for note in diff.notes { out += "\n> Note: \(cell(note))\n" }
        if diff.isEmpty { return out + "\nNo changes.\n" }
        if !diff.coverage.isEmpty {
            out += "\n## Coverage\n\n| Requirement | Was | Now |\n|---|---|---|\n"
            out += diff.coverage.map { "| \($0.requirement) | \($0.from) | \($0.to) |\n" }.joined()
        }
        let records = diff.added.map { ("added", $0) } + diff.changed.map { ("changed", $0) } + diff.removed.map { ("removed", $0) }
        if !records.isEmpty {
            out += "\n## Records\n\n| Change | ID | Path | Blob before | Blob after |\n|---|---|---|---|---|\n"
            out += records.map { "| \($0.0) | \(cell($0.1.id)) | `\(cell($0.1.path))` | \(shortBlob($0.1.fromBlob)) | \(shortBlob($0.1.toBlob)) |\n" }.joined()
        }
        if !diff.approvals.isEmpty {
            out += "\n## Approvals\n\n| ID | Was | Now |\n|---|---|---|\n"
            out += diff.approvals.map { "| \(cell($0.id)) | \(cell($0.from)) | \(cell($0.to)) |\n" }.joined()
        }
        let findings = diff.newFindings.map { ("new", $0) } + diff.resolvedFindings.map { ("resolved", $0) }
        if !findings.isEmpty {
            out += "\n## Findings\n\n| Change | Severity | Rule | Path | Message |\n|---|---|---|---|---|\n"
            out += findings.map { "| \($0.0) | \($0.1.severity) | \(cell($0.1.rule)) | `\(cell($0.1.path))` | \(cell($0.1.message)) |\n" }.joined()
        }
        return out
    }
}
