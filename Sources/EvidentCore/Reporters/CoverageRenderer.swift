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
                if let step = item.nextStep { out += "         next: \(step)\n" }
                for evidence in item.evidence where evidence.role != .supporting {
                    let counted = evidence.excluded == nil ? "" : ", not counted"
                    out += "         - \(evidence.record) (\(evidence.role.rawValue), \(evidence.approved ? "approved" : evidence.status)\(counted))\(Self.attribution(evidence.attribution))\n"
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
///
/// Written field by field, with the bytes `JSONOutput.string` gives the same content as nested
/// dictionaries (keys in `PrettyJSONWriter.keyOrder`): the bundle's coverage.json repeats the
/// attribution for every evidence entry (60 MB for 10,000 records), and building, casting and
/// key-sorting a dictionary per entry took most of the time spent on it.
public struct CoverageJSONRenderer: CoverageRenderer {
    public init() {}

    public func render(_ report: CoverageReport) -> String {
        String(decoding: bytes(report), as: UTF8.self)
    }

    /// The UTF-8 text `render` returns.
    public func bytes(_ report: CoverageReport) -> [UInt8] {
        var all: [UInt8] = []
        write(report) { all.append(contentsOf: $0) }
        return all
    }

    /// The same bytes, handed to `sink` a chunk (about a megabyte) at a time as they are made: a large
    /// repository's report is tens of megabytes, never held whole.
    public func write(_ report: CoverageReport, to sink: @escaping ([UInt8]) -> Void) {
        var out = PrettyJSONWriter(sink: sink)
        out.open("{")
        for (index, key) in Self.topKeys.enumerated() {
            out.key(key.rawValue, first: index == 0, depth: 0)
            switch key {
            case .version: out.value(1)
            case .level: out.value(report.level)
            case .product: out.string(report.product)
            case .summary:
                out.open("{")
                for (index, status) in Self.statusOrder.enumerated() {
                    out.key(status.rawValue, first: index == 0, depth: 1)
                    out.value(report.count(status))
                }
                out.close("}", depth: 1)
            case .requirements:
                out.open("[")
                // Each record's attribution is made once, then the requirements a few at a time on all
                // cores, each into bytes of its own, written in order (memory: one batch).
                let attributions = Self.attributionBytes(report)
                let batch = max(2, 2 * ProcessInfo.processInfo.activeProcessorCount)
                for start in stride(from: 0, to: report.requirements.count, by: batch) {
                    let indices = Array(start..<min(start + batch, report.requirements.count))
                    for bytes in Parallel.map(indices, { index -> [UInt8] in
                        var alone = PrettyJSONWriter()
                        alone.element(first: index == 0, depth: 1)
                        Self.write(report.requirements[index], to: &alone, depth: 2, attributions: attributions)
                        return alone.bytes
                    }) {
                        out.raw(bytes)
                        out.flushIfFull()
                    }
                }
                out.close("]", depth: 1)
            case .processMetrics:
                Self.write(report.processMetrics, to: &out, depth: 1)
            }
        }
        out.close("}", depth: 0)
        out.raw([UInt8(ascii: "\n")])
        out.flush()
    }

    /// A record serves several requirements with one attribution: its bytes, as written at the
    /// attribution's depth, are made once per record path.
    private typealias AttributionBytes = [String: [UInt8]]

    /// Evidence entries sit at this depth: top object, `requirements` list, requirement, `evidence` list.
    private static let evidenceDepth = 4

    private static func attributionBytes(_ report: CoverageReport) -> AttributionBytes {
        var seen = Set<String>()
        var records: [(path: String, attribution: Attribution?)] = []
        for requirement in report.requirements {
            for evidence in requirement.evidence where seen.insert(evidence.path).inserted {
                records.append((evidence.path, evidence.attribution))
            }
        }
        let made = Parallel.map(records) { record -> [UInt8] in
            var alone = PrettyJSONWriter()
            write(record.attribution, to: &alone, depth: evidenceDepth + 1)
            return alone.bytes
        }
        return Dictionary(uniqueKeysWithValues: zip(records.map(\.path), made))
    }

    private enum TopKey: String, CaseIterable { case version, level, product, summary, requirements, processMetrics = "process-metrics" }
    private enum RequirementKey: String, CaseIterable {
        case id, practice, clause, title, status, reason, nextStep = "next-step", trailerCommits = "trailer-commits", evidence
    }
    private enum EvidenceKey: String, CaseIterable {
        case record, kind, path, role, status, approved, excluded, commits, lastChanged = "last-changed", attribution
    }
    private enum AttributionKey: String, CaseIterable {
        case created, lastChanged = "last-changed", commits, authors, uncommitted
    }
    private enum MetricsKey: String, CaseIterable { case quarters }
    private enum QuarterKey: String, CaseIterable {
        case quarter, defects, toTriage = "median-days-to-triage", toFix = "median-days-to-fix", toDisclose = "median-days-to-disclose"
    }
    private enum EventKey: String, CaseIterable { case commit, author, email, date, signature }
    private enum SignatureKey: String, CaseIterable { case status, format, signer, key }

    private static func order<Key: RawRepresentable & CaseIterable>(_ type: Key.Type) -> [Key] where Key.RawValue == String {
        PrettyJSONWriter.keyOrder(Key.allCases.map(\.rawValue)).compactMap(Key.init(rawValue:))
    }

    private static let topKeys = order(TopKey.self)
    private static let statusOrder = order(CoverageStatus.self)
    private static let requirementKeys = order(RequirementKey.self)
    private static let evidenceKeys = order(EvidenceKey.self)
    private static let attributionKeys = order(AttributionKey.self)
    private static let eventKeys = order(EventKey.self)
    private static let metricsKeys = order(MetricsKey.self)
    private static let quarterKeys = order(QuarterKey.self)
    private static let signatureKeys = order(SignatureKey.self)

    /// An object whose first line is already indented (an array item at `depth - 1`).
    private static func write(_ item: RequirementCoverage, to out: inout PrettyJSONWriter, depth: Int, attributions: AttributionBytes) {
        out.open("{")
        for (index, key) in requirementKeys.enumerated() {
            out.key(key.rawValue, first: index == 0, depth: depth)
            switch key {
            case .id: out.string(item.requirement.id)
            case .practice: out.string(item.requirement.practice)
            case .clause: out.string(item.requirement.clause)
            case .title: out.string(item.requirement.title)
            case .status: out.string(item.status.rawValue)
            case .reason: out.string(item.reason)
            case .nextStep: if let step = item.nextStep { out.string(step) } else { out.null() }
            case .trailerCommits: out.strings(item.trailerCommits, depth: depth + 1)
            case .evidence:
                out.open("[")
                for (index, evidence) in item.evidence.enumerated() {
                    out.element(first: index == 0, depth: depth + 1)
                    write(evidence, to: &out, depth: depth + 2, attributions: attributions)
                    out.flushIfFull()
                }
                out.close("]", depth: depth + 1)
            }
        }
        out.close("}", depth: depth)
    }

    private static func write(_ evidence: CoverageEvidence, to out: inout PrettyJSONWriter, depth: Int, attributions: AttributionBytes) {
        out.open("{")
        for (index, key) in evidenceKeys.enumerated() {
            out.key(key.rawValue, first: index == 0, depth: depth)
            switch key {
            case .record: out.string(evidence.record)
            case .kind: out.string(evidence.kind)
            case .path: out.string(evidence.path)
            case .role: out.string(evidence.role.rawValue)
            case .status: out.string(evidence.status)
            case .approved: out.value(evidence.approved)
            case .excluded: if let why = evidence.excluded { out.string(why) } else { out.null() }
            case .commits: out.value(evidence.attribution?.commits ?? 0)
            case .lastChanged:
                if let date = evidence.attribution?.lastChanged?.date { out.string(date) } else { out.null() }
            case .attribution:
                if depth == evidenceDepth, let known = attributions[evidence.path] {
                    out.raw(known)
                } else {
                    write(evidence.attribution, to: &out, depth: depth + 1)
                }
            }
        }
        out.close("}", depth: depth)
    }

    /// `{"quarters":[{"quarter","defects","median-days-to-triage",...}]}` as a value of an object at `depth - 1`.
    private static func write(_ metrics: ProcessMetrics, to out: inout PrettyJSONWriter, depth: Int) {
        out.open("{")
        for (index, key) in metricsKeys.enumerated() {
            out.key(key.rawValue, first: index == 0, depth: depth)
            switch key {
            case .quarters:
                out.open("[")
                for (index, quarter) in metrics.quarters.enumerated() {
                    out.element(first: index == 0, depth: depth + 1)
                    write(quarter, to: &out, depth: depth + 2)
                }
                out.close("]", depth: depth + 1)
            }
        }
        out.close("}", depth: depth)
    }

    private static func write(_ quarter: ProcessMetrics.Quarter, to out: inout PrettyJSONWriter, depth: Int) {
        out.open("{")
        for (index, key) in quarterKeys.enumerated() {
            out.key(key.rawValue, first: index == 0, depth: depth)
            let median: Double?
            switch key {
            case .quarter: out.string(quarter.quarter); continue
            case .defects: out.value(quarter.defects); continue
            case .toTriage: median = quarter.medianDaysToTriage
            case .toFix: median = quarter.medianDaysToFix
            case .toDisclose: median = quarter.medianDaysToDisclose
            }
            if let median { out.value(median) } else { out.null() }
        }
        out.close("}", depth: depth)
    }

    /// `JSONOutput.attribution` as a value of an object at `depth - 1`.
    private static func write(_ attribution: Attribution?, to out: inout PrettyJSONWriter, depth: Int) {
        guard let attribution else { return out.null() }
        out.open("{")
        for (index, key) in attributionKeys.enumerated() {
            out.key(key.rawValue, first: index == 0, depth: depth)
            switch key {
            case .created: write(attribution.created, to: &out, depth: depth + 1)
            case .lastChanged: write(attribution.lastChanged, to: &out, depth: depth + 1)
            case .commits: out.value(attribution.commits)
            case .authors: out.strings(attribution.authors, depth: depth + 1)
            case .uncommitted: out.value(attribution.uncommitted)
            }
        }
        out.close("}", depth: depth)
    }

    private static func write(_ event: Attribution.Event?, to out: inout PrettyJSONWriter, depth: Int) {
        guard let event else { return out.null() }
        out.open("{")
        for (index, key) in eventKeys.enumerated() {
            out.key(key.rawValue, first: index == 0, depth: depth)
            switch key {
            case .commit: out.string(event.commit)
            case .author: out.string(event.author)
            case .email: out.string(event.email)
            case .date: out.string(event.date)
            case .signature:
                guard let signature = event.signature else { out.null(); continue }
                out.open("{")
                for (inner, field) in signatureKeys.enumerated() {
                    out.key(field.rawValue, first: inner == 0, depth: depth + 1)
                    let value: String?
                    switch field {
                    case .status: value = signature.status.rawValue
                    case .format: value = signature.format?.rawValue
                    case .signer: value = signature.signer
                    case .key: value = signature.key
                    }
                    if let value { out.string(value) } else { out.null() }
                }
                out.close("}", depth: depth + 1)
            }
        }
        out.close("}", depth: depth)
    }
}

/// A markdown table per practice, for pull-request comments and wikis.
public struct CoverageMarkdownRenderer: CoverageRenderer {
    public init() {}

    public func render(_ report: CoverageReport) -> String {
        var out = "# \(report.product): IEC 62443-4-1 coverage (ML\(report.level))\n\n"
        out += "\(report.count(.met)) met, \(report.count(.partial)) partial, \(report.count(.missing)) missing, \(report.count(.notApplicable)) not applicable of \(report.requirements.count).\n"
        for practice in report.practices {
            out += "\n## \(practice.id): \(practice.title)\n\n| ID | Requirement | Status | Evidence | Why | Next step |\n|---|---|---|---|---|---|\n"
            for item in report.requirements where item.requirement.practice == practice.id {
                let records = item.evidence.filter { $0.role != .supporting && $0.excluded == nil }.map(\.record).joined(separator: ", ")
                out += "| \(item.requirement.id) | \(cell(item.requirement.title)) | \(item.status.rawValue) | \(cell(records)) | \(cell(item.reason)) | \(cell(item.nextStep ?? "")) |\n"
            }
        }
        out += "\n## Process metrics\n\n"
        if !report.processMetrics.quarters.isEmpty { out += ProcessMetrics.explanation + "\n\n" }
        return out + report.processMetrics.markdown
    }

    private func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
