/// A link, or any field the schemas mark as naming a record, names no record, a record of the
/// wrong kind, the record itself, a template placeholder, or closes a cycle of supersedes /
/// refines / depends-on links.
public struct DanglingReferenceRule: Rule {
    public init() {}
    private static let envelope = "title: A\nstatus: draft\nowner: a@example.com\n"
    public static let description = RuleDescription(
        id: "dangling-reference", name: "Dangling reference",
        summary: "A link or a field that names a record (advisory defects, a mitigation's record, a coding standard, a security update's release...) names no record, a record of a kind the field does not take, or the record itself (a template's stand-in id is left to template-placeholder); or supersedes/refines/depends-on links form a cycle.",
        severity: .error,
        triggering: [
            RuleExample(["security/a.yaml": "kind: advisory\nid: ADV-1\n" + envelope + "links:\n  - to: DEF-9\n    relation: discloses\n"]),
            RuleExample(["security/a.yaml": "kind: code-review\nid: CR-1\n" + envelope + "coding-standard: GL-CODING\n"]),
            RuleExample(["security/a.yaml": "kind: code-review\nid: CR-1\n" + envelope + "coding-standard: TR-1\n",
                         "security/b.yaml": "kind: test-report\nid: TR-1\n" + envelope]),
            RuleExample(["security/a.yaml": "kind: security-update\nid: SUP-1\n" + envelope + "release: REL-9\n"]),
            RuleExample(["security/a.yaml": "kind: guideline\nid: GL-1\n" + envelope + "links:\n  - to: GL-1\n    relation: references\n"]),
            RuleExample(["security/a.yaml": "kind: guideline\nid: GL-1\n" + envelope + "links:\n  - to: GL-2\n    relation: supersedes\n",
                         "security/b.yaml": "kind: guideline\nid: GL-2\n" + envelope + "links:\n  - to: GL-1\n    relation: supersedes\n"]),
        ],
        nonTriggering: [
            RuleExample(["security/a.yaml": "kind: advisory\nid: ADV-1\n" + envelope + "defects: [DEF-1]\nlinks:\n  - to: DEF-1\n    relation: discloses\n",
                         "security/b.yaml": "kind: defect\nid: DEF-1\n" + envelope]),
            RuleExample(["security/a.yaml": "kind: code-review\nid: CR-1\n" + envelope + "coding-standard: GL-1\n",
                         "security/b.yaml": "kind: guideline\nid: GL-1\n" + envelope]),
        ])

    /// Relations that order records: following them must never come back to where it started.
    static let orderingRelations: Set<String> = ["supersedes", "refines", "depends-on"]

    public func check(_ project: Project) -> [Finding] {
        let byID = project.recordsByID
        var suggester = Suggester(records: project.records)
        var findings: [Finding] = []
        for record in project.records {
            func report(_ mark: Mark, _ message: String) {
                findings.append(Self.description.finding(record.path, mark, message, record: record.id))
            }
            for link in record.links {
                if link.target == record.id {
                    report(link.mark, "link to '\(link.target)', the record itself; link to another record or remove it")
                } else if byID[link.target] == nil {
                    report(link.mark, "link to '\(link.target)', but no record has that id" + suggester.hint(for: link.target, kinds: []))
                }
            }
            for reference in ReferenceFields.shared.values(in: record, targets: [.record]) where reference.field.steps.first != .key("links") {
                var name: String { "'\(reference.location)'" }   // made only for a finding
                let kinds = reference.field.kinds
                if reference.value == record.id {
                    report(reference.mark, "\(name) names '\(reference.value)', the record itself; name the \(Self.kindList(kinds, or: "record")) it refers to")
                } else if let target = byID[reference.value] {
                    if !kinds.isEmpty, let kind = target.kind, !kinds.contains(kind) {
                        report(reference.mark, "\(name) names '\(reference.value)', a \(kind) record; it takes a \(Self.kindList(kinds, or: "record"))" + suggester.hint(for: reference.value, kinds: kinds, sameKindOnly: true))
                    }
                } else if !Self.isPlaceholder(reference.value) {  // placeholders: template-placeholder
                    report(reference.mark, "\(name) names '\(reference.value)', but no record has that id" + suggester.hint(for: reference.value, kinds: kinds))
                }
            }
        }
        findings += cycles(in: project, byID: byID)
        return findings
    }

    /// A template's stand-in id: one the templates themselves write in a record field (read from
    /// them, as `evident new` copies them), or one whose part after the prefix is a stand-in word
    /// (`TBD`, `XXX`, `NNN`, `REPLACE`, the templates' own word) or only dots (`DEF-...`).
    static func isPlaceholder(_ id: String) -> Bool {
        let parts = id.split(separator: "-", omittingEmptySubsequences: false).dropFirst()
        return parts.contains { part in
            standInWords.contains(part.uppercased()) || (!part.isEmpty && part.allSatisfy { $0 == "." })
        }
    }

    /// Stand-in words: the fixed few, and the suffix of every record-id-shaped word the templates write.
    static let standInWords: Set<String> = {
        var words: Set<String> = ["TBD", "XXX", "NNN", "REPLACE"]
        for kind in (try? Catalog.standard())?.kindNames ?? [] {
            guard let text = Templates.template(for: kind) else { continue }
            for token in text.split(whereSeparator: { " \n\t[],:\"'#{}".contains($0) }) {
                let pieces = token.split(separator: "-")
                guard pieces.count == 2, let prefix = pieces.first, prefix.first?.isUppercase == true,
                      prefix.allSatisfy({ $0.isUppercase || $0.isNumber }), pieces[1].allSatisfy(\.isUppercase) else { continue }
                words.insert(String(pieces[1]))
            }
        }
        return words
    }()

    static func kindList(_ kinds: [String], or fallback: String) -> String {
        kinds.isEmpty ? fallback : kinds.joined(separator: " or ")
    }

    /// Cycles through ordering links (A supersedes B supersedes A), each reported once, on the
    /// link that closes it in the record that sorts first.
    private func cycles(in project: Project, byID: [String: Record]) -> [Finding] {
        var edges: [String: [(String, Mark)]] = [:]
        for record in project.records {
            guard let id = record.id else { continue }
            for link in record.links where Self.orderingRelations.contains(link.relation ?? "") && link.target != id && byID[link.target] != nil {
                edges[id, default: []].append((link.target, link.mark))
            }
        }
        var state: [String: Int] = [:]  // 1: on the current path, 2: done
        var findings: [Finding] = []
        for start in edges.keys.sorted() where state[start] == nil {
            // Iterative depth-first search; the stack holds (node, index of the next edge).
            var stack: [(String, Int)] = [(start, 0)]
            var path: [String] = [start]
            state[start] = 1
            while let (node, next) = stack.last {
                let out = edges[node] ?? []
                if next >= out.count {
                    state[node] = 2
                    stack.removeLast()
                    path.removeLast()
                    continue
                }
                stack[stack.count - 1].1 += 1
                let (target, mark) = out[next]
                switch state[target] {
                case 1:
                    let loop = path.drop { $0 != target } + [target]
                    if let record = byID[node] {
                        findings.append(Self.description.finding(record.path, mark, "link to '\(target)' closes a cycle: \(loop.joined(separator: " -> ")); supersedes, refines and depends-on must not lead back to a record", record: node))
                    }
                case nil:
                    state[target] = 1
                    stack.append((target, 0))
                    path.append(target)
                default:
                    break
                }
            }
        }
        return findings
    }
}

/// "Did you mean" for record ids: records of the kinds the field takes first, then any record;
/// remembered per (id, kinds), so a placeholder repeated in thousands of records costs one look-up.
/// Up to `scanLimit` candidates are compared one by one; above that a deletion-neighbourhood index
/// (`NearIDs`, built once per candidate list) finds the ids within distance 2, so a repository full
/// of distinct dangling ids costs records, not records x records.
private struct Suggester {
    static let scanLimit = 1_000
    private var idsByKind: [String: [String]] = [:]
    private var allIDs: [String] = []
    private var memo: [String: String] = [:]
    private var indexes: [String: NearIDs] = [:]

    init(records: [Record]) {
        for record in records {
            guard let id = record.id else { continue }
            allIDs.append(id)
            idsByKind[record.kind ?? "", default: []].append(id)
        }
    }

    mutating func hint(for id: String, kinds: [String], sameKindOnly: Bool = false) -> String {
        let key = id + "\u{0}" + kinds.joined(separator: ",") + (sameKindOnly ? "\u{0}1" : "")
        if let known = memo[key] { return known }
        let preferred = kinds.flatMap { idsByKind[$0] ?? [] }
        var best = nearest(id, in: preferred, named: kinds.joined(separator: ","))
        if best == nil && !sameKindOnly { best = nearest(id, in: allIDs, named: "*") }
        let text = best.map { "; did you mean '\($0)'?" } ?? (sameKindOnly || preferred.isEmpty ? "" : "; records of that kind: \(preferred.sorted().prefix(3).joined(separator: ", "))")
        memo[key] = text
        return text
    }

    private mutating func nearest(_ id: String, in candidates: [String], named name: String) -> String? {
        if candidates.count > Self.scanLimit {
            if indexes[name] == nil { indexes[name] = NearIDs(Set(candidates)) }
            return indexes[name]?.closest(to: id).flatMap { $0 == id ? nil : $0 }
        }
        var best: (Int, String)?
        for candidate in candidates where candidate != id && abs(candidate.count - id.count) <= 2 {
            let distance = Catalog.distance(candidate, id)
            if distance <= 2, best.map({ (distance, candidate) < $0 }) ?? true { best = (distance, candidate) }
        }
        return best?.1
    }
}
