/// The traceability an auditor follows from SR-2 to SVV-2: each threat of each threat model, the
/// security requirements that mitigate it (SR-3/SR-4), the test cases that verified them
/// (SVV-1/SVV-2) with their result, and the gaps in that chain.
public struct TraceReport: Sendable {
    public var product: String
    public var threats: [TraceThreat]
    /// Security requirements no threat names as its mitigation.
    public var requirementsWithoutThreat: [String]

    public var gapCount: Int { threats.reduce(0) { $0 + $1.gaps.count } + requirementsWithoutThreat.count }
}

public struct TraceThreat: Sendable {
    /// The threat's id inside its model (T-1).
    public var id: String
    /// The threat model's record id.
    public var record: String
    public var title: String
    public var status: String
    public var requirements: [TraceRequirement]
    public var tests: [TraceTest]
    public var gaps: [String]
}

public struct TraceRequirement: Sendable {
    public var id: String
    public var title: String?
    /// The record's status, or nil when no security-requirement record has the id.
    public var status: String?
}

/// One test case that exercised a mitigating requirement or the threat itself.
public struct TraceTest: Sendable {
    public var report: String
    public var testCase: String
    public var title: String
    public var result: String
    /// The requirement it verified, or nil when it exercised the threat directly.
    public var requirement: String?
}

public enum Traceability {
    /// Builds the trace from the current (not superseded or retired) records of a project.
    public static func trace(_ project: Project) -> TraceReport {
        let records = project.records.filter(\.isCurrent)
        let byID = project.recordsByID
        // Test cases by the requirement they verify and by the threat (model, threat id) they exercise.
        var casesByRequirement: [String: [TraceTest]] = [:]
        var casesByThreat: [String: [TraceTest]] = [:]
        for report in records where report.kind == "test-report" {
            guard let reportID = report.id else { continue }
            for item in report.node["cases"]?.items ?? [] {
                let base = TraceTest(report: reportID, testCase: item["id"]?.scalarString ?? "?", title: item["title"]?.scalarString ?? "",
                                     result: item["result"]?.scalarString ?? "not-run", requirement: nil)
                for verified in item["verifies"]?.stringItems ?? [] {
                    var test = base
                    test.requirement = verified.value
                    casesByRequirement[verified.value, default: []].append(test)
                }
                for reference in item["threats"]?.items ?? [] {
                    guard let model = reference["record"]?.scalarString else { continue }
                    for threat in reference["threats"]?.stringItems ?? [] { casesByThreat["\(model)#\(threat.value)", default: []].append(base) }
                }
            }
        }
        var threats: [TraceThreat] = []
        var needed: Set<String> = []
        for model in records where model.kind == "threat-model" {
            guard let modelID = model.id else { continue }
            for threat in model.node["threats"]?.items ?? [] {
                let threatID = threat["id"]?.scalarString ?? "?"
                let status = threat["status"]?.scalarString ?? "open"
                var gaps: [String] = []
                var requirements: [TraceRequirement] = []
                var tests: [TraceTest] = casesByThreat["\(modelID)#\(threatID)"] ?? []
                let mitigations = (threat["mitigations"]?.items ?? []).compactMap { $0["record"]?.scalarString }
                for id in mitigations {
                    needed.insert(id)
                    let target = byID[id]
                    let isRequirement = target?.kind == "security-requirement"
                    requirements.append(TraceRequirement(id: id, title: target?.title, status: isRequirement ? target?.status?.rawValue : nil))
                    if target == nil { gaps.append("mitigation \(id) names no record") }
                    else if !isRequirement { gaps.append("mitigation \(id) is a \(target?.kind ?? "?") record, not a security requirement") }
                    let verifying = casesByRequirement[id] ?? []
                    if verifying.isEmpty && target != nil { gaps.append("requirement \(id) is verified by no test case") }
                    tests += verifying
                }
                if mitigations.isEmpty {
                    let disposed = ["accepted", "transferred"].contains(status) && threat["rationale"]?.scalarString != nil
                    if !disposed { gaps.append("no mitigation, and not accepted or transferred with a rationale") }
                }
                // A case that exercised the threat and verified a requirement is listed once, with the requirement.
                let viaRequirement = Set(tests.filter { $0.requirement != nil }.map { "\($0.report)#\($0.testCase)" })
                tests = tests.filter { $0.requirement != nil || !viaRequirement.contains("\($0.report)#\($0.testCase)") }
                for test in tests where test.result != "pass" {
                    gaps.append("\(test.report) \(test.testCase) \(test.result == "fail" ? "failed" : "is \(test.result)")\(test.requirement.map { " for \($0)" } ?? "")")
                }
                threats.append(TraceThreat(id: threatID, record: modelID, title: threat["title"]?.scalarString ?? "", status: status,
                                           requirements: requirements, tests: tests, gaps: gaps))
            }
        }
        let unneeded = records.filter { $0.kind == "security-requirement" }.compactMap(\.id).filter { !needed.contains($0) }.sorted()
        return TraceReport(product: project.configuration.productName, threats: threats.sorted { ($0.record, $0.id) < ($1.record, $1.id) },
                           requirementsWithoutThreat: unneeded)
    }
}
