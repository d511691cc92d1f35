/// SR-5: security requirements are reviewed and approved by developers, testers, a customer
/// advocate and a security adviser; the tester is not one of the developers.
struct RequirementsReviewRoles: EvidenceCondition {
    static let name = "requirements-review-roles"
    static let requirements: Set<String> = ["SR-5"]
    static let kinds: Set<String> = ["security-requirement"]
    static let roles = ["developer", "tester", "customer-advocate", "security-adviser"]

    func unmet(by record: Record, in project: Project) -> String? {
        let approving = (record.node["reviewers"]?.items ?? []).filter { $0["decision"]?.scalarString == "approved" }
        var byRole: [String: Set<String>] = [:]
        for reviewer in approving {
            guard let role = reviewer["role"]?.scalarString, let email = reviewer["email"]?.scalarString else { continue }
            byRole[role, default: []].insert(email.lowercased())
        }
        let missing = Self.roles.filter { byRole[$0]?.isEmpty ?? true }
        if !missing.isEmpty {
            return "no approving reviewer in the role\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")); add them to reviewers with decision: approved"
        }
        let developers = byRole["developer"] ?? []
        if (byRole["tester"] ?? []).isSubset(of: developers) {
            return "the tester is also a developer reviewer; the review needs a tester independent of the developers"
        }
        return nil
    }
}
