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
}

/// A requirement's judgement: status, why, and the evidence behind it.
public struct RequirementCoverage: Sendable {
    public var requirement: Requirement
    public var status: CoverageStatus
    public var reason: String
    public var evidence: [CoverageEvidence]
    /// Commits whose `Evidence-For:` trailer names the requirement.
    public var trailerCommits: [String]
}

/// Coverage of the 47 requirements at a target maturity level.
public struct CoverageReport: Sendable {
    public var level: Int
    public var product: String
    public var requirements: [RequirementCoverage]
    public var practices: [Practice]

    public func count(_ status: CoverageStatus) -> Int {
        requirements.filter { $0.status == status }.count
    }
}

/// Judges coverage. ML1: any evidence; ML2: an approved procedure (process evidence); ML3: that plus
/// approved practice evidence; ML4: that plus a current periodic review of the requirement or its practice.
public struct CoverageCalculator: Sendable {
    public init() {}

    /// The requirement IDs a record serves and in which role.
    public static func served(by record: Record, catalog: Catalog) -> [(String, EvidenceRole)] {
        guard let kind = record.kind, let info = catalog.kinds[kind] else {
            return record.evidenceFor.map { ($0.value, .practice) }
        }
        var counted = Set(info.defaults)
        for (field, map) in info.byField {
            for item in Self.values(at: field, in: record.node) {
                if map["*"] != nil {
                    counted.insert(item.value)
                    if let practice = catalog.practices.first(where: { $0.id == item.value }) {
                        counted.formUnion(practice.requirements.map(\.id))
                    }
                } else if let ids = map[item.value] {
                    counted.formUnion(ids)
                }
            }
        }
        counted.formUnion(record.evidenceFor.map(\.value))
        var result: [(String, EvidenceRole)] = []
        for id in counted.sorted() {
            guard let requirement = catalog.requirement(id) else { continue }
            if requirement.processKinds.contains(kind) && kind == "process" || (requirement.processKinds.contains(kind) && !requirement.practiceKinds.contains(kind)) {
                result.append((id, .process))
            } else if requirement.practiceKinds.contains(kind) {
                result.append((id, .practice))
            } else {
                // Named explicitly in evidence-for by a kind the catalog does not list: the team's claim counts as practice.
                result.append((id, .practice))
            }
        }
        // A supported requirement counts as practice evidence when the catalog names the kind as its practice.
        for id in info.supports where !counted.contains(id) {
            let practised = catalog.requirement(id)?.practiceKinds.contains(kind) ?? false
            result.append((id, practised ? .practice : .supporting))
        }
        return result
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

    public func coverage(of project: Project, level: Int? = nil, trailers: [String: [String]] = [:]) -> CoverageReport {
        let level = level ?? project.configuration.maturity
        let catalog = project.catalog
        var evidence: [String: [CoverageEvidence]] = [:]
        var reviews: [String: [Record]] = [:]
        for record in project.records {
            guard let id = record.id, let status = record.status, status != .superseded, status != .retired else { continue }
            let attribution = project.git?.attribution(of: record.path)
            // Under signatures.require, an approval counts only when its commit is signed by the approver.
            let approved = record.isApprovedAndCurrent && SignedApproval.problem(for: record, in: project) == nil
            for (requirement, role) in Self.served(by: record, catalog: catalog) {
                evidence[requirement, default: []].append(CoverageEvidence(
                    record: id, kind: record.kind ?? "", title: record.title ?? "", path: record.path, role: role,
                    status: status.rawValue, approved: approved, attribution: attribution))
            }
            if record.kind == "periodic-review", approved {
                for subject in record.node["subject"]?.stringItems ?? [] { reviews[subject.value, default: []].append(record) }
            }
        }
        let exemptions = Dictionary(project.configuration.exemptions.map { ($0.requirement, $0) }, uniquingKeysWith: { first, _ in first })
        var results: [RequirementCoverage] = []
        for requirement in catalog.requirements {
            let items = (evidence[requirement.id] ?? []).sorted { ($0.role.rawValue, $0.record) < ($1.role.rawValue, $1.record) }
            let commits = trailers[requirement.id] ?? []
            if let exemption = exemptions[requirement.id],
               let reason = exemption.reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty,
               exemption.until.map({ $0 >= project.today }) ?? true {
                let lapse = exemption.until.map { " (until \($0))" } ?? ""
                results.append(RequirementCoverage(requirement: requirement, status: .notApplicable, reason: "not applicable\(lapse): \(reason)", evidence: items, trailerCommits: commits))
                continue
            }
            let (status, reason) = judge(requirement, items, level: level, reviews: reviews, today: project.today)
            results.append(RequirementCoverage(requirement: requirement, status: status, reason: reason, evidence: items, trailerCommits: commits))
        }
        return CoverageReport(level: level, product: project.configuration.productName, requirements: results, practices: catalog.practices)
    }

    private func judge(_ requirement: Requirement, _ items: [CoverageEvidence], level: Int, reviews: [String: [Record]], today: String) -> (CoverageStatus, String) {
        let counted = items.filter { $0.role != .supporting }
        let process = counted.filter { $0.role == .process }
        let practice = counted.filter { $0.role == .practice }
        let approvedProcess = process.filter(\.approved)
        let approvedPractice = practice.filter(\.approved)
        func names(_ list: [CoverageEvidence]) -> String { list.map(\.record).joined(separator: ", ") }
        let processKinds = requirement.processKinds.joined(separator: " or ")
        let practiceKinds = requirement.practiceKinds.joined(separator: " or ")

        if level <= 1 {
            if !counted.isEmpty { return (.met, "evidence exists: \(names(counted))") }
            return (.missing, "no record serves \(requirement.id)")
        }
        // ML2: the written, approved procedure.
        let ml2: (CoverageStatus, String)
        if !approvedProcess.isEmpty {
            ml2 = (.met, "approved procedure: \(names(approvedProcess))")
        } else if !process.isEmpty {
            ml2 = (.partial, "procedure not approved (or approval stale): \(names(process))")
        } else if !counted.isEmpty {
            ml2 = (.partial, "no written procedure (\(processKinds)) covers it; practice records exist: \(names(counted))")
        } else {
            ml2 = (.missing, "no procedure (\(processKinds)) and no practice record (\(practiceKinds))")
        }
        if level == 2 { return ml2 }
        // ML3: the procedure practised, shown by approved execution records.
        let ml3: (CoverageStatus, String)
        if ml2.0 == .met && !approvedPractice.isEmpty {
            ml3 = (.met, "approved procedure \(names(approvedProcess)); approved practice \(names(approvedPractice))")
        } else if ml2.0 == .missing {
            ml3 = ml2
        } else if approvedPractice.isEmpty {
            let pending = practice.isEmpty ? "no practice record (\(practiceKinds))" : "practice records not approved (or approval stale): \(names(practice))"
            ml3 = (.partial, ml2.0 == .met ? "\(ml2.1); \(pending)" : "\(ml2.1); \(pending)")
        } else {
            ml3 = (.partial, "\(ml2.1); approved practice \(names(approvedPractice))")
        }
        if level == 3 { return ml3 }
        // ML4: practised and periodically reviewed for improvement.
        let current = (reviews[requirement.id] ?? []) + (reviews[requirement.practice] ?? [])
        let fresh = current.filter { ($0.string("next-review") ?? "") >= today }
        if ml3.0 == .met && !fresh.isEmpty {
            return (.met, "\(ml3.1); reviewed in \(fresh.compactMap(\.id).joined(separator: ", "))")
        }
        if ml3.0 == .met {
            return (.partial, "\(ml3.1); no current periodic review of \(requirement.id) or \(requirement.practice)")
        }
        return ml3
    }
}
