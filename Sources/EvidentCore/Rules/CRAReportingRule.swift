import Foundation

/// EU Cyber Resilience Act, Article 14: for an actively exploited vulnerability, an early warning
/// within 24 hours of becoming aware, a notification within 72 hours, and a final report within
/// 14 days after a corrective measure is available. Judged at `EVIDENT_NOW` (or the end of today).
public struct CRAReportingRule: Rule {
    public init() {}
    public static let reads = RuleReads.git
    static let defect = ResidualRiskRule.defect
    static let exploited = "exploitation: {actively-exploited: true, known: 2026-05-31T08:00:00Z}\n"

    public static let description = RuleDescription(
        id: "cra-reporting", name: "CRA Article 14 reporting clocks",
        summary: "A defect with exploitation.actively-exploited needs cra-reporting.early-warning within 24 h and notification within 72 h of exploitation.known, and final-report within 14 days of the corrective measure (exploitation.corrective-measure, else the first release carrying fixed-in). A missing or late report is an error; one still due a warning with the hours left (the final report: within its last 72 hours).",
        severity: .error,
        triggering: [
            RuleExample(["security/d.yaml": defect + exploited]),
            RuleExample(["security/d.yaml": defect + "exploitation: {actively-exploited: true, known: 2026-05-01T08:00:00Z}\ncra-reporting: {early-warning: 2026-05-03T08:00:00Z, notification: 2026-05-03T09:00:00Z}\n"]),
            RuleExample(["security/d.yaml": defect + "exploitation: {actively-exploited: true}\n"]),
            RuleExample(["security/d.yaml": defect + "exploitation: {actively-exploited: true, known: 2026-05-01T08:00:00Z, corrective-measure: 2026-05-10T00:00:00+02:00}\ncra-reporting: {early-warning: 2026-05-01T20:00:00Z, notification: 2026-05-03T08:00:00Z}\n"]),
        ],
        nonTriggering: [
            RuleExample(["security/d.yaml": defect + "exploitation: {actively-exploited: false}\n"]),
            RuleExample(["security/d.yaml": defect + "exploitation: {actively-exploited: true, known: 2026-05-01T08:00:00Z, corrective-measure: 2026-05-10T12:00:00Z}\ncra-reporting: {early-warning: 2026-05-01T20:00:00Z, notification: 2026-05-03T08:00:00Z, final-report: 2026-05-20T10:00:00Z}\n"]),
            RuleExample(["security/d.yaml": defect + "exploitation: {actively-exploited: true, known: 2026-05-01T08:00:00Z}\ncra-reporting: {early-warning: 2026-05-02T08:00:00Z, notification: 2026-05-04T08:00:00Z}\n"]),
        ])

    public func check(_ project: Project) -> [Finding] {
        let now = project.now ?? "\(project.today)T23:59:59Z"
        guard let nowSeconds = DayClock.seconds(now) else { return [] }
        let releases = ReleaseFacts.all(project)
        var findings: [Finding] = []
        for record in project.records where record.kind == "defect" && record.isCurrent {
            guard let exploitation = record.node["exploitation"], exploitation["actively-exploited"]?.scalarString == "true" else { continue }
            func add(_ mark: Mark, _ message: String, _ severity: Severity = .error) {
                findings.append(Self.description.finding(record.path, mark, message, record: record.id, severity: severity))
            }
            func instant(_ node: YAMLNode?, _ field: String) -> Double? {
                guard let node, let text = node.scalarString else { return nil }
                guard let seconds = DayClock.seconds(text) else {
                    add(node.mark, "\(field) '\(text)' is not an ISO 8601 timestamp with a zone (2026-09-14T08:30:00Z) or a date")
                    return nil
                }
                return seconds
            }
            let reports = record.node["cra-reporting"]
            func judge(_ key: String, from start: Double, hours: Double, clock: String, warnWithin: Double) {
                let deadline = start + hours * 3600
                let due = Self.iso(deadline)
                let node = reports?[key]
                if let node, node.scalarString != nil {
                    guard let sent = instant(node, "cra-reporting.\(key)") else { return }
                    if sent > deadline { add(node.mark, "cra-reporting.\(key) sent \(Self.hours(sent - deadline)) after its deadline \(due) (\(clock))") }
                } else if nowSeconds > deadline {
                    add(reports?.mark ?? exploitation.mark, "CRA \(key) missing: due \(due) (\(clock)), \(Self.hours(nowSeconds - deadline)) ago; record when it was sent under cra-reporting.\(key)")
                } else if deadline - nowSeconds <= warnWithin * 3600 {
                    add(reports?.mark ?? exploitation.mark, "CRA \(key) due \(due) (\(clock)): \(Self.hours(deadline - nowSeconds)) left", .warning)
                }
            }
            if let knownNode = exploitation["known"], let known = instant(knownNode, "exploitation.known") {
                judge("early-warning", from: known, hours: 24, clock: "24 h after exploitation.known", warnWithin: 24)
                judge("notification", from: known, hours: 72, clock: "72 h after exploitation.known", warnWithin: 72)
            } else if exploitation["known"]?.scalarString == nil {
                add(exploitation.mark, "actively exploited, but exploitation.known (when you became aware) is missing: the CRA's 24 h and 72 h clocks start there")
            }
            var corrective: Double?
            var source = "exploitation.corrective-measure"
            if let node = exploitation["corrective-measure"] {
                corrective = instant(node, "exploitation.corrective-measure")
            } else if let release = DefectFacts(record).firstRelease(project, releases: releases) {
                corrective = DayClock.seconds(release.date)
                source = "the first release with the fix, \(release.id ?? "released") \(release.date)"
            }
            if let corrective {
                judge("final-report", from: corrective, hours: 14 * 24, clock: "14 days after \(source)", warnWithin: 72)
            }
        }
        return findings
    }

    static func hours(_ seconds: Double) -> String {
        let hours = Int((seconds / 3600).rounded(.up))
        return hours >= 48 ? "\(hours) h (\(hours / 24) days)" : "\(hours) h"
    }

    static func iso(_ seconds: Double) -> String {
        let date = Date(timeIntervalSince1970: seconds)
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
