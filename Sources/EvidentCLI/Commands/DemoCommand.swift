import ArgumentParser
import EvidentCore
import Foundation

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build the embedded sample product repository (FG-200 gateway firmware) and run check and coverage on it.")

    @Argument(help: "Folder to create (default: a new temporary folder).") var directory: String?

    func run() throws {
        try runOrExit2 {
            let target: URL
            if let directory {
                target = URL(fileURLWithPath: directory).standardizedFileURL
            } else {
                target = FileManager.default.temporaryDirectory.appendingPathComponent("evident-demo-\(UUID().uuidString.prefix(8))")
            }
            let result = try DemoBuilder().build(at: target)
            Terminal.write("Built the FG-200 demo repository in \(target.path)\n")
            Terminal.write("  \(result.commits) commits by \(result.authors.count) authors, tags \(result.tags.joined(separator: ", "))\n\n")
            let workspace = try Workspace.open(at: target.path)
            let project = try workspace.loadProject(.workingTree, today: Clock.today)
            let report = Checker().check(project)
            Terminal.write("$ evident check\n")
            Terminal.write(TextReporter().render(report, context: ReportContext(toolVersion: Evident.version)))
            let coverage = CoverageCalculator().coverage(of: project, trailers: try workspace.trailerIndex(.workingTree), findings: report.findings)
            Terminal.write("\n$ evident coverage\n")
            Terminal.write(CoverageTextRenderer().render(coverage))
            Terminal.write("""

            The check above reports one planted finding (a dangling link), so 'evident check' there exits 1.
            Try next:
              cd \(target.path)
              evident check --records          # findings and who produced each record
              evident coverage --format json   # the 47 requirements, machine-readable
              evident log DEF-2026-001         # git attribution of one record
              git log --oneline --graph --decorate

            """)
        }
    }
}
