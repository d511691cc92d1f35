/// SD-3: a security design review counts once its findings of severity high or critical (or
/// unrated) are closed and it did not reject the design.
struct DesignFindingsClosed: EvidenceCondition {
    static let name = "design-findings-closed"
    static let requirements: Set<String> = ["SD-3"]
    static let kinds: Set<String> = ["design-review"]

    func unmet(by record: Record, in project: Project) -> String? {
        if record.string("outcome") == "rejected" { return "the review rejected the design; record the review of the revised design" }
        let open = openBlockingFindings(record)
        guard !open.isEmpty else { return nil }
        return "open finding\(open.count == 1 ? "" : "s") \(open.joined(separator: ", ")); close \(open.count == 1 ? "it" : "them") (status: closed with a resolution) or track \(open.count == 1 ? "it" : "them") in a defect"
    }
}
