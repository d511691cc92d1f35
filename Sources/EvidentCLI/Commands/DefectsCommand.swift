import ArgumentParser
import EvidentCore

extension DefectBoardFormat: ExpressibleByArgument {}

struct DefectsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "defects",
        abstract: "The triage board: defects by severity with age, deadlines and CRA clocks, and median days to triage, fix and disclose per quarter.",
        discussion: "Exit 0, or 1 when a deadline or clock is missed (an error-level finding).")

    @OptionGroup var repository: RepositoryOptions
    @Flag(help: "Only defects still open.") var open = false
    @Option(help: "Output format: \(DefectBoardFormat.allCases.map(\.rawValue).joined(separator: ", ")).") var format: DefectBoardFormat = .text

    func run() throws {
        let board = try runOrExit2 { () -> DefectBoard in
            let workspace = try Workspace.open(at: repository.repositoryPath)
            var project = try workspace.loadProject(.workingTree, today: Clock.today)
            project.now = Clock.now
            return DefectBoard.build(project, openOnly: open)
        }
        Terminal.write(format.render(board))
        if board.hasErrors { throw ExitCode(1) }
    }
}
