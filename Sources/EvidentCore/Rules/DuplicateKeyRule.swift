/// YAML forbids the same key twice in one mapping; parsers silently keep one, so evidence could be lost.
public struct DuplicateKeyRule: YAMLProblemRule {
    static let kind = YAMLProblem.Kind.duplicateKey
    public init() {}
    public static let description = RuleDescription(
        id: "duplicate-key", name: "Duplicate key",
        summary: "A mapping repeats a key; reported at the second occurrence, naming the first.",
        severity: .error,
        triggering: [
            RuleExample(["security/a.yaml": "kind: defect\nid: DEF-1\nid: DEF-2\n"]),
            RuleExample(["security/a.yaml": "kind: defect\nid: DEF-1\nanalysis:\n  state: resolved\n  state: in_triage\n"]),
        ],
        nonTriggering: [
            RuleExample(["security/a.yaml": "kind: defect\nid: DEF-1\nanalysis:\n  id: A-1\n"]),
        ])
}
