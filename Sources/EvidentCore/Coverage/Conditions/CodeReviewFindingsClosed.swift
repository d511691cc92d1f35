/// SI-1: a security implementation review counts once its high, critical or unrated findings are
/// closed and it did not reject the change.
struct CodeReviewFindingsClosed: EvidenceCondition {
    static let name = "code-review-findings-closed"
    static let requirements: Set<String> = ["SI-1"]
    static let kinds: Set<String> = ["code-review"]

    func unmet(by record: Record, in project: Project) -> String? {
        if record.string("outcome") == "rejected" { return "the review rejected the change; record the review of the reworked change" }
        let open = openBlockingFindings(record)
        guard !open.isEmpty else { return nil }
        return "open finding\(open.count == 1 ? "" : "s") \(open.joined(separator: ", ")); close \(open.count == 1 ? "it" : "them") or track \(open.count == 1 ? "it" : "them") in a defect"
    }
}
