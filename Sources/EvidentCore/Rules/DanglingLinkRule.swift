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
        var near: NearIDs?
        for record in project.records {
            for link in record.links where !ids.contains(link.target) {
                var message = "link to '\(link.target)', but no record has that id"
                if near == nil { near = NearIDs(ids) }
                if let best = near?.closest(to: link.target) { message += "; did you mean '\(best)'?" }
                findings.append(Self.description.finding(record.path, link.mark, message, record: record.id))
            }
        }
        return findings
    }
}

/// The ids within edit distance 2 of a name, found without comparing the name with every id (a
/// repository where every record has a dangling link would otherwise compare every record with
/// every other): each id is filed under every string it gives with up to two characters deleted,
/// and two strings within distance 2 share such a string (the deletion-neighbourhood method).
/// Every candidate is then measured, so the answer is the one comparing with every id would give.
struct NearIDs {
    private var byDeletion: [[UInt8]: [String]] = [:]

    init(_ ids: Set<String>) {
        for id in ids {
            for variant in Self.deletions(of: id) { byDeletion[variant, default: []].append(id) }
        }
    }

    /// The smallest id (in string order) within distance 2 of `name`, or nil.
    func closest(to name: String) -> String? {
        var candidates = Set<String>()
        for variant in Self.deletions(of: name) { candidates.formUnion(byDeletion[variant] ?? []) }
        return candidates.filter { Catalog.distance($0, name) <= 2 }.min()
    }

    /// The string's UTF-8 bytes and every byte string made by deleting one or two of them (the
    /// distance is counted in bytes too).
    static func deletions(of text: String) -> Set<[UInt8]> {
        let bytes = Array(text.utf8)
        var out: Set<[UInt8]> = [bytes]
        for i in bytes.indices {
            var once = bytes
            once.remove(at: i)
            out.insert(once)
            for j in once.indices {
                var twice = once
                twice.remove(at: j)
                out.insert(twice)
            }
        }
        return out
    }
}
