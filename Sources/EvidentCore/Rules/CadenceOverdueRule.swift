/// Reviews the standard wants on a cadence that are overdue as of today.
public struct CadenceOverdueRule: Rule {
    public init() {}
    /// Periodic-review subjects and the cadence (in `.evident.yml` `cadences`) that paces them.
    static let subjects = ["DM-6": "defect-process-review", "SD-4": "design-practices-review", "SI-2": "coding-standard-review"]
    static let head = "status: approved\nowner: a@example.com\n"
    static let release = "kind: release\nid: REL-1\ntitle: R\n" + head + "tag: v1.0\ndate: 2025-01-15\n"
    static let threatModel = "kind: threat-model\nid: TM-1\ntitle: T\n" + head
    static func review(_ subject: String, _ reviewed: String, next: String? = nil) -> String {
        "kind: periodic-review\nid: PR-\(subject)-\(reviewed)\ntitle: P\n" + head + "subject: \(subject)\nreviewed: \(reviewed)\n" + (next.map { "next-review: \($0)\n" } ?? "")
    }
    public static let description = RuleDescription(
        id: "cadence-overdue", name: "Review overdue",
        summary: "Judged against today: a threat model's `next-review` has passed, or once a release record exists its latest `reviews[].date` (or, with none, the first release's date) is older than `cadences.threat-model-review` months; the latest periodic review of a subject has a passed `next-review`, or without one is older than its cadence (DM-6 defect-process-review, SD-4 design-practices-review, SI-2 coding-standard-review); no DM-6 review at all more than `cadences.defect-process-review` months after the first release. Superseded and retired records, and requirements marked not applicable, are not judged.",
        severity: .warning,
        triggering: [
            RuleExample(["security/tm.yaml": threatModel + "next-review: 2026-05-01\n"]),
            RuleExample(["security/tm.yaml": threatModel + "reviews:\n  - date: 2025-02-01\n    reviewers: [a@example.com]\n", "security/r.yaml": release]),
            RuleExample(["security/p.yaml": review("SI-2", "2025-01-01")]),
            RuleExample(["security/p.yaml": review("DM-6", "2026-01-01", next: "2026-03-01")]),
            RuleExample(["security/r.yaml": release]),
        ],
        nonTriggering: [
            RuleExample(["security/tm.yaml": threatModel + "next-review: 2026-07-01\nreviews:\n  - date: 2026-01-10\n    reviewers: [a@example.com]\n", "security/r.yaml": release, "security/p.yaml": review("DM-6", "2026-01-01")]),
            RuleExample(["security/tm.yaml": threatModel + "reviews:\n  - date: 2025-02-01\n    reviewers: [a@example.com]\n"]),
            RuleExample(["security/p.yaml": review("SI-2", "2025-01-01"), "security/q.yaml": review("SI-2", "2026-02-01", next: "2027-02-01")]),
        ])

    public func check(_ project: Project) -> [Finding] {
        let today = project.today
        let exempt = Set(project.configuration.exemptions.filter { ($0.until ?? "9999") >= today }.map(\.requirement))
        let current = project.records.filter(\.isCurrent)
        let releases = current.filter { $0.kind == "release" }
        let firstRelease = releases.compactMap { release in release.string("date").flatMap { Day.parts($0) == nil ? nil : ($0, release) } }
            .min { $0.0 < $1.0 }
        func months(_ name: String) -> Int { project.configuration.cadences[name] ?? Configuration.defaultCadences[name] ?? 12 }
        var findings: [Finding] = []
        func overdue(_ record: Record, _ key: String, _ message: String) {
            findings.append(Self.description.finding(record.path, record.mark(of: key), message, record: record.id))
        }

        if !exempt.contains("SR-2") {
            for model in current where model.kind == "threat-model" {
                if let next = model.string("next-review"), Day.parts(next) != nil, next < today {
                    overdue(model, "next-review", "threat model re-review was due on \(next) (next-review); today is \(today)")
                    continue
                }
                guard !releases.isEmpty else { continue }
                let cadence = months("threat-model-review")
                var dates: [String] = []
                if case .sequence(let reviews, _)? = model.node["reviews"] {
                    dates = reviews.compactMap { $0["date"]?.scalarString }.filter { Day.parts($0) != nil }
                }
                if let latest = dates.max() {
                    if let due = Day.adding(months: cadence, to: latest), due < today {
                        overdue(model, "reviews", "threat model last reviewed on \(latest); the product is released, so a re-review was due by \(due) (cadences.threat-model-review: \(cadence) months)")
                    }
                } else if let (date, _) = firstRelease, let due = Day.adding(months: cadence, to: date), due < today {
                    overdue(model, "reviews", "threat model has no recorded review (reviews) and the product was first released on \(date): a review was due by \(due) (cadences.threat-model-review: \(cadence) months)")
                }
            }
        }

        var latest: [String: Record] = [:]
        for review in current where review.kind == "periodic-review" {
            guard let subject = review.string("subject"), let date = review.string("reviewed"), Day.parts(date) != nil else { continue }
            if let other = latest[subject], let otherDate = other.string("reviewed"), otherDate >= date { continue }
            latest[subject] = review
        }
        for (subject, review) in latest.sorted(by: { $0.key < $1.key }) where !exempt.contains(subject) {
            let reviewed = review.string("reviewed") ?? ""
            if let next = review.string("next-review"), Day.parts(next) != nil {
                if next < today {
                    overdue(review, "next-review", "the next \(subject) review was due on \(next) (next-review of the latest one, \(reviewed)); today is \(today)")
                }
            } else if let cadence = Self.subjects[subject], let due = Day.adding(months: months(cadence), to: reviewed), due < today {
                overdue(review, "reviewed", "the latest \(subject) review was on \(reviewed); the next was due by \(due) (cadences.\(cadence): \(months(cadence)) months)")
            }
        }

        if latest["DM-6"] == nil, !exempt.contains("DM-6"), let (date, release) = firstRelease {
            let cadence = months("defect-process-review")
            if let due = Day.adding(months: cadence, to: date), due < today {
                overdue(release, "date", "no periodic review of the defect management practice (periodic-review with subject DM-6) although the product was first released on \(date): one was due by \(due) (cadences.defect-process-review: \(cadence) months)")
            }
        }
        return findings
    }
}
