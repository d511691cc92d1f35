/// A content condition: what a record must say before it counts as evidence of a requirement, as
/// an auditor reads the requirement (a design review with an open high finding does not show
/// that findings are closed). Each condition lives in its own file and is registered below.
public protocol EvidenceCondition: Sendable {
    /// A short name for messages and the README, e.g. `design-findings-closed`.
    static var name: String { get }
    /// The requirements the condition guards.
    static var requirements: Set<String> { get }
    /// The record kinds it judges; a record of another kind passes.
    static var kinds: Set<String> { get }
    init()
    /// Nil when the record meets the condition; otherwise why not, said so that it tells what would fix it.
    func unmet(by record: Record, in project: Project) -> String?
}

/// Every content condition, in a stable order.
public enum EvidenceConditions {
    public static let all: [any EvidenceCondition] = [
        ThreatsDispositioned(),
        RequirementsReviewRoles(),
        DesignFindingsClosed(),
        CodeReviewFindingsClosed(),
        TestVerdictAndRevision(),
        DependencyUpdateStatements(),
        AdvisoryContent(),
        DefectAssessed(),
        UpdateQualified(),
    ]

    /// Why a record does not count for a requirement despite serving it, or nil.
    static func unmet(_ record: Record, for requirement: String, in project: Project) -> String? {
        guard let kind = record.kind else { return nil }
        for condition in all {
            let type = type(of: condition)
            guard type.requirements.contains(requirement), type.kinds.contains(kind) else { continue }
            if let reason = condition.unmet(by: record, in: project) { return "\(type.name): \(reason)" }
        }
        return nil
    }
}

extension YAMLNode {
    /// The items of a list, or none.
    var items: [YAMLNode] {
        if case .sequence(let items, _) = self { return items }
        return []
    }
}

/// Findings (design, code review, test) still open at a severity that blocks: "F-2 (high)".
func openBlockingFindings(_ record: Record) -> [String] {
    (record.node["findings"]?.items ?? []).compactMap { finding in
        guard finding["status"]?.scalarString != "closed" else { return nil }
        let severity = finding["severity"]?.scalarString ?? "unrated"
        guard ["high", "critical", "unrated"].contains(severity) else { return nil }
        return "\(finding["id"]?.scalarString ?? "?") (\(severity))"
    }
}
