/// A field the schemas mark as naming a file in the repository (`x-evident-ref: path`: a guideline's
/// `document`, a test report's `report`, an advisory's `csaf`...) names a file that is not there, in
/// the tree being judged. Source paths that were reviewed or tested (`paths`, `tested-paths`) may
/// have moved since and are left to the git rules; SBOM documents are judged by `sbom-document`.
public struct MissingFileRule: Rule {
    public init() {}
    public static let reads = RuleReads.files
    private static let envelope = "title: A\nstatus: draft\nowner: a@example.com\n"
    public static let description = RuleDescription(
        id: "missing-file", name: "Missing evidence file",
        summary: "A field naming an evidence file in the repository (document, report, csaf...) names a file that is not in the tree being judged.",
        severity: .error,
        triggering: [
            RuleExample(["security/t.yaml": "kind: test-report\nid: TR-1\n" + envelope + "report: reports/pentest.pdf\n"]),
        ],
        nonTriggering: [
            RuleExample(["security/t.yaml": "kind: test-report\nid: TR-1\n" + envelope + "report: reports/pentest.pdf\n",
                         "reports/pentest.pdf": "%PDF-1.7\n"]),
            RuleExample(["security/t.yaml": "kind: test-report\nid: TR-1\n" + envelope + "tested-paths: [src/removed.c]\n"]),
        ])

    /// Fields naming source paths rather than evidence documents.
    static let sourcePathFields: Set<String> = ["paths", "tested-paths"]

    public func check(_ project: Project) -> [Finding] {
        var findings: [Finding] = []
        for record in project.records where record.kind != "sbom" {
            for reference in ReferenceFields.shared.values(in: record, targets: [.path]) {
                if case .key(let first)? = reference.field.steps.first, Self.sourcePathFields.contains(first) { continue }
                guard UnsafePathRule.isSafe(reference.value), let path = RepositoryPath.normalize(reference.value) else { continue }
                if !project.source.exists(path) {
                    findings.append(Self.description.finding(record.path, reference.mark, "'\(reference.location)' names '\(reference.value)', but no such file is in the repository; add the file or correct the path", record: record.id))
                }
            }
        }
        return findings
    }
}
