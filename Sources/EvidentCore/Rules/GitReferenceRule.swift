/// A field naming a commit, range or tag must name one that exists in the repository.
public struct GitReferenceRule: Rule {
    public init() {}
    public static let reads = RuleReads.git
    static let defect = "kind: defect\nid: DEF-1\ntitle: A\nstatus: draft\nowner: a@example.com\nfixed-in: 0123456789abcdef0123456789abcdef01234567\n"
    public static let description = RuleDescription(
        id: "git-reference", name: "Git reference does not resolve",
        summary: "A field naming a commit or tag (fixed-in, root-cause.introduced-in, tested-revision, revision, both ends of a range, a release's tag, a finding's fixed-in) does not resolve in the repository; a release's tag must be a tag. A draft or in-review record gets a warning, any other an error; a release tag that does not exist at all is a warning whatever the status (\"not created yet\": a gate is approved before its tag is made, and release-gate judges it once the tag exists). Silent when the records are not read from git.",
        severity: .error,
        // Examples run without git, where the rule stays silent: the triggering cases are real-repository tests.
        triggering: [],
        nonTriggering: [RuleExample(["security/a.yaml": defect])])

    public func check(_ project: Project) -> [Finding] {
        guard let git = project.git else { return [] }
        let shallow = git.historyNote.map { " (\($0))" } ?? ""
        var findings: [Finding] = []
        for record in project.records {
            let pending = record.status == .draft || record.status == .inReview
            for reference in record.gitReferences {
                var problems: [String] = []
                switch reference.form {
                case .commit:
                    if git.resolveCommit(reference.value) == nil {
                        problems.append("\(reference.field) '\(reference.value)' does not name a commit in this repository\(shallow)")
                    }
                case .tag:
                    if git.tagCommit(reference.value) == nil {
                        if git.resolveCommit(reference.value) == nil {
                            // A release gate is approved before its tag is made: not yet an error, whatever the status.
                            findings.append(Self.description.finding(
                                record.path, reference.mark,
                                "tag \(reference.value) not created yet: once the gate is approved and committed, tag that commit or a later one ('git tag \(reference.value)')\(shallow)",
                                record: record.id, severity: .warning))
                        } else {
                            problems.append("\(reference.field) '\(reference.value)' is not a tag in this repository (it resolves to a commit, but a release names a tag)")
                        }
                    }
                case .range:
                    let ends = reference.value.components(separatedBy: "..")
                    if ends.count != 2 || ends.contains(where: \.isEmpty) || ends[1].hasPrefix(".") {
                        problems.append("\(reference.field) '\(reference.value)' is not of the form BASE..HEAD")
                    } else {
                        for (end, name) in zip(ends, ["base", "head"]) where git.resolveCommit(end) == nil {
                            problems.append("\(reference.field) '\(reference.value)': its \(name) '\(end)' does not name a commit in this repository\(shallow)")
                        }
                    }
                }
                for problem in problems {
                    findings.append(Self.description.finding(record.path, reference.mark, problem, record: record.id,
                                                             severity: pending ? .warning : nil))
                }
            }
        }
        return findings
    }
}
