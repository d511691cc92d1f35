/// DM-2: each defect is triaged within `policy.triage-days` of being received, per severity.
public struct TriageDeadlineRule: Rule {
    public init() {}
    static let config = RuleExample.defaultConfig + "policy:\n  triage-days: {critical: 2, high: 3, medium: 7, low: 14}\n"
    static let defect = DefectDatesRule.defect.replacingOccurrences(of: "analysis: {state: in_triage}\n", with: "")

    public static let description = RuleDescription(
        id: "triage-deadline", name: "Triage deadline",
        summary: "An open defect not triaged within policy.triage-days (per severity: the CVSS vector's band, else `severity`, else the shortest deadline) after it was received is an error; one due today or tomorrow a warning; one triaged late a warning. Silent without policy.triage-days.",
        severity: .error,
        triggering: [
            RuleExample([".evident.yml": config, "security/d.yaml": defect + "received: 2026-05-20\ncvss: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\nanalysis: {state: in_triage}\n"]),
            RuleExample([".evident.yml": config, "security/d.yaml": defect + "received: 2026-05-01\nseverity: low\nanalysis: {state: in_triage}\n"]),
            RuleExample([".evident.yml": config, "security/d.yaml": defect + "received: 2026-05-01\ntriaged: 2026-05-20\nseverity: medium\nanalysis: {state: exploitable}\n"]),
        ],
        nonTriggering: [
            RuleExample([".evident.yml": config, "security/d.yaml": defect + "received: 2026-05-30\nseverity: medium\nanalysis: {state: in_triage}\n"]),
            RuleExample([".evident.yml": config, "security/d.yaml": defect + "received: 2026-05-01\ntriaged: 2026-05-03\nseverity: high\nanalysis: {state: exploitable}\n"]),
            RuleExample(["security/d.yaml": defect + "received: 2026-01-01\nanalysis: {state: in_triage}\n"]),
        ])

    public func check(_ project: Project) -> [Finding] {
        let table = project.configuration.policy.triageDays
        guard !table.isEmpty else { return [] }
        var findings: [Finding] = []
        for record in project.records where record.kind == "defect" && record.isCurrent {
            let facts = DefectFacts(record)
            guard let received = facts.received, let days = DefectPolicy.days(table, severity: facts.severity),
                  let deadline = DayClock.adding(days: days, to: received) else { continue }
            let basis = "\(facts.severity) severity: \(days) day\(days == 1 ? "" : "s") from received \(received), policy.triage-days"
            if let triaged = facts.triaged {
                if triaged > deadline, let late = DayClock.days(from: deadline, to: triaged) {
                    findings.append(Self.description.finding(record.path, record.mark(of: "triaged"),
                        "triaged \(triaged), \(late) day\(late == 1 ? "" : "s") after the deadline \(deadline) (\(basis))", record: record.id, severity: .warning))
                }
            } else if facts.isOpen, let left = DayClock.days(from: project.today, to: deadline) {
                if left < 0 {
                    findings.append(Self.description.finding(record.path, record.mark(of: "received"),
                        "not triaged: the deadline \(deadline) passed \(-left) day\(left == -1 ? "" : "s") ago (\(basis)); triage it and write `triaged:`", record: record.id))
                } else if left <= 1 {
                    findings.append(Self.description.finding(record.path, record.mark(of: "received"),
                        "not triaged: due \(deadline), \(left == 0 ? "today" : "tomorrow") (\(basis))", record: record.id, severity: .warning))
                }
            }
        }
        return findings
    }
}
