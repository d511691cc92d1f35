/// SUM-5: a fix reaches users within `policy.fix-days` of the report, per severity: from received to
/// the first release whose tag contains the `fixed-in` commit (asked of git), or the record's
/// `released` date.
public struct FixDeadlineRule: Rule {
    public init() {}
    public static let reads = RuleReads.git
    static let config = RuleExample.defaultConfig + "policy:\n  fix-days: {critical: 14, high: 30, medium: 90, low: 180}\n"
    static let defect = TriageDeadlineRule.defect

    public static let description = RuleDescription(
        id: "fix-deadline", name: "Security update deadline (SUM-5)",
        summary: "A defect whose fix is in no release (a release record whose tag contains fixed-in, as git answers, or the record's `released` date) after policy.fix-days (per severity) from received is an error; one due within 7 days a warning; one released late a warning. Not-affected, false-positive and accepted defects have no deadline. Silent without policy.fix-days.",
        severity: .error,
        triggering: [
            RuleExample([".evident.yml": config, "security/d.yaml": defect + "received: 2026-04-01\nseverity: high\nanalysis: {state: exploitable}\n"]),
            RuleExample([".evident.yml": config, "security/d.yaml": defect + "received: 2026-05-20\nseverity: critical\nanalysis: {state: exploitable}\n"]),
            RuleExample([".evident.yml": config, "security/d.yaml": defect + "received: 2026-01-05\nfixed: 2026-01-10\nreleased: 2026-03-01\nseverity: high\nanalysis: {state: resolved}\n"]),
        ],
        nonTriggering: [
            RuleExample([".evident.yml": config, "security/d.yaml": defect + "received: 2026-04-06\nfixed: 2026-04-13\nreleased: 2026-04-20\ncvss: CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\nanalysis: {state: resolved}\n"]),
            RuleExample([".evident.yml": config, "security/d.yaml": defect + "received: 2026-01-01\nseverity: low\ntriaged: 2026-01-02\nanalysis: {state: not_affected, justification: code_not_present}\n"]),
            RuleExample([".evident.yml": config, "security/d.yaml": defect + "received: 2026-05-20\nseverity: medium\nanalysis: {state: exploitable}\n"]),
        ])

    public func check(_ project: Project) -> [Finding] {
        let table = project.configuration.policy.fixDays
        guard !table.isEmpty else { return [] }
        let releases = ReleaseFacts.all(project)
        var findings: [Finding] = []
        for record in project.records where record.kind == "defect" && record.isCurrent {
            let facts = DefectFacts(record)
            guard !["not_affected", "false_positive"].contains(facts.state ?? ""), facts.decision != "accepted",
                  let received = facts.received, let days = DefectPolicy.days(table, severity: facts.severity),
                  let deadline = DayClock.adding(days: days, to: received) else { continue }
            let basis = "\(facts.severity) severity: \(days) days from received \(received), policy.fix-days"
            if let release = facts.firstRelease(project, releases: releases) {
                if release.date > deadline, let late = DayClock.days(from: deadline, to: release.date) {
                    findings.append(Self.description.finding(record.path, record.mark(of: record.node["fixed-in"] != nil ? "fixed-in" : "released"),
                        "the fix reached users \(release.date)\(release.id.map { " (\($0))" } ?? ""), \(late) day\(late == 1 ? "" : "s") after the deadline \(deadline) (\(basis))",
                        record: record.id, severity: .warning))
                }
                continue
            }
            guard let left = DayClock.days(from: project.today, to: deadline) else { continue }
            let why: String
            if let fix = record.string("fixed-in") {
                why = project.git == nil ? "no release date is known for its fix \(fix) (write `released:`)" : "its fix \(fix) (fixed-in) is in no release record's tag"
            } else {
                why = "no fix is released"
            }
            if left < 0 {
                findings.append(Self.description.finding(record.path, record.mark(of: "received"),
                    "security update overdue: \(why), and the deadline \(deadline) passed \(-left) day\(left == -1 ? "" : "s") ago (\(basis))", record: record.id))
            } else if left <= 7 {
                findings.append(Self.description.finding(record.path, record.mark(of: "received"),
                    "security update due \(deadline), in \(left) day\(left == 1 ? "" : "s"): \(why) (\(basis))", record: record.id, severity: .warning))
            }
        }
        return findings
    }
}
