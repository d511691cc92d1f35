/// A code review's reviewers did not write the code they reviewed.
public struct ReviewerIndependenceRule: Rule {
    public init() {}
    public static let reads = RuleReads.git
    static let review = "kind: code-review\nid: CR-1\ntitle: C\nstatus: draft\nowner: a@example.com\n"
    public static let description = RuleDescription(
        id: "reviewer-independence", name: "Reviewer reviewed own change",
        summary: "A code review's reviewer is among its `authors`, or (with git) authored the reviewed `revision` or a commit of the reviewed `range` (BASE..HEAD). Identities are compared by canonical email.",
        severity: .error,
        triggering: [RuleExample(["security/c.yaml": review + "authors: [dev@example.com]\nreviewers: [DEV@example.com]\n"])],
        nonTriggering: [RuleExample(["security/c.yaml": review + "authors: [dev@example.com]\nreviewers: [rev@example.com]\nrevision: v1.0\n"])])

    public func check(_ project: Project) -> [Finding] {
        let people = PeopleDirectory(project)
        var findings: [Finding] = []
        for record in project.records where record.kind == "code-review" {
            var authors: [String: String] = [:] // canonical email -> where it came from
            for author in record.node["authors"]?.stringItems ?? [] { authors[people.canonical(author.value)] = "listed in authors" }
            if let git = project.git {
                if let revision = record.string("revision"), let author = git.author(of: revision) {
                    authors[people.canonical(author)] = authors[people.canonical(author)] ?? "authored \(revision)"
                }
                if let range = record.string("range") {
                    for author in git.authors(range: range) ?? [] {
                        authors[people.canonical(author)] = authors[people.canonical(author)] ?? "authored commits in \(range)"
                    }
                }
            }
            for reviewer in record.node["reviewers"]?.stringItems ?? [] {
                if let why = authors[people.canonical(reviewer.value)] {
                    findings.append(Self.description.finding(record.path, reviewer.mark,
                        "reviewer \(reviewer.value) \(why): a change needs a reviewer who is not its author", record: record.id))
                }
            }
        }
        return findings
    }
}
