/// SUM-3: a security update documents the third-party and operating-system updates it carries,
/// each with a compatibility statement.
struct DependencyUpdateStatements: EvidenceCondition {
    static let name = "dependency-update-statements"
    static let requirements: Set<String> = ["SUM-3"]
    static let kinds: Set<String> = ["security-update"]

    func unmet(by record: Record, in project: Project) -> String? {
        let updates = record.node["dependency-updates"]?.items ?? []
        if updates.isEmpty {
            return "no dependency-updates statement; list the third-party and operating-system updates it includes, each with its compatibility statement"
        }
        let unstated = updates.filter { $0["compatibility"]?.scalarString == nil }.compactMap { $0["component"]?.scalarString ?? "?" }
        return unstated.isEmpty ? nil : "no compatibility statement for \(unstated.joined(separator: ", "))"
    }
}
