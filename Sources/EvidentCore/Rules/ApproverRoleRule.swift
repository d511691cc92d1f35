/// Who may approve which kinds, as the roles records say (`roles[].approves`).
public struct ApproverRoleRule: Rule {
    public init() {}
    static let roles = "kind: roles\nid: ROLES-1\ntitle: Roles\nstatus: approved\nowner: pso@example.com\npeople:\n  - {email: pso@example.com, name: P, department: Security}\n  - {email: rm@example.com, name: R, department: Release}\nroles:\n  - id: product-security-officer\n    name: PSO\n    members: [pso@example.com]\n    approves: [threat-model]\n  - id: release-manager\n    name: RM\n    members: [rm@example.com]\n    approves: [release]\nraci:\n  - {activity: Threat modelling, responsible: [product-security-officer], accountable: product-security-officer}\n"
    static func threatModel(approvedBy by: String) -> String {
        "kind: threat-model\nid: TM-1\ntitle: T\nstatus: approved\nowner: dev@example.com\napproval:\n  by: \(by)\n  date: 2026-01-02\n  digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n"
    }
    /// The roles record approved, and a draft one in which rm@ grants themself the threat model.
    static let approvedRoles = (try? ApprovalText.approving(roles.replacingOccurrences(of: "status: approved\n", with: "status: draft\n"),
                                                            by: "pso@example.com", date: "2026-01-01T00:00:00Z").text) ?? roles
    static let draftGrant = roles.replacingOccurrences(of: "ROLES-1", with: "ROLES-2").replacingOccurrences(of: "status: approved", with: "status: draft")
        .replacingOccurrences(of: "members: [pso@example.com]", with: "members: [pso@example.com, rm@example.com]")
    public static let description = RuleDescription(
        id: "approver-role", name: "Approved by someone outside the approving roles",
        summary: "Once a roles record lists a kind under a role's `approves` (approved roles records when there is one, else every current roles record, drafts included), an approved record of that kind must be approved by a member of one of the roles naming it (emails compared canonically: .mailmap, identities, roles aliases). The message says who may approve. Kinds no role names may be approved by anyone.",
        severity: .error,
        triggering: [
            RuleExample(["security/roles.yaml": roles, "security/tm.yaml": threatModel(approvedBy: "rm@example.com")]),
            // A draft roles record does not grant what the approved one does not.
            RuleExample(["security/roles.yaml": approvedRoles, "security/roles2.yaml": draftGrant, "security/tm.yaml": threatModel(approvedBy: "rm@example.com")]),
        ],
        nonTriggering: [
            RuleExample(["security/roles.yaml": roles, "security/tm.yaml": threatModel(approvedBy: "pso@example.com")]),
            // No role names design reviews: anyone may approve them.
            RuleExample(["security/roles.yaml": roles, "security/dr.yaml": threatModel(approvedBy: "rm@example.com").replacingOccurrences(of: "kind: threat-model", with: "kind: design-review")]),
            RuleExample(["security/tm.yaml": threatModel(approvedBy: "rm@example.com")]),
            // With no roles record approved yet, the draft one says who approves.
            RuleExample(["security/roles2.yaml": draftGrant, "security/tm.yaml": threatModel(approvedBy: "rm@example.com")]),
        ])

    /// A role allowed to approve a kind, and its members as written.
    struct Approver { var role: String; var record: String; var members: [String] }

    /// The approving roles by kind. Approved roles records (current approval) rule when there is
    /// one: a roles record under revision cannot grant its author the right to approve. Until a
    /// roles record is approved, the current ones (drafts included) say who approves.
    static func approvers(in project: Project) -> [String: [Approver]] {
        var byKind: [String: [Approver]] = [:]
        let current = project.records.filter { $0.kind == "roles" && $0.isCurrent }
        let approved = current.filter(\.isApprovedAndCurrent)
        for record in approved.isEmpty ? current : approved {
            guard case .sequence(let roles, _)? = record.node["roles"] else { continue }
            for role in roles {
                guard let id = role["id"]?.scalarString else { continue }
                let members = role["members"]?.stringItems.map(\.value) ?? []
                for kind in role["approves"]?.stringItems ?? [] {
                    byKind[kind.value, default: []].append(Approver(role: id, record: record.label, members: members))
                }
            }
        }
        return byKind
    }

    public func check(_ project: Project) -> [Finding] {
        let byKind = Self.approvers(in: project)
        guard !byKind.isEmpty else { return [] }
        let people = PeopleDirectory(project)
        var findings: [Finding] = []
        for record in project.records where record.status == .approved {
            guard let kind = record.kind, let allowed = byKind[kind], let approval = record.approval, let by = approval.by else { continue }
            let approver = people.canonical(by)
            if allowed.contains(where: { $0.members.contains { people.canonical($0) == approver } }) { continue }
            let who = allowed.map { "\($0.role) (\($0.members.isEmpty ? "no members" : $0.members.joined(separator: ", ")), \($0.record))" }
            findings.append(Self.description.finding(
                record.path, record.node["approval"]?["by"]?.mark ?? approval.mark,
                "\(by) approved this \(kind) record but holds no role that approves \(kind) records; who may approve: \(who.joined(separator: "; ")) (one of them runs 'evident approve \(record.label)', or add \(by) to such a role in the roles record)",
                record: record.id))
        }
        return findings
    }
}
