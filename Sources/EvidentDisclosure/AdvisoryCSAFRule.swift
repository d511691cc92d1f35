import EvidentCore
import Foundation
import Vulnerabilities

/// `advisory-csaf`: every advisory's CSAF 2.0 export would be produced and pass the schema and every
/// mandatory test. It runs the export's own mapping (tracking synthesised from the record, since the
/// mapping's git-derived tracking is valid by construction) and the CSAF checker on the result. It
/// lives here, beside the mapping, because EvidentCore cannot depend on EvidentDisclosure (which
/// depends on EvidentCore); `DisclosureRules.all` adds it to the core registry for `check` and `export`.
public struct AdvisoryCSAFRule: Rule {
    public static let description = RuleDescription(
        id: DisclosureRule.id,
        name: "Advisory exports as valid CSAF",
        summary: "An advisory's defects exist, have a CVE, known CWE ids, readable versions and no version both affected and fixed, and its CSAF 2.0 export passes the schema and every mandatory test.",
        severity: .error,
        triggering: [
            RuleExample(AdvisoryCSAFRuleExamples.files(advisoryDefects: "[DEF-2026-009]")),
            RuleExample(AdvisoryCSAFRuleExamples.files(defectExtra: "cwe: CWE-99999\n")),
            RuleExample(AdvisoryCSAFRuleExamples.files(fixed: "[\"2.3.0\"]")),
            RuleExample(AdvisoryCSAFRuleExamples.files(cve: nil)),
            RuleExample(AdvisoryCSAFRuleExamples.files(cve: nil).merging([".evident.yml": "version: 1\nproduct: Example gateway\nrecords: security\n"]) { $1 }),
        ],
        nonTriggering: [
            RuleExample(AdvisoryCSAFRuleExamples.files()),
            RuleExample(["security/notes.yaml": "kind: process\n"]),
        ])

    public init() {}

    /// It reads the advisory's committed CSAF file and the SBOM naming the product's purl.
    public static let reads = RuleReads.files

    /// Errors for advisories in review or approved; warnings while an advisory is a draft (as
    /// `git-reference` does: a draft is written before its defects and CVE exist). Export refuses either way.
    public func check(_ project: Project) -> [Finding] {
        let context = DisclosureContext(project: project, repository: nil, tip: nil, toolVersion: "check")
        var findings: [Finding] = []
        let cache = AdvisoryVerdictCache(project: project)
        defer { cache.save() }
        for advisory in context.records(ofKind: "advisory") {
            let severity: Severity = advisory.status == .draft ? .warning : .error
            findings += committedCSAF(advisory, project: project, severity: severity)
            let key = AdvisoryVerdictCache.key(advisory, context: context)
            if cache.isKnownClean(key) {
                cache.remember(key)
                continue
            }
            guard case .failure(let refused) = AdvisoryMapper(context: context).map(advisory) else {
                cache.remember(key)
                continue
            }
            findings += refused.findings.map { finding in
                var placed = finding
                placed.severity = severity
                if advisory.status == .draft { placed.message += " (a warning while \(advisory.id ?? advisory.path) is a draft)" }
                return placed
            }
        }
        return findings
    }

    /// A CSAF file the advisory names in `csaf` (hand-written, or a supplier's) is held to the same
    /// checker: each problem at its line and column in that file. Unsafe paths are `unsafe-path`'s.
    func committedCSAF(_ advisory: Record, project: Project, severity: Severity) -> [Finding] {
        guard let path = advisory.string("csaf"), let normalized = RepositoryPath.normalize(path), !normalized.isEmpty,
              !path.hasPrefix("/") else { return [] }
        guard let data = try? project.source.read(normalized) else {
            return [Finding(rule: Self.description.id, severity: severity, path: advisory.path, mark: advisory.mark(of: "csaf"),
                            message: "the advisory's CSAF file '\(path)' cannot be read", record: advisory.id)]
        }
        return CSAFChecker().check(data: data).map { problem in
            Finding(rule: Self.description.id, severity: severity, path: normalized, line: problem.line ?? 1, column: problem.column ?? 1,
                    message: "fails CSAF 2.0 test \(problem.test): \(problem.message) (\(problem.pointer.isEmpty ? "/" : problem.pointer)), named by \(advisory.id ?? advisory.path)",
                    record: advisory.id)
        }
    }
}

/// The rule registry with the disclosure rule added: what `check` and `export` run.
public enum DisclosureRules {
    public static var all: [any Rule] { RuleRegistry.all.map { $0.init() } + [AdvisoryCSAFRule()] }
}

/// A small project as `evident new` writes an advisory and its defect, varied per example.
enum AdvisoryCSAFRuleExamples {
    static let config = "version: 1\nproduct:\n  name: Example gateway\n  vendor: Example GmbH\n  vendor-url: https://example.com\nrecords: security\n"

    static func files(advisoryDefects: String = "[DEF-2026-001]", defectExtra: String = "cwe: CWE-787\n",
                      fixed: String = "[\"2.3.1\"]", cve: String? = "CVE-2026-1234") -> [String: String] {
        [
            ".evident.yml": config,
            "security/defects/DEF-2026-001.yaml": """
            kind: defect
            id: DEF-2026-001
            title: Overflow in the parser
            status: draft
            owner: alice@example.com
            source: researcher
            received: 2026-04-06
            description: A long frame overflows the buffer.
            cvss: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H
            \(cve.map { "cve: \($0)\n" } ?? "")\(defectExtra)affected-versions: ["2.3.0"]
            fixed-versions: \(fixed)
            fixed-in: v2.3.1
            analysis:
              state: resolved

            """,
            "security/advisories/ADV-2026-001.yaml": """
            kind: advisory
            id: ADV-2026-001
            title: Overflow in the parser
            status: in-review
            owner: alice@example.com
            advisory-id: EX-SA-2026-001
            defects: \(advisoryDefects)
            summary: A long frame overflows the buffer.
            affected-versions: ["2.3.0"]
            fixed-versions: ["2.3.1"]
            resolution: Update to 2.3.1.
            published: 2026-04-27
            url: https://example.com/advisories/EX-SA-2026-001

            """,
        ]
    }
}
