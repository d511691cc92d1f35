/// A file exceeds a configured limit (size, depth, alias expansion, scalar length, keys, records).
public struct ResourceLimitRule: YAMLProblemRule {
    static let kind = YAMLProblem.Kind.limit
    public init() {}
    public static let description = RuleDescription(
        id: "resource-limit", name: "Resource limit",
        summary: "A file is larger, deeper or more expanded than the limits in .evident.yml allow.",
        severity: .error,
        triggering: [
            RuleExample(["security/a.yaml": "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"]),
            RuleExample(["security/a.yaml": String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "\n"]),
        ],
        nonTriggering: [
            RuleExample(["security/a.yaml": "kind: defect\nid: DEF-1\nbase: &base {a: 1}\ncopy: *base\n"]),
        ])
}
