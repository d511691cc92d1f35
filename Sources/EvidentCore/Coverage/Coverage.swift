/// Where a requirement stands at the target maturity level.
public enum CoverageStatus: String, Sendable, Codable, CaseIterable {
    case met
    case partial
    case missing
    case notApplicable = "not-applicable"
}

/// How a record serves a requirement.
public enum EvidenceRole: String, Sendable, Codable {
    /// The written procedure (ML2).
    case process
    /// A record of the procedure executed (ML3).
    case practice
    /// Contributes, but is not counted (the kind only supports the requirement).
    case supporting
}

/// One record offered as evidence for a requirement.
public struct CoverageEvidence: Sendable, Codable, Hashable {
    public var record: String
    public var kind: String
    public var title: String
    public var path: String
    public var role: EvidenceRole
    public var status: String
    /// Approved, with an approval that matches the current content.
    public var approved: Bool
    public var attribution: Attribution?
    /// Why the record does not count for this requirement although it serves it (it carries an
    /// error or a template placeholder, or its content does not meet the requirement's condition).
    public var excluded: String?
}

/// A requirement's judgement: status, why, and the evidence behind it.
public struct RequirementCoverage: Sendable {
    public var requirement: Requirement
    public var status: CoverageStatus
    public var reason: String
    public var evidence: [CoverageEvidence]
    /// Commits whose `Evidence-For:` trailer names the requirement.
    public var trailerCommits: [String]
    /// What would make it met, in one line; nil when met or not applicable.
    public var nextStep: String?
}

/// Coverage of the 47 requirements at a target maturity level.
public struct CoverageReport: Sendable {
    public var level: Int
    public var product: String
    public var requirements: [RequirementCoverage]
    public var practices: [Practice]
    /// The ML4 process metrics (median days to triage, fix and disclose per quarter), as `evident defects` shows them.
    public var processMetrics = ProcessMetrics()

    public func count(_ status: CoverageStatus) -> Int {
        requirements.filter { $0.status == status }.count
    }
}

/// Judges coverage. ML1: any evidence; ML2: an approved procedure (process evidence); ML3: that plus
/// approved practice evidence; ML4: that plus a current periodic review of the requirement or its practice.
public struct CoverageCalculator: Sendable {
    public init() {}

    /// The requirement IDs a record serves and in which role (claims the record does not describe
    /// are left out; see `Claims`).
    public static func served(by record: Record, catalog: Catalog) -> [(String, EvidenceRole)] {
        Claims.judge(record, catalog: catalog).served
    }

    /// Scalar values at a dotted field path ("sections.topic": each item of `sections`, its `topic`).
    static func values(at path: String, in node: YAMLNode) -> [Located<String>] {
        var nodes = [node]
        for component in path.split(separator: ".") {
            var next: [YAMLNode] = []
            for current in nodes {
                guard let child = current[String(component)] else { continue }
                if case .sequence(let items, _) = child, component != path.split(separator: ".").last { next += items } else { next.append(child) }
            }
            nodes = next
        }
        return nodes.flatMap(\.stringItems)
    }

    /// Judges every requirement. `findings` are the check's findings for the same project (run
    /// here when not given): a record with an error, or with a template placeholder, counts for nothing.
    public func coverage(of project: Project, level: Int? = nil, trailers: [String: [String]] = [:], findings: [Finding]? = nil) -> CoverageReport {
        let level = level ?? project.configuration.maturity
        let catalog = project.catalog
        let blocking = Self.blockingFindings(findings ?? Checker().check(project, attribution: false, summaries: false).findings)
        let eligible = project.records.filter { record in
            guard record.id != nil, let status = record.status else { return false }
            return status != .superseded && status != .retired
        }
        // What asks git runs on this thread (libgit2 handles are not shared across threads); the
        // rest, record by record, on all cores.
        let attributions = eligible.map { project.git?.attribution(of: $0.path) }
        let current = Project.concurrentMap(eligible) { $0.isApprovedAndCurrent }
        // Under signatures.require, an approval counts only when its commit is signed by the approver.
        let approvals = eligible.indices.map { current[$0] && SignedApproval.problem(for: eligible[$0], in: project) == nil }
        let served = Project.concurrentMap(Array(eligible.indices)) { index -> [(String, CoverageEvidence)] in
            let record = eligible[index]
            let id = record.id ?? ""
            let disqualified = blocking[record.path].map { "\(id) \($0)" }
            return Self.served(by: record, catalog: catalog).map { requirement, role in
                let unmet = disqualified ?? (role == .supporting ? nil : EvidenceConditions.unmet(record, for: requirement, in: project).map { "\(id) does not count: \($0)" })
                return (requirement, CoverageEvidence(
                    record: id, kind: record.kind ?? "", title: record.title ?? "", path: record.path, role: role,
                    status: record.status?.rawValue ?? "", approved: approvals[index], attribution: attributions[index], excluded: unmet))
            }
        }
        var evidence: [String: [CoverageEvidence]] = [:]
        var reviews: [String: [Record]] = [:]
        for (index, record) in eligible.enumerated() {
            for (requirement, item) in served[index] { evidence[requirement, default: []].append(item) }
            if record.kind == "periodic-review", approvals[index], blocking[record.path] == nil {
                for subject in record.node["subject"]?.stringItems ?? [] { reviews[subject.value, default: []].append(record) }
            }
        }
        let exemptions = Dictionary(project.configuration.exemptions.map { ($0.requirement, $0) }, uniquingKeysWith: { first, _ in first })
        // The requirements and the process metrics on all cores, in one spread (a spread inside
        // another would run on one core).
        enum Part { case requirement(RequirementCoverage), metrics(ProcessMetrics) }
        let requirements = catalog.requirements
        let parts = Parallel.map(Array(0...requirements.count)) { index -> Part in
            guard index < requirements.count else { return .metrics(ProcessMetrics.of(project)) }
            let requirement = requirements[index]
            // Sorted by position (the entries are large: moving them costs more than comparing).
            let gathered = evidence[requirement.id] ?? []
            let keys = gathered.map { (role: $0.role.rawValue, record: $0.record) }
            let items = keys.indices.sorted { a, b in
                keys[a].role != keys[b].role ? keys[a].role < keys[b].role : keys[a].record < keys[b].record
            }.map { gathered[$0] }
            let commits = trailers[requirement.id] ?? []
            if let exemption = exemptions[requirement.id],
               let reason = exemption.reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty,
               exemption.until.map({ $0 >= project.today }) ?? true {
                let lapse = exemption.until.map { " (until \($0))" } ?? ""
                return .requirement(RequirementCoverage(requirement: requirement, status: .notApplicable, reason: "not applicable\(lapse): \(reason)", evidence: items, trailerCommits: commits, nextStep: nil))
            }
            let verdict = judge(requirement, items, level: level, reviews: reviews, today: project.today, catalog: catalog)
            return .requirement(RequirementCoverage(requirement: requirement, status: verdict.status, reason: verdict.reason, evidence: items, trailerCommits: commits, nextStep: verdict.nextStep))
        }
        var results: [RequirementCoverage] = []
        var metrics = ProcessMetrics()
        for part in parts {
            switch part {
            case .requirement(let coverage): results.append(coverage)
            case .metrics(let made): metrics = made
            }
        }
        return CoverageReport(level: level, product: project.configuration.productName, requirements: results, practices: catalog.practices,
                              processMetrics: metrics)
    }

    /// Per record path, why its findings disqualify it: "has 1 error: dangling reference to ..." or
    /// "still holds 2 template placeholders".
    static func blockingFindings(_ findings: [Finding]) -> [String: String] {
        var errors: [String: [Finding]] = [:]
        var placeholders: [String: Int] = [:]
        for finding in findings {
            if finding.severity == .error { errors[finding.path, default: []].append(finding) }
            else if finding.rule == TemplatePlaceholderRule.description.id { placeholders[finding.path, default: 0] += 1 }
        }
        var result: [String: String] = [:]
        for (path, count) in placeholders {
            result[path] = "still holds \(count) template placeholder\(count == 1 ? "" : "s") (see check)"
        }
        for (path, list) in errors {
            let first = Finding.sorted(list)[0]
            let more = list.count > 1 ? " (and \(list.count - 1) more)" : ""
            result[path] = "has \(list.count) error\(list.count == 1 ? "" : "s"): \(first.rule) at \(first.line):\(first.column): \(first.message)\(more)"
        }
        return result
    }

    struct Verdict {
        var status: CoverageStatus
        var reason: String
        var nextStep: String?
    }

    private func judge(_ requirement: Requirement, _ items: [CoverageEvidence], level: Int, reviews: [String: [Record]], today: String, catalog: Catalog) -> Verdict {
        let excluded = items.filter { $0.role != .supporting && $0.excluded != nil }
        let counted = items.filter { $0.role != .supporting && $0.excluded == nil }
        let process = counted.filter { $0.role == .process }
        let practice = counted.filter { $0.role == .practice }
        let approvedProcess = process.filter(\.approved)
        let approvedPractice = practice.filter(\.approved)
        func names(_ list: [CoverageEvidence]) -> String { list.map(\.record).joined(separator: ", ") }
        let processKinds = requirement.processKinds.joined(separator: " or ")
        let practiceKinds = requirement.practiceKinds.joined(separator: " or ")
        // Records that serve the requirement but do not count, and why: part of every reason.
        let exclusions = excluded.isEmpty ? "" : "; not counted: " + excluded.compactMap(\.excluded).joined(separator: "; ")
        func fixFirst(_ role: EvidenceRole) -> String? {
            guard let item = excluded.first(where: { $0.role == role }) else { return nil }
            return "fix \(item.record) (\(item.excluded.map(Self.shortReason) ?? ""))"
        }
        func approve(_ list: [CoverageEvidence]) -> String {
            let ids = list.map(\.record).sorted()
            return "approve \(ids.joined(separator: ", ")) (evident approve \(ids[0]))"
        }
        let describe = "describe \(requirement.id) in an approved process record: a practice section with covers: [\(requirement.id)] and steps naming the responsible role and the records produced"
        let addPractice = fixFirst(.practice) ?? "add \(practiceHint(requirement, catalog)) and approve it"

        if level <= 1 {
            if !counted.isEmpty { return Verdict(status: .met, reason: "evidence exists: \(names(counted))" + exclusions) }
            return Verdict(status: .missing, reason: "no record serves \(requirement.id)" + exclusions, nextStep: fixFirst(.practice) ?? fixFirst(.process) ?? "add \(practiceHint(requirement, catalog))")
        }
        // ML2: the written, approved procedure.
        var ml2: Verdict
        if !approvedProcess.isEmpty {
            ml2 = Verdict(status: .met, reason: "approved procedure: \(names(approvedProcess))")
        } else if !process.isEmpty {
            ml2 = Verdict(status: .partial, reason: "procedure not approved (or approval stale): \(names(process))", nextStep: approve(process))
        } else if !counted.isEmpty {
            ml2 = Verdict(status: .partial, reason: "no written procedure (\(processKinds)) covers it; practice records exist: \(names(counted))", nextStep: fixFirst(.process) ?? describe)
        } else {
            ml2 = Verdict(status: .missing, reason: "no procedure (\(processKinds)) and no practice record (\(practiceKinds))", nextStep: fixFirst(.process) ?? describe)
        }
        if level == 2 { ml2.reason += exclusions; return ml2 }
        // ML3: the procedure practised, shown by approved execution records.
        var ml3: Verdict
        if ml2.status == .met && !approvedPractice.isEmpty {
            ml3 = Verdict(status: .met, reason: "approved procedure \(names(approvedProcess)); approved practice \(names(approvedPractice))")
        } else if ml2.status == .missing {
            ml3 = ml2
            if practice.isEmpty && excluded.isEmpty { ml3.nextStep = "\(describe); then \(addPractice)" }
        } else if approvedPractice.isEmpty {
            let pending = practice.isEmpty ? "no practice record\(excluded.contains { $0.role == .practice } ? " that counts" : "") (\(practiceKinds))" : "practice records not approved (or approval stale): \(names(practice))"
            let step = practice.isEmpty ? addPractice : approve(practice)
            ml3 = Verdict(status: .partial, reason: "\(ml2.reason); \(pending)", nextStep: ml2.status == .met ? step : "\(ml2.nextStep ?? describe); then \(step)")
        } else {
            ml3 = Verdict(status: .partial, reason: "\(ml2.reason); approved practice \(names(approvedPractice))", nextStep: ml2.nextStep)
        }
        if level == 3 { ml3.reason += exclusions; return ml3 }
        // ML4: practised and periodically reviewed for improvement.
        let current = (reviews[requirement.id] ?? []) + (reviews[requirement.practice] ?? [])
        let fresh = current.filter { ($0.string("next-review") ?? "") >= today }
        if ml3.status == .met && !fresh.isEmpty {
            return Verdict(status: .met, reason: "\(ml3.reason); reviewed in \(fresh.compactMap(\.id).joined(separator: ", "))" + exclusions)
        }
        if ml3.status == .met {
            return Verdict(status: .partial, reason: "\(ml3.reason); no current periodic review of \(requirement.id) or \(requirement.practice)" + exclusions,
                           nextStep: "add an approved periodic-review with subject: \(requirement.id) and a next-review date not past")
        }
        ml3.reason += exclusions
        return ml3
    }

    /// "a test-report with test-type: penetration" for SVV-4; "a threat-model record" for SR-2.
    private func practiceHint(_ requirement: Requirement, _ catalog: Catalog) -> String {
        guard let kind = requirement.practiceKinds.first else { return "a record of the practice" }
        // A field value that derives the requirement: test-type: penetration for SVV-4.
        if let info = catalog.kinds[kind], !info.defaults.contains(requirement.id) {
            for (field, map) in info.byField.sorted(by: { $0.key < $1.key }) {
                if let value = map.first(where: { $0.value.contains(requirement.id) })?.key {
                    return "a \(kind) record with \(field): \(value)"
                }
                if map["*"] != nil { return "a \(kind) record with \(field): \(requirement.id)" }
            }
        }
        return "a \(kind) record (evident new \(kind))"
    }

    /// The excluded reason without the leading "ID does not count: ".
    public static func shortReason(_ text: String) -> String {
        guard let range = text.range(of: " does not count: ") else { return text.split(separator: " ", maxSplits: 1).last.map(String.init) ?? text }
        return String(text[range.upperBound...])
    }
}
