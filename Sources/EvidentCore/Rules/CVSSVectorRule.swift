import Foundation
import Vulnerabilities

/// CVSS vectors in defects, threat models and advisories must parse; a declared `cvss-score` must
/// match the score the vector gives.
public struct CVSSVectorRule: RecordRule {
    public init() {}
    static let kinds: Set<String> = ["defect", "threat-model", "advisory"]
    static let envelope = "kind: defect\nid: DEF-1\ntitle: A\nstatus: draft\nowner: a@example.com\n"

    public static let description = RuleDescription(
        id: "cvss-vector", name: "CVSS vector",
        summary: "A cvss field is not a valid CVSS 3.0/3.1/4.0 vector, or its declared cvss-score is not the vector's base score.",
        severity: .error,
        triggering: [
            RuleExample(["security/a.yaml": envelope + "cvss: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H\n"]),
            RuleExample(["security/a.yaml": envelope + "cvss: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\ncvss-score: 7.5\n"]),
            RuleExample(["security/t.yaml": "kind: threat-model\nid: TM-1\ntitle: T\nstatus: draft\nowner: a@example.com\nthreats:\n  - id: T1\n    cvss: CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SA:N/SI:N\n"]),
        ],
        nonTriggering: [
            RuleExample(["security/a.yaml": envelope + "cvss: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\ncvss-score: 9.8\n"]),
            RuleExample(["security/a.yaml": envelope + "cvss: CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\n"]),
        ])

    public func check(record: Record) -> [Finding] {
        guard record.kind.map(Self.kinds.contains) == true else { return [] }
        var findings: [Finding] = []
        for (vectorNode, scoreNode) in Self.vectors(in: record.node) {
            guard let text = vectorNode.scalarString else {
                findings.append(Self.description.finding(record.path, vectorNode.mark, "'cvss' must be a vector string such as CVSS:3.1/AV:N/...", record: record.id))
                continue
            }
            switch CVSSVector.parse(text) {
            case .failure(let error):
                var message = "malformed CVSS vector '\(text.prefix(120))': \(error)"
                if case .outOfOrder = error, case .success(let reordered) = CVSSVector.parse(text, anyOrder: true) {
                    message += "; write it as \(reordered.canonical)"
                }
                findings.append(Self.description.finding(record.path, vectorNode.mark, message, record: record.id))
            case .success(let vector):
                guard let scoreNode, let computed = vector.baseScore else { continue }
                let declared = scoreNode.scalarString.flatMap(Double.init)
                if declared.map({ abs($0 - computed) > 0.049 }) ?? true {
                    findings.append(Self.description.finding(
                        record.path, scoreNode.mark,
                        "declared cvss-score \(scoreNode.scalarString ?? "?") disagrees with the vector's score \(String(format: "%.1f", computed)) (\(CVSSVector.severity(of: computed)))",
                        record: record.id))
                }
            }
        }
        return findings
    }

    /// Every `cvss` value in a mapping at any depth, with its sibling `cvss-score` when present.
    static func vectors(in node: YAMLNode) -> [(YAMLNode, YAMLNode?)] {
        node.entries { $0 == "cvss" }
            .map { ($0.pair.value, $0.parent["cvss-score"]) }
            .sorted { $0.0.mark < $1.0.mark }
    }
}
