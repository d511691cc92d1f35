/// Evidence paths (`document`, `documents`, `report`, `csaf`) must stay inside the repository:
/// an absolute path or one that climbs out with `..` is never read.
public struct UnsafePathRule: RecordRule {
    public init() {}
    public static let description = RuleDescription(
        id: "unsafe-path", name: "Evidence path leaves the repository",
        summary: "An evidence file path is absolute or climbs out of the repository with '..'; evident never reads it.",
        severity: .error,
        triggering: [
            RuleExample(["security/sbom/a.yaml": "kind: sbom\nid: SBOM-1\ntitle: A\nstatus: draft\nowner: a@example.com\ndocument: ../../etc/passwd\n"]),
            RuleExample(["security/sbom/a.yaml": "kind: sbom\nid: SBOM-1\ntitle: A\nstatus: draft\nowner: a@example.com\ndocument: /etc/passwd\n"]),
            RuleExample(["security/g.yaml": "kind: guideline\nid: SG-1\ntitle: A\nstatus: draft\nowner: a@example.com\nsections:\n  - documents: [docs/ok.md, 'C:\\\\Windows\\\\win.ini']\n"]),
        ],
        nonTriggering: [
            RuleExample(["security/sbom/a.yaml": "kind: sbom\nid: SBOM-1\ntitle: A\nstatus: draft\nowner: a@example.com\ndocument: sbom/./gateway.cdx.json\n"]),
        ])

    public func check(record: Record) -> [Finding] {
        EvidenceReferences.paths(in: record.node).filter { !Self.isSafe($0.value) }.map { reference in
            Self.description.finding(
                record.path, reference.mark,
                "evidence path '\(reference.value)' is absolute or leaves the repository; evident never reads it", record: record.id)
        }
    }

    /// A repository-relative path that stays inside the repository.
    public static func isSafe(_ path: String) -> Bool {
        guard let normalized = RepositoryPath.normalize(path.replacingOccurrences(of: "\\", with: "/")) else { return false }
        return !normalized.isEmpty && !path.hasPrefix("/") && !path.hasPrefix("\\")
    }

}
