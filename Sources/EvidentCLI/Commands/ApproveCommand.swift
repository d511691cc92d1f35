import ArgumentParser
import EvidentCore
import Foundation

struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Record an approval (by, date, digest of the content); it goes stale when the record changes.")

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The record ID or path.") var record: String
    @Option(help: "Approver email (default: git's user.email).") var by: String?

    func run() throws {
        try runOrExit2 {
            let workspace = try Workspace.open(at: repository.repositoryPath)
            guard let root = workspace.root else { throw WorkspaceError.bareNeedsRevision }
            let project = try Project.load(from: WorkingTreeSource(root: root), catalog: try Catalog.standard(), today: Clock.today)
            guard let path = workspace.recordPath(for: record, project: project),
                  let target = project.records.first(where: { $0.path == path }) else {
                throw ProjectSetupError.recordNotFound(record)
            }
            guard let approver = by ?? workspace.repository.config(string: "user.email") else {
                throw ProjectSetupError.approvalFailed("no approver: pass --by EMAIL or set git's user.email")
            }
            let digest = try ProjectSetup(root: root).approve(record: target, by: approver, date: Clock.today)
            Terminal.write("approved \(target.id ?? path) by \(approver) on \(Clock.today) (\(digest))\n")
        }
    }
}
