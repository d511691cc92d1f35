import EvidentCore
import Foundation

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
        ],
        nonTriggering: [
            RuleExample(AdvisoryCSAFRuleExamples.files()),
            RuleExample(["security/notes.yaml": "kind: process\n"]),
        ])

    public init() {}

    public func check(_ project: Project) -> [Finding] {
        let context = DisclosureContext(project: project, repository: nil, tip: nil, toolVersion: "check")
        return Disclosure.advisories(in: context).findings
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
            status: draft
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
