/// An empty record file (or one with only comments) is almost always a mistake.
public struct EmptyFileRule: YAMLProblemRule {
    static let kind = YAMLProblem.Kind.empty
    public init() {}
    public static let description = RuleDescription(
        id: "empty-file", name: "Empty file",
        summary: "A .yaml file under the records root holds no record.",
        severity: .error,
        triggering: [RuleExample(["security/a.yaml": ""]), RuleExample(["security/a.yaml": "# just a comment\n"])],
        nonTriggering: [RuleExample(["security/a.yaml": "kind: defect\nid: DEF-1\n"])])
}
