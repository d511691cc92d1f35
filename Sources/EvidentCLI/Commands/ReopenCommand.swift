import ArgumentParser
import EvidentCore
import Foundation

struct ReopenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reopen",
        abstract: "Put an approved record back under revision: status in-review, approval block removed (it stays in git history).")

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The record ID or path.") var record: String
    @Option(help: "Why it is reopened: suggested as a 'Reopen-Reason:' trailer for the commit, which 'evident log' shows in the approval history.") var reason: String?

    func run() throws {
        let result = try runOrExit2 { () -> ReopenResult in
            let workspace = try Workspace.open(at: repository.repositoryPath)
            return try workspace.reopen(record, today: Clock.today)
        }
        let removed = result.removed.map { " (approval by \($0.by ?? "?") at \($0.date ?? "?") removed; it stays in git history)" } ?? ""
        Terminal.write("reopened \(result.record) (\(result.path)): status in-review\(removed)\n")
        let trailer = reason.map { " -m " + ShellQuote.quote("Reopen-Reason: " + $0.replacingOccurrences(of: "\n", with: " ")) } ?? ""
        Terminal.write("next: git add \(ShellQuote.quote(result.path)) && git commit -m " + ShellQuote.quote("Reopen \(result.record)") + trailer + "\n")
    }
}
