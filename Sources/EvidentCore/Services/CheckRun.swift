import Foundation

extension Workspace {
    /// `evident check`: loads the project as `mode` reads it, runs every rule, and keeps only the
    /// findings under `paths` (as the user typed them, relative to the current folder; a folder
    /// keeps everything below it). `indexFile` is the index a hook was handed (`GIT_INDEX_FILE`).
    /// `summaries` and `attribution` as `Checker.check` takes them.
    public func check(_ mode: EvidenceMode, paths: [String] = [], summaries: Bool = true, attribution: Bool, indexFile: String? = nil, today: String,
                      now: String? = nil, rules: [any Rule] = RuleRegistry.all.map { $0.init() }) throws -> CheckReport {
        if mode == .staged, let indexFile, !indexFile.isEmpty {
            self.indexFile = URL(fileURLWithPath: indexFile).standardizedFileURL.path
        }
        var project = try loadProject(mode, today: today)
        project.now = now
        ProcessLifetime.keepUntilExit(project)
        var report = Checker(rules: rules).check(project, attribution: attribution, summaries: summaries)
        if !paths.isEmpty {
            let filters = paths.compactMap { root == nil ? RepositoryPath.normalize($0) : repositoryPath(ofUserPath: $0) }
            report.findings = report.findings.filter { finding in filters.contains { RepositoryPath.isUnder(finding.path, folder: $0) } }
        }
        return report
    }
}
