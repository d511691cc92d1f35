/// Record ids are unique across the repository; both places are named.
public struct DuplicateIDRule: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "duplicate-id", name: "Duplicate record id",
        summary: "Two records share an id; links to it would be ambiguous.",
        severity: .error,
        triggering: [RuleExample([
            "security/a.yaml": "kind: defect\nid: DEF-1\ntitle: A\nstatus: draft\nowner: a@example.com\n",
            "security/b.yaml": "kind: defect\nid: DEF-1\ntitle: B\nstatus: draft\nowner: a@example.com\n",
        ])],
        nonTriggering: [RuleExample([
            "security/a.yaml": "kind: defect\nid: DEF-1\ntitle: A\nstatus: draft\nowner: a@example.com\n",
            "security/b.yaml": "kind: defect\nid: DEF-2\ntitle: B\nstatus: draft\nowner: a@example.com\n",
        ])])

    public func check(_ project: Project) -> [Finding] {
        var first: [String: Record] = [:]
        var findings: [Finding] = []
        for record in project.records {
            guard let id = record.id else { continue }
            if let original = first[id] {
                let there = original.mark(of: "id")
                findings.append(Self.description.finding(
                    record.path, record.mark(of: "id"),
                    "id '\(id)' is already used by \(original.path):\(there.line):\(there.column)", record: id))
                findings.append(Self.description.finding(
                    original.path, there, "id '\(id)' is used again by \(record.path):\(record.mark(of: "id").line)", record: id))
            } else {
                first[id] = record
            }
        }
        return findings
    }
}
