/// A defect's dates follow its lifecycle: received <= triaged <= fixed <= released <= disclosed,
/// and none lies after today.
public struct DefectDatesRule: Rule {
    public init() {}
    static let order = ["received", "triaged", "fixed", "released", "disclosed"]
    static let defect = "kind: defect\nid: DEF-1\ntitle: A\nstatus: draft\nowner: a@example.com\nsource: tester\ndescription: D\naffected-versions: [\"1.0\"]\nanalysis: {state: in_triage}\n"

    public static let description = RuleDescription(
        id: "defect-dates", name: "Defect dates in order",
        summary: "A defect's dates must follow its lifecycle (received <= triaged <= fixed <= released <= disclosed) and none may lie after today.",
        severity: .error,
        triggering: [
            RuleExample(["security/d.yaml": defect + "received: 2026-04-10\ntriaged: 2026-04-08\n"]),
            RuleExample(["security/d.yaml": defect + "received: 2026-04-10\nfixed: 2026-04-20\ndisclosed: 2026-04-15\n"]),
            RuleExample(["security/d.yaml": defect + "received: 2026-07-01\n"]),
        ],
        nonTriggering: [
            RuleExample(["security/d.yaml": defect + "received: 2026-04-06\ntriaged: 2026-04-08\nfixed: 2026-04-13\nreleased: 2026-04-20\ndisclosed: 2026-04-27\n"]),
            RuleExample(["security/d.yaml": defect + "received: 2026-04-06\ndisclosed: 2026-04-06\n"]),
        ])

    public func check(_ project: Project) -> [Finding] {
        var findings: [Finding] = []
        for record in project.records where record.kind == "defect" {
            let facts = DefectFacts(record)
            var previous: (key: String, date: String)?
            for key in Self.order {
                guard let date = facts.date(key) else { continue }
                if let previous, date < previous.date {
                    findings.append(Self.description.finding(record.path, record.mark(of: key),
                        "\(key) \(date) is before \(previous.key) \(previous.date) (received <= triaged <= fixed <= released <= disclosed)", record: record.id))
                }
                if date > project.today {
                    findings.append(Self.description.finding(record.path, record.mark(of: key), "\(key) \(date) is after today (\(project.today))", record: record.id))
                }
                if previous.map({ date >= $0.date }) ?? true { previous = (key, date) }
            }
        }
        return findings
    }
}
