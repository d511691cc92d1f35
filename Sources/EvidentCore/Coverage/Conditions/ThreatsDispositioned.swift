/// SR-2: a threat model shows threats handled: every threat has a mitigation, or is accepted or
/// transferred with a rationale.
struct ThreatsDispositioned: EvidenceCondition {
    static let name = "threats-dispositioned"
    static let requirements: Set<String> = ["SR-2"]
    static let kinds: Set<String> = ["threat-model"]

    func unmet(by record: Record, in project: Project) -> String? {
        let threats = record.node["threats"]?.items ?? []
        if threats.isEmpty { return "the model lists no threats; rate each threat and name its mitigation" }
        let undecided = threats.compactMap { threat -> String? in
            let status = threat["status"]?.scalarString ?? "open"
            let mitigated = !(threat["mitigations"]?.items ?? []).isEmpty
            let disposed = ["accepted", "transferred"].contains(status) && threat["rationale"]?.scalarString != nil
            return mitigated || disposed ? nil : (threat["id"]?.scalarString ?? "?")
        }
        guard !undecided.isEmpty else { return nil }
        return "threat\(undecided.count == 1 ? "" : "s") \(undecided.joined(separator: ", ")) \(undecided.count == 1 ? "has" : "have") no mitigation and no accepted/transferred disposition with a rationale; add the mitigating security requirement or the disposition"
    }
}
