/// What a record may claim, and on what content: the one policy coverage and the
/// `unsupported-claim` rule share.
///
/// - A kind's defaults and the requirements its fields derive (a test report's `test-type`, a
///   guideline section's `topic`, a periodic review's `subject`) count.
/// - A process record covers a requirement only through a practice section that describes it:
///   the section's `covers` names it and at least one of its steps names the responsible role and
///   the records it produces. SM-3 is also described by `applicability.products`.
/// - `evidence-for` may add a requirement only where the catalog names the record's kind as its
///   process or practice evidence, or lists it among the kind's `supports`; on a process record,
///   only what a section describes. Any other claim is rejected: a finding, never coverage.
public enum Claims {
    public struct Rejected: Sendable {
        public var requirement: Located<String>
        public var reason: String
    }

    public struct Judgement: Sendable {
        public var served: [(String, EvidenceRole)]
        public var rejected: [Rejected]
    }

    public static func judge(_ record: Record, catalog: Catalog) -> Judgement {
        guard let kind = record.kind, let info = catalog.kinds[kind] else {
            return Judgement(served: [], rejected: record.evidenceFor.map {
                Rejected(requirement: $0, reason: "the record has no known kind, so it can serve no requirement")
            })
        }
        var counted = Set(info.defaults)
        var rejected: [Rejected] = []
        for (field, map) in info.byField where !(kind == "process" && field == "practices.covers") {
            for item in CoverageCalculator.values(at: field, in: record.node) {
                if map["*"] != nil {
                    counted.formUnion(expand(item.value, catalog))
                } else if let ids = map[item.value] {
                    counted.formUnion(ids)
                }
            }
        }
        var described: Set<String> = []
        if kind == "process" {
            for section in record.node["practices"]?.items ?? [] {
                let covers = section["covers"]?.stringItems ?? []
                let steps = section["steps"]?.items ?? []
                let complete = steps.contains { step in
                    step["responsible"]?.scalarString != nil && !(step["outputs"]?.stringItems ?? []).isEmpty
                }
                for entry in covers {
                    if complete {
                        described.formUnion(expand(entry.value, catalog))
                    } else {
                        rejected.append(Rejected(requirement: entry, reason: "practice section \(section["practice"]?.scalarString ?? "?") covers \(entry.value) but none of its steps names the responsible role and the records it produces (steps: - responsible: ROLE, outputs: [KIND]); describe how \(entry.value) is done"))
                    }
                }
            }
            if !(record.node["applicability"]?["products"]?.stringItems ?? []).isEmpty { described.insert("SM-3") }
            counted.formUnion(described)
        }
        for claim in record.evidenceFor where !counted.contains(claim.value) {
            guard let requirement = catalog.requirement(claim.value) else { continue }  // unknown-requirement says so
            if kind == "process" {
                rejected.append(Rejected(requirement: claim, reason: "claims \(claim.value) in evidence-for, but no practice section describes it; add a section with covers: [\(claim.value)] and steps naming the responsible role and the records produced, or remove the claim"))
            } else if requirement.processKinds.contains(kind) || requirement.practiceKinds.contains(kind) || info.supports.contains(claim.value) {
                counted.insert(claim.value)
            } else {
                let expected = (requirement.practiceKinds + requirement.processKinds).filter { $0 != "process" }
                rejected.append(Rejected(requirement: claim, reason: "claims \(claim.value) in evidence-for, but a \(kind) record is not evidence of \(claim.value) (\(requirement.title)); its evidence is \(expected.isEmpty ? "the process" : expected.joined(separator: " or ")) records; remove the claim or record it there"))
            }
        }
        var served: [(String, EvidenceRole)] = []
        for id in counted.sorted() {
            guard let requirement = catalog.requirement(id) else { continue }
            let processRole = requirement.processKinds.contains(kind) && (kind == "process" || !requirement.practiceKinds.contains(kind))
            served.append((id, processRole ? .process : .practice))
        }
        // A supported requirement counts as practice evidence when the catalog names the kind as its practice.
        for id in info.supports where !counted.contains(id) {
            let practised = catalog.requirement(id)?.practiceKinds.contains(kind) ?? false
            served.append((id, practised ? .practice : .supporting))
        }
        return Judgement(served: served, rejected: rejected)
    }

    /// A requirement id, or a practice id standing for all its requirements.
    private static func expand(_ value: String, _ catalog: Catalog) -> [String] {
        if let practice = catalog.practices.first(where: { $0.id == value }) { return [value] + practice.requirements.map(\.id) }
        return [value]
    }
}
