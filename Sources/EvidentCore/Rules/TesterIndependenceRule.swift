/// SVV-5: testers are independent of the developers of what they tested.
public struct TesterIndependenceRule: Rule {
    public init() {}
    public static let reads = RuleReads.git
    /// Test types that need an independent department (penetration: department or organisation).
    static let departmentTypes: Set<String> = ["requirements", "threat-mitigation", "penetration"]
    public static let description = RuleDescription(
        id: "tester-independence", name: "Tester not independent (SVV-5)",
        summary: "A test report's tester authored commits that changed what was tested (`tested-paths`, or the whole tree but the records folder and `.evident.yml`, in the history of `tested-revision`; or the commits of a `BASE..HEAD` range). For `requirements`, `threat-mitigation` and `penetration` tests a tester must also be in another department than every developer: developers' departments come from roles records (`people[].department`, `organisation`); a developer with no stated department is not judged, and one in another organisation is independent. Silent without git.",
        severity: .error,
        // Examples run without git, where the rule stays silent: the triggering cases are real-repository tests.
        triggering: [],
        nonTriggering: [RuleExample(["security/t.yaml": "kind: test-report\nid: TR-1\ntitle: T\nstatus: draft\nowner: a@example.com\ntest-type: requirements\ntested-revision: v1.0\ntesters:\n  - email: q@example.com\n    organisation: Example\n    department: QA\n"])])

    static func same(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return false }
        return a.trimmingCharacters(in: .whitespaces).lowercased() == b.trimmingCharacters(in: .whitespaces).lowercased()
    }

    public func check(_ project: Project) -> [Finding] {
        guard let git = project.git else { return [] }
        let people = PeopleDirectory(project)
        var findings: [Finding] = []
        for record in project.records where record.kind == "test-report" {
            guard let revision = record.string("tested-revision"), case .sequence(let testers, _)? = record.node["testers"] else { continue }
            let paths = record.node["tested-paths"]?.stringItems.map(\.value) ?? []
            let scope: String
            let authors: Set<String>?
            if revision.contains("..") {
                authors = git.authors(range: revision)
                scope = "the commits of \(revision)"
            } else {
                // The whole tree, when no paths are named, means the product: not the evidence records or evident's configuration.
                let excluded = paths.isEmpty ? [project.configuration.recordsRoot, project.configPath] : []
                authors = git.authors(paths: paths, excluding: excluded, upTo: revision)
                scope = paths.isEmpty ? "the history of \(revision) outside \(project.configuration.recordsRoot)/" : "\(paths.joined(separator: ", ")) up to \(revision)"
            }
            guard let authors else { continue } // git-reference reports what does not resolve
            let developers = Set(authors.map(people.canonical))
            let testType = record.string("test-type") ?? ""
            let note = git.historyNote.map { "; \($0)" } ?? ""
            for tester in testers {
                guard let emailNode = tester["email"], let email = emailNode.scalarString else { continue }
                let me = people.canonical(email)
                if developers.contains(me) {
                    findings.append(Self.description.finding(record.path, emailNode.mark,
                        "tester \(email) authored commits to what was tested (\(scope)): SVV-5 needs testers independent of the developers", record: record.id))
                    continue
                }
                guard Self.departmentTypes.contains(testType), let department = tester["department"]?.scalarString else { continue }
                let organisation = tester["organisation"]?.scalarString
                let colleagues = developers.sorted().filter { developer in
                    guard let person = people.person(developer), Self.same(person.department, department) else { return false }
                    return person.organisation == nil || organisation == nil || Self.same(person.organisation, organisation)
                }
                if let first = colleagues.first {
                    let more = colleagues.count > 1 ? " and \(colleagues.count - 1) more" : ""
                    findings.append(Self.description.finding(record.path, tester["department"]?.mark ?? emailNode.mark,
                        "tester \(email) is in department '\(department)' like developer \(first)\(more) of what was tested (\(scope)): \(testType) testing needs an independent department (SVV-5)\(note)",
                        record: record.id))
                }
            }
        }
        return findings
    }
}
