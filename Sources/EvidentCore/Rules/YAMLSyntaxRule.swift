/// The file is not well-formed YAML, holds several documents, or is not a mapping.
public struct YAMLSyntaxRule: YAMLProblemRule {
    static let kind = YAMLProblem.Kind.syntax
    public init() {}
    public static let description = RuleDescription(
        id: "yaml-syntax", name: "YAML syntax",
        summary: "A record file must be one well-formed YAML document holding a mapping.",
        severity: .error,
        triggering: [
            RuleExample(["security/a.yaml": "kind: defect\nid: DEF-1\ntags: [one, two\n"]),
            RuleExample(["security/a.yaml": "- just\n- a list\n"]),
            RuleExample(["security/a.yaml": "kind: defect\n  id: DEF-1\n"]),
        ],
        nonTriggering: [
            RuleExample(["security/a.yaml": "kind: defect\nid: DEF-1\ntags: [one, two]\n"]),
        ])
}

/// A file holds more than one YAML document.
public struct MultipleDocumentsRule: YAMLProblemRule {
    static let kind = YAMLProblem.Kind.multipleDocuments
    public init() {}
    public static let description = RuleDescription(
        id: "multiple-documents", name: "Multiple documents",
        summary: "A record file holds exactly one YAML document; split the others into their own files.",
        severity: .error,
        triggering: [RuleExample(["security/a.yaml": "kind: defect\nid: DEF-1\n---\nkind: defect\nid: DEF-2\n"])],
        nonTriggering: [RuleExample(["security/a.yaml": "---\nkind: defect\nid: DEF-1\n"])])
}
