import Foundation

/// A link that pins its target's digest becomes suspect when the target changes (as Doorstop's suspect links).
public struct SuspectLinkRule: Rule {
    public init() {}
    static let target = "kind: defect\nid: DEF-1\ntitle: B\nstatus: draft\nowner: a@example.com\n"
    public static let description = RuleDescription(
        id: "suspect-link", name: "Suspect link",
        summary: "A link carries its target's digest, and the target changed since: re-review the link.",
        severity: .warning,
        triggering: [RuleExample([
            "security/a.yaml": "kind: advisory\nid: ADV-1\ntitle: A\nstatus: draft\nowner: a@example.com\nlinks:\n  - to: DEF-1\n    relation: discloses\n    digest: sha256:1111111111111111111111111111111111111111111111111111111111111111\n",
            "security/b.yaml": target,
        ])],
        nonTriggering: [RuleExample([
            "security/a.yaml": "kind: advisory\nid: ADV-1\ntitle: A\nstatus: draft\nowner: a@example.com\nlinks:\n  - to: DEF-1\n    relation: discloses\n    digest: \(RecordDigest.digest(of: YAMLLoader.load(Data(target.utf8)).root ?? .mapping([], Mark(line: 1, column: 1))))\n",
            "security/b.yaml": target,
        ])])

    public func check(_ project: Project) -> [Finding] {
        let byID = project.recordsByID
        var findings: [Finding] = []
        for record in project.records {
            for link in record.links {
                guard let digest = link.digest, let target = byID[link.target], target.contentDigest != digest else { continue }
                findings.append(Self.description.finding(record.path, link.mark,
                    "link to '\(link.target)' is suspect: \(link.target) changed since the link was reviewed (update the link's digest after re-review)",
                    record: record.id))
            }
        }
        return findings
    }
}
