/// Records are UTF-8 text; invalid bytes or NUL bytes (binary files) are refused with their position.
public struct InvalidEncodingRule: YAMLProblemRule {
    static let kind = YAMLProblem.Kind.encoding
    public init() {}
    public static let description = RuleDescription(
        id: "invalid-encoding", name: "Invalid encoding",
        summary: "A record file must be UTF-8 text without NUL bytes.",
        severity: .error,
        triggering: [
            RuleExample(["security/a.yaml": "kind: defect\nid: DEF-\u{0}1\n"]),
        ],
        nonTriggering: [
            RuleExample(["security/a.yaml": "\u{FEFF}kind: defect\r\nid: DEF-1\r\ntitle: Überlauf im Feldbus-Parser\r\n"]),
        ])
}
