/// A record claims a requirement its content does not show: a process record's `evidence-for`
/// entry or practice section with no step describing it, or a kind the catalog does not take as
/// evidence of that requirement. The claim does not count (see `Claims`).
public struct UnsupportedClaimRule: Rule {
    public init() {}
    private static let envelope = "title: A\nstatus: draft\nowner: a@example.com\n"
    public static let description = RuleDescription(
        id: "unsupported-claim", name: "Unsupported claim",
        summary: "A requirement claimed in evidence-for (or a process section's covers) that the record does not describe: a process record needs a practice section with steps naming the responsible role and the records produced; other kinds may claim only what the catalog takes them as evidence of. The claim does not count.",
        severity: .warning,
        triggering: [
            RuleExample(["security/a.yaml": "kind: process\nid: PROC-1\n" + envelope + "evidence-for: [SM-4]\n"]),
            RuleExample(["security/a.yaml": "kind: process\nid: PROC-1\n" + envelope + "practices:\n  - practice: SR\n    covers: [SR-2]\n    steps:\n      - id: S-1\n        description: Model threats.\n"]),
            RuleExample(["security/a.yaml": "kind: threat-model\nid: TM-1\n" + envelope + "evidence-for: [SM-4]\n"]),
        ],
        nonTriggering: [
            RuleExample(["security/a.yaml": "kind: process\nid: PROC-1\n" + envelope + "evidence-for: [SR-2]\npractices:\n  - practice: SR\n    covers: [SR-2]\n    steps:\n      - id: S-1\n        description: Model threats.\n        responsible: product-security-officer\n        outputs: [threat-model]\n"]),
            RuleExample(["security/a.yaml": "kind: threat-model\nid: TM-1\n" + envelope + "evidence-for: [SD-2]\n"]),
        ])

    public func check(_ project: Project) -> [Finding] {
        project.records.flatMap { record in
            Claims.judge(record, catalog: project.catalog).rejected.map { rejected in
                Self.description.finding(record.path, rejected.requirement.mark, "\(record.label) \(rejected.reason)", record: record.id)
            }
        }
    }
}
