import Foundation

extension DemoBuilder {
    /// `evident demo`: builds the sample repository at `directory` and returns what the command
    /// prints: how it was built, `check` and `coverage` on it, and what to try next.
    public func run(at directory: URL, today: String, toolVersion: String) throws -> String {
        let result = try build(at: directory)
        var out = "Built the FG-200 demo repository in \(directory.path)\n"
        out += "  \(result.commits) commits by \(result.authors.count) authors, tags \(result.tags.joined(separator: ", "))\n\n"
        let workspace = try Workspace.open(at: directory.path)
        let project = try workspace.loadProject(.workingTree, today: today)
        let report = Checker().check(project)
        out += "$ evident check\n"
        out += TextReporter().render(report, context: ReportContext(toolVersion: toolVersion))
        let coverage = CoverageCalculator().coverage(of: project, trailers: try workspace.trailerIndex(.workingTree), findings: report.findings)
        out += "\n$ evident coverage\n"
        out += CoverageTextRenderer().render(coverage)
        out += """

        The check above reports one planted finding (a dangling reference), so 'evident check' there exits 1,
        and DM-5 is partial because the advisory carrying it does not count.
        Try next:
          cd \(directory.path)
          evident check --records          # findings and who produced each record
          evident coverage --format json   # the 47 requirements, machine-readable
          evident log DEF-2026-001         # git attribution of one record
          evident trace                    # threats -> security requirements -> tests
          git log --oneline --graph --decorate

        """
        return out
    }
}
