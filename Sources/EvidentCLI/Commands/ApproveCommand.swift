import ArgumentParser
import EvidentCore
import Foundation

struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a record: status approved and an approval (by, date-time, digest of the content), after checking it; stale when the record changes.",
        discussion: "Exit 0 when approved, 1 when the record has errors (they are listed; nothing is written), 2 when it cannot run.")

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The record ID or path.") var record: String
    @Option(help: "Approver email (default: the identity git will author the commit with: GIT_AUTHOR_EMAIL, author.email, user.email).") var by: String?

    func run() throws {
        let result = try runOrExit2 { () -> ApprovalResult? in
            let workspace = try Workspace.open(at: repository.repositoryPath)
            guard let approver = by ?? workspace.defaultApprover(environment: ProcessInfo.processInfo.environment) else {
                throw ApprovalError.noApprover
            }
            do {
                return try workspace.approve(record, by: approver, now: Clock.now, today: Clock.today)
            } catch ApprovalError.refused(let label, let findings) {
                FindingLines.writeError(findings)
                Terminal.error("\(ApprovalError.refused(label, findings))")
                return nil
            }
        }
        guard let result else { throw ExitCode(1) }
        FindingLines.write(result.findings)
        Terminal.write("approved \(result.record) (\(result.path)) by \(result.by) at \(result.date) (\(result.digest))\n")
        Terminal.write("next: commit it as \(result.by): git add \(ShellQuote.quote(result.path)) && git commit -m " + ShellQuote.quote("Approve \(result.record)") + "\n")
    }
}
