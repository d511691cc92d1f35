import Foundation

/// Renders a coverage report. One file per format; chosen through `CoverageFormat`.
public protocol CoverageRenderer: Sendable {
    func render(_ report: CoverageReport) -> String
}

/// The formats `coverage` writes.
public enum CoverageFormat: String, CaseIterable, Sendable {
    case text, json, markdown, html

    public var renderer: any CoverageRenderer {
        switch self {
        case .text: return CoverageTextRenderer()
        case .json: return CoverageJSONRenderer()
        case .markdown: return CoverageMarkdownRenderer()
        case .html: return CoverageHTMLRenderer()
        }
    }
}

/// A table per practice: requirement, status, and the reason with its evidence.
public struct CoverageTextRenderer: CoverageRenderer {
    public var useColor = false
    public init(useColor: Bool = false) { self.useColor = useColor }

    public func render(_ report: CoverageReport) -> String {
        var out = "\(report.product): IEC 62443-4-1 coverage at maturity level \(report.level)\n"
        for practice in report.practices {
            out += "\n\(practice.id)  \(practice.title)\n"
            for item in report.requirements where item.requirement.practice == practice.id {
                let status = item.status.rawValue
                let padded = status.padding(toLength: 15, withPad: " ", startingAt: 0)
                out += "  \(item.requirement.id.padding(toLength: 6, withPad: " ", startingAt: 0)) \(paint(padded, item.status)) \(item.requirement.title)\n"
                out += "         \(item.reason)\n"
                for evidence in item.evidence where evidence.role != .supporting {
                    out += "         - \(evidence.record) (\(evidence.role.rawValue), \(evidence.approved ? "approved" : evidence.status))\(Self.attribution(evidence.attribution))\n"
                }
                if !item.trailerCommits.isEmpty {
                    out += "         \(item.trailerCommits.count) commit\(item.trailerCommits.count == 1 ? "" : "s") with Evidence-For: \(item.requirement.id)\n"
                }
            }
        }
        out += "\n\(report.count(.met)) met, \(report.count(.partial)) partial, \(report.count(.missing)) missing, \(report.count(.notApplicable)) not applicable (of \(report.requirements.count))\n"
        return out
    }

    /// "; created 2026-01-12 by a@x, last changed 2026-02-01 by b@x, 3 commits" or "; not yet committed".
    static func attribution(_ attribution: Attribution?) -> String {
        guard let attribution else { return "" }
        guard let created = attribution.created, let last = attribution.lastChanged else { return "; not yet committed" }
        var text = "; created \(created.date.prefix(10)) by \(created.email)"
        if attribution.commits > 1 { text += ", last changed \(last.date.prefix(10)) by \(last.email)" }
        text += ", \(attribution.commits) commit\(attribution.commits == 1 ? "" : "s")"
        if attribution.uncommitted { text += ", uncommitted changes" }
        return text
    }

    private func paint(_ text: String, _ status: CoverageStatus) -> String {
        guard useColor else { return text }
        let code: String
        switch status {
        case .met: code = "32"
        case .partial: code = "33"
        case .missing: code = "31"
        case .notApplicable: code = "90"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}

/// `{"version":1,"level":N,"requirements":[...]}` as PRODUCT.md fixes it.
public struct CoverageJSONRenderer: CoverageRenderer {
    public init() {}

    public func render(_ report: CoverageReport) -> String {
        JSONOutput.string(Self.object(report))
    }

    /// The JSON object, shared with the audit bundle's coverage.json.
    public static func object(_ report: CoverageReport) -> [String: Any] {
        let requirements: [[String: Any]] = report.requirements.map { item in
            [
                "id": item.requirement.id, "practice": item.requirement.practice, "clause": item.requirement.clause,
                "title": item.requirement.title, "status": item.status.rawValue, "reason": item.reason,
                "trailer-commits": item.trailerCommits,
                "evidence": item.evidence.map { evidence -> [String: Any] in
                    [
                        "record": evidence.record, "kind": evidence.kind, "path": evidence.path, "role": evidence.role.rawValue,
                        "status": evidence.status, "approved": evidence.approved,
                        "commits": evidence.attribution?.commits ?? 0,
                        "last-changed": evidence.attribution?.lastChanged?.date ?? NSNull(),
                        "attribution": JSONOutput.attribution(evidence.attribution),
                    ]
                },
            ]
        }
        return [
            "version": 1, "level": report.level, "product": report.product,
            "summary": Dictionary(uniqueKeysWithValues: CoverageStatus.allCases.map { ($0.rawValue, report.count($0)) }),
            "requirements": requirements,
        ]
    }
}

/// A markdown table per practice, for pull-request comments and wikis.
public struct CoverageMarkdownRenderer: CoverageRenderer {
    public init() {}

    public func render(_ report: CoverageReport) -> String {
        var out = "# \(report.product): IEC 62443-4-1 coverage (ML\(report.level))\n\n"
        out += "\(report.count(.met)) met, \(report.count(.partial)) partial, \(report.count(.missing)) missing, \(report.count(.notApplicable)) not applicable of \(report.requirements.count).\n"
        for practice in report.practices {
            out += "\n## \(practice.id): \(practice.title)\n\n| ID | Requirement | Status | Evidence | Why |\n|---|---|---|---|---|\n"
            for item in report.requirements where item.requirement.practice == practice.id {
                let records = item.evidence.filter { $0.role != .supporting }.map(\.record).joined(separator: ", ")
                out += "| \(item.requirement.id) | \(cell(item.requirement.title)) | \(item.status.rawValue) | \(cell(records)) | \(cell(item.reason)) |\n"
            }
        }
        return out
    }

    private func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
