/// Marking a requirement not applicable needs a stated reason an auditor can judge.
public struct NotApplicableWithoutReasonRule: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "not-applicable-without-reason", name: "Not applicable without reason",
        summary: "A requirement in `not-applicable` has no reason.",
        severity: .error,
        triggering: [
            RuleExample([".evident.yml": "version: 1\nproduct: X\nrecords: security\nnot-applicable:\n  - requirement: SM-10\n"]),
            RuleExample([".evident.yml": "version: 1\nproduct: X\nrecords: security\nnot-applicable:\n  - requirement: SM-10\n    reason: \"  \"\n"]),
        ],
        nonTriggering: [
            RuleExample([".evident.yml": "version: 1\nproduct: X\nrecords: security\nnot-applicable:\n  - requirement: SM-10\n    reason: No supplier builds components for us.\n"]),
        ])

    public func check(_ project: Project) -> [Finding] {
        project.configuration.exemptions.compactMap { exemption in
            let reason = exemption.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard reason.isEmpty else { return nil }
            return Self.description.finding(project.configPath, exemption.mark,
                "\(exemption.requirement) is marked not applicable without a reason; add 'reason:' saying why it does not apply")
        }
    }
}
