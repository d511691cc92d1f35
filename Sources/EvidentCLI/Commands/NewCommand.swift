import ArgumentParser
import EvidentCore
import Foundation

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a record of a kind from its template with the next free ID, and print its path.")

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "Record kind (see 'evident schema').") var kind: String
    @Option(help: "Record ID (default: the next free one for the kind).") var id: String?
    @Option(help: "Record title.") var title: String?
    @Option(help: "Owner email (default: the identity git commits with: GIT_AUTHOR_EMAIL, author.email, user.email).") var owner: String?

    func run() throws {
        try runOrExit2 {
            let workspace = try Workspace.open(at: repository.repositoryPath)
            guard let root = workspace.root else { throw WorkspaceError.bareNeedsRevision }
            let project = try Project.load(from: WorkingTreeSource(root: root), catalog: try Catalog.standard(), today: Clock.today)
            let email = owner ?? workspace.defaultApprover(environment: ProcessInfo.processInfo.environment) ?? TemplatePlaceholderRule.unknownOwner
            let path = try ProjectSetup(root: root).newRecord(kind: kind, id: id, title: title, owner: email, today: Clock.today, project: project)
            Terminal.write(path + "\n")
        }
    }
}
