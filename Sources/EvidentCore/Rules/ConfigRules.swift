/// `.evident.yml` holds a key evident does not know: an error, because a typo keeps a setting from
/// taking effect (an exemption's `untill:` would make it never lapse).
public struct ConfigUnknownKeyRule: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "config-unknown-key", name: "Unknown configuration key",
        summary: "A key in .evident.yml is not one evident reads (with the closest known key when it looks like a typo).",
        severity: .error,
        triggering: [
            RuleExample([".evident.yml": "version: 1\nproduct: X\nrecord: security\n", "security/.keep.yaml": "kind: process\n"]),
            RuleExample([".evident.yml": "version: 1\nproduct: X\nrecords: security\nnot-applicable:\n  - requirement: SM-10\n    reason: none\n    untill: 2027-01-01\n"]),
        ],
        nonTriggering: [RuleExample([".evident.yml": "version: 1\nproduct: X\nrecords: security\nmaturity: 2\n"])])

    public func check(_ project: Project) -> [Finding] {
        project.configProblems.filter { $0.kind == .unknownKey }.map {
            Self.description.finding(project.configPath, $0.mark, $0.message)
        }
    }
}

/// `.evident.yml` holds a value of the wrong type or out of range.
public struct ConfigInvalidRule: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "config-invalid", name: "Invalid configuration value",
        summary: "A value in .evident.yml has the wrong type or is out of range.",
        severity: .error,
        triggering: [
            RuleExample([".evident.yml": "version: 1\nproduct: X\nrecords: security\nmaturity: 7\n"]),
            RuleExample([".evident.yml": "version: 1\nproduct: X\nrecords: security\nnot-applicable:\n  - requirement: SM-10\n    reason: none\n    until: next year\n"]),
        ],
        nonTriggering: [RuleExample([".evident.yml": "version: 1\nproduct: X\nrecords: security\nmaturity: 4\nsecurity-level: 2\n"])])

    public func check(_ project: Project) -> [Finding] {
        project.configProblems.filter { $0.kind == .invalidValue }.map {
            Self.description.finding(project.configPath, $0.mark, $0.message)
        }
    }
}
