/// An id local to a record (a threat's `targets`, a data flow's `crosses`, an interface's
/// `threats`) names no item of the lists the schema allows (`x-evident-local`), or a threat
/// reference (`{record: TM-001, threats: [T-9]}`) names a threat its threat model does not have.
public struct DanglingLocalIDRule: Rule {
    public init() {}
    private static let model = "kind: threat-model\nid: TM-1\ntitle: T\nstatus: draft\nowner: a@example.com\nassets:\n  - {id: AS-1, name: Config}\ntrust-boundaries:\n  - {id: TB-1, name: Net}\nthreats:\n  - id: T-1\n    title: X\n    status: open\n"
    public static let description = RuleDescription(
        id: "dangling-local-id", name: "Dangling local id",
        summary: "A local id (threat targets, crossed trust boundaries, an interface's threats...) names no item of its record, or a threat reference names a threat its threat model does not have.",
        severity: .error,
        triggering: [
            RuleExample(["security/t.yaml": model + "    targets: [AS-2]\n"]),
            RuleExample(["security/t.yaml": model, "security/r.yaml": "kind: test-report\nid: TR-1\ntitle: R\nstatus: draft\nowner: a@example.com\ncases:\n  - id: TC-1\n    title: C\n    result: pass\n    threats: [{record: TM-1, threats: [T-9]}]\n"]),
        ],
        nonTriggering: [
            RuleExample(["security/t.yaml": model + "    targets: [AS-1]\n"]),
            RuleExample(["security/t.yaml": model, "security/r.yaml": "kind: test-report\nid: TR-1\ntitle: R\nstatus: draft\nowner: a@example.com\ncases:\n  - id: TC-1\n    title: C\n    result: pass\n    threats: [{record: TM-1, threats: [T-1]}]\n"]),
        ])

    /// The `id`s of the items of the named lists of a record.
    static func ids(in node: YAMLNode, lists: [String]) -> [String] {
        lists.flatMap { list in (node[list]?.items ?? []).compactMap { $0["id"]?.scalarString } }
    }

    public func check(_ project: Project) -> [Finding] {
        let byID = project.recordsByID
        var findings: [Finding] = []
        // A model's threat ids, once per model however many records name it.
        var threatIDs: [String: Set<String>] = [:]
        for record in project.records {
            // A record's ids per set of lists, once per record however many references point into them.
            var localIDs: [[String]: (list: [String], set: Set<String>)] = [:]
            for reference in ReferenceFields.shared.values(in: record, targets: [.local, .threatRef]) {
                if reference.field.target == .local {
                    // With none of the lists there at all, the schema's finding (a missing or misspelled
                    // field) is the one to fix; every id pointing into it would only repeat it.
                    guard reference.field.scopes.contains(where: { record.node[$0] != nil }) else { continue }
                    let ids = localIDs[reference.field.scopes] ?? {
                        let found = Self.ids(in: record.node, lists: reference.field.scopes)
                        localIDs[reference.field.scopes] = (found, Set(found))
                        return (found, Set(found))
                    }()
                    guard !ids.set.contains(reference.value) else { continue }
                    let known = ids.list
                    let lists = reference.field.scopes.joined(separator: ", ")
                    let near = known.filter { Catalog.distance($0, reference.value) <= 1 }.first
                    findings.append(Self.description.finding(record.path, reference.mark,
                        "'\(reference.location)' names '\(reference.value)', but no item of \(lists) in this record has that id" + (near.map { "; did you mean '\($0)'?" } ?? (known.isEmpty ? "" : "; ids there: \(known.prefix(6).joined(separator: ", "))")),
                        record: record.id))
                } else {
                    guard let modelID = reference.node["record"]?.scalarString, let model = byID[modelID], model.kind == "threat-model" else { continue }
                    let known = threatIDs[modelID] ?? {
                        let found = Set(Self.ids(in: model.node, lists: ["threats"]))
                        threatIDs[modelID] = found
                        return found
                    }()
                    for threat in reference.node["threats"]?.stringItems ?? [] where !known.contains(threat.value) {
                        findings.append(Self.description.finding(record.path, threat.mark,
                            "'\(reference.location).threats' names threat '\(threat.value)', but \(modelID) has no threat with that id" + (known.isEmpty ? "" : "; its threats: \(known.sorted().prefix(6).joined(separator: ", "))"),
                            record: record.id))
                    }
                }
            }
        }
        return findings
    }
}
