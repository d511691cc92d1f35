import ArgumentParser
import EvidentBundle
import EvidentCore
import Foundation

extension DiffFormat: ExpressibleByArgument {}

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changed in the evidence between two commits: coverage, records, approvals, findings.")

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: ArgumentHelp("Two commits, tags or branches.", valueName: "REV1..REV2")) var range: String
    @Option(help: "Output format: \(DiffFormat.allCases.map(\.rawValue).joined(separator: ", ")).") var format: DiffFormat = .text

    func run() throws {
        let diff = try runOrExit2 { () -> EvidenceDiff in
            let workspace = try Workspace.open(at: repository.repositoryPath)
            return try EvidenceDiffer().diff(workspace, range: range)
        }
        Terminal.write(format.renderer.render(diff))
    }
}
