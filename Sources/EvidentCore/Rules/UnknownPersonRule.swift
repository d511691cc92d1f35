/// Once roles records list the team (`people`), every person a record names in a lifecycle role
/// (owner, approver, reviewers, testers, authors, participants) is one of them, by email, alias or
/// `.mailmap`. People outside the team (`reported-by`, acknowledgments) are not judged.
public struct UnknownPersonRule: Rule {
    public init() {}
    public static let reads = RuleReads.git  // canonical emails come through git's .mailmap
    private static let roles = "kind: roles\nid: ROLES-1\ntitle: R\nstatus: draft\nowner: a@example.com\nroles:\n  - id: developer\n    name: Developer\npeople:\n  - email: a@example.com\n    aliases: [a.alt@example.com]\n"
    public static let description = RuleDescription(
        id: "unknown-person", name: "Unknown person",
        summary: "A record names someone in a lifecycle role (owner, approver, reviewer, tester, author, participant) who is in no roles record's people, although roles records list the team.",
        severity: .warning,
        triggering: [
            RuleExample(["security/r.yaml": roles, "security/c.yaml": "kind: code-review\nid: CR-1\ntitle: C\nstatus: draft\nowner: a@example.com\nreviewers: [mallory@example.org]\n"]),
        ],
        nonTriggering: [
            RuleExample(["security/r.yaml": roles, "security/c.yaml": "kind: code-review\nid: CR-1\ntitle: C\nstatus: draft\nowner: a.alt@example.com\nreviewers: [A@example.com]\n"]),
            RuleExample(["security/c.yaml": "kind: code-review\nid: CR-1\ntitle: C\nstatus: draft\nowner: a@example.com\nreviewers: [mallory@example.org]\n"]),
        ])

    /// Fields naming people outside the team.
    static let externalFields: Set<String> = ["reported-by", "acknowledgments", "credits"]

    public func check(_ project: Project) -> [Finding] {
        let hasPeople = project.records.contains { $0.kind == "roles" && !($0.node["people"]?.items ?? []).isEmpty }
        guard hasPeople else { return [] }
        let directory = PeopleDirectory(project)
        var findings: [Finding] = []
        // A team names the same few people thousands of times: each spelling judged once.
        var unknown: [String: Bool] = [:]
        for record in project.records {
            for reference in ReferenceFields.shared.values(in: record, targets: [.person]) {
                if case .key(let first)? = reference.field.steps.first, Self.externalFields.contains(first) { continue }
                let isUnknown: Bool
                if let known = unknown[reference.value] {
                    isUnknown = known
                } else {
                    isUnknown = !TemplatePlaceholderRule.exampleAddresses.contains(reference.value.lowercased()) && directory.person(reference.value) == nil
                    unknown[reference.value] = isUnknown
                }
                guard isUnknown else { continue }
                findings.append(Self.description.finding(record.path, reference.mark,
                    "'\(reference.location)' names '\(reference.value)', who is in no roles record's people (nor an alias there or in .mailmap); add them to the roles record or correct the address",
                    record: record.id))
            }
        }
        return findings
    }
}
