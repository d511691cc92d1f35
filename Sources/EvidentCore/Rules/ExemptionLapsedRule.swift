/// A not-applicable exemption whose `until` date has passed no longer applies.
public struct ExemptionLapsedRule: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "exemption-lapsed", name: "Exemption lapsed",
        summary: "A not-applicable entry's `until` date has passed; the requirement is judged again.",
        severity: .warning,
        triggering: [RuleExample([".evident.yml": "version: 1\nproduct: X\nrecords: security\nnot-applicable:\n  - requirement: DM-6\n    reason: Product not released yet.\n    until: 2026-01-31\n"], today: "2026-06-01")],
        nonTriggering: [RuleExample([".evident.yml": "version: 1\nproduct: X\nrecords: security\nnot-applicable:\n  - requirement: DM-6\n    reason: Product not released yet.\n    until: 2026-12-31\n"], today: "2026-06-01")])

    public func check(_ project: Project) -> [Finding] {
        project.configuration.exemptions.compactMap { exemption in
            guard let until = exemption.until, until < project.today else { return nil }
            return Self.description.finding(project.configPath, exemption.mark,
                "\(exemption.requirement) was not applicable until \(until); that date has passed, so it is judged again")
        }
    }
}
