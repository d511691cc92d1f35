/// Ids (and record paths) that differ only in case collide on macOS and Windows checkouts.
public struct CaseCollisionRule: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "case-collision", name: "Case-insensitive collision",
        summary: "Two ids or two record paths differ only in letter case; they break on case-insensitive file systems.",
        severity: .error,
        triggering: [RuleExample([
            "security/a.yaml": "kind: defect\nid: TM-001\ntitle: A\nstatus: draft\nowner: a@example.com\n",
            "security/b.yaml": "kind: defect\nid: Tm-001\ntitle: B\nstatus: draft\nowner: a@example.com\n",
        ])],
        nonTriggering: [RuleExample([
            "security/a.yaml": "kind: defect\nid: TM-001\ntitle: A\nstatus: draft\nowner: a@example.com\n",
            "security/b.yaml": "kind: defect\nid: TM-002\ntitle: B\nstatus: draft\nowner: a@example.com\n",
        ])])

    public func check(_ project: Project) -> [Finding] {
        var findings: [Finding] = []
        var ids: [String: Record] = [:]
        for record in project.records {
            guard let id = record.id else { continue }
            let folded = id.lowercased()
            if let other = ids[folded], other.id != id {
                findings.append(Self.description.finding(record.path, record.mark(of: "id"), "id '\(id)' differs only in case from '\(other.id ?? "")' in \(other.path)", record: id))
            } else if ids[folded] == nil {
                ids[folded] = record
            }
        }
        var paths: [String: String] = [:]
        for file in project.files {
            let folded = file.path.lowercased()
            if let other = paths[folded], other != file.path {
                findings.append(Self.description.finding(file.path, Mark(line: 1, column: 1), "path differs only in case from \(other)"))
            } else {
                paths[folded] = file.path
            }
        }
        return findings
    }
}
