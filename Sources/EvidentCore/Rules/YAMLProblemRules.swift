/// Rules that report what the YAML reader found in a file. Each problem kind is its own rule id.
protocol YAMLProblemRule: Rule {
    static var kind: YAMLProblem.Kind { get }
}

extension YAMLProblemRule {
    public func check(_ project: Project) -> [Finding] {
        var findings: [Finding] = []
        for file in project.files {
            for problem in file.problems where problem.kind == Self.kind {
                findings.append(Self.description.finding(file.path, problem.mark, problem.message, record: file.record?.id))
            }
        }
        if Self.kind == .limit { findings += project.projectProblems.filter { $0.rule == Self.description.id } }
        return findings
    }
}
