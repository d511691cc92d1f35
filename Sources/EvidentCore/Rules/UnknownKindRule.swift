/// A record's `kind` is not one of the record kinds evident knows.
public struct UnknownKindRule: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "unknown-kind", name: "Unknown record kind",
        summary: "`kind` must name one of the record kinds (see `evident schema`).",
        severity: .error,
        triggering: [RuleExample(["security/a.yaml": "kind: threatmodel\nid: TM-1\ntitle: T\nstatus: draft\nowner: a@example.com\n"])],
        nonTriggering: [RuleExample(["security/a.yaml": "kind: threat-model\nid: TM-1\ntitle: T\nstatus: draft\nowner: a@example.com\n"])])

    public func check(_ project: Project) -> [Finding] {
        project.records.compactMap { record in
            guard let kind = record.kind, project.catalog.kinds[kind] == nil else { return nil }
            let closest = project.catalog.kindNames.min { Catalog.distance(kind, $0) < Catalog.distance(kind, $1) }
            var message = "unknown kind '\(kind)'"
            if let closest, Catalog.distance(kind, closest) <= 3 { message += "; did you mean '\(closest)'?" }
            return Self.description.finding(record.path, record.mark(of: "kind"), message, record: record.id)
        }
    }
}
