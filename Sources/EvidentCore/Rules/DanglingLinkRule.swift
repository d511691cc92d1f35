/// A link names a record id that no record has.
public struct DanglingLinkRule: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "dangling-link", name: "Dangling link",
        summary: "A link's target is not the id of any record in the repository.",
        severity: .error,
        triggering: [RuleExample([
            "security/a.yaml": "kind: advisory\nid: ADV-1\ntitle: A\nstatus: draft\nowner: a@example.com\nlinks:\n  - to: DEF-9\n    relation: discloses\n",
        ])],
        nonTriggering: [RuleExample([
            "security/a.yaml": "kind: advisory\nid: ADV-1\ntitle: A\nstatus: draft\nowner: a@example.com\nlinks:\n  - to: DEF-1\n    relation: discloses\n",
            "security/b.yaml": "kind: defect\nid: DEF-1\ntitle: B\nstatus: draft\nowner: a@example.com\n",
        ])])

    public func check(_ project: Project) -> [Finding] {
        let ids = Set(project.records.compactMap(\.id))
        var findings: [Finding] = []
        for record in project.records {
            for link in record.links where !ids.contains(link.target) {
                var message = "link to '\(link.target)', but no record has that id"
                let near = ids.filter { Catalog.distance($0, link.target) <= 2 }.sorted()
                if let best = near.first { message += "; did you mean '\(best)'?" }
                findings.append(Self.description.finding(record.path, link.mark, message, record: record.id))
            }
        }
        return findings
    }
}
