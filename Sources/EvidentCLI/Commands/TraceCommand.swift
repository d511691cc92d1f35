import ArgumentParser
import EvidentCore
import Foundation

struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Each threat with the security requirements that mitigate it, the tests that verified them, and the gaps.",
        discussion: "Exit 0 without gaps, 1 with gaps (a threat with no mitigation, an untested mitigation, a failed test), 2 when it cannot run.")

    @OptionGroup var repository: RepositoryOptions
    @Option(help: "Trace a commit's tree.") var rev: String?
    @Option(help: "Output format: \(TraceFormat.allCases.map(\.rawValue).joined(separator: ", ")).") var format: TraceFormat = .text

    func run() throws {
        let report = try runOrExit2 { () -> TraceReport in
            let workspace = try Workspace.open(at: repository.repositoryPath)
            let project = try workspace.loadProject(rev.map(EvidenceMode.revision) ?? .workingTree, today: Clock.today)
            ProcessLifetime.keepUntilExit(project)
            return Traceability.trace(project)
        }
        Terminal.write(format.renderer.render(report))
        if report.gapCount > 0 { throw ExitCode(1) }
    }
}

extension TraceFormat: ExpressibleByArgument {}
