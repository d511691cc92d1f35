import ArgumentParser
import EvidentCore
import Foundation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write .evident.yml, the records folder and the record schemas (never overwrites without --force).")

    @OptionGroup var repository: RepositoryOptions
    @Option(help: "Product name written into .evident.yml.") var product: String = "My product"
    @Option(help: "Records folder, relative to the repository root.") var records: String = "security"
    @Flag(help: "Overwrite existing files.") var force = false

    func run() throws {
        try runOrExit2 {
            let workspace = try Workspace.open(at: repository.repositoryPath)
            guard let root = workspace.root else { throw WorkspaceError.bareNeedsRevision }
            let written = try ProjectSetup(root: root).initialize(product: product, recordsRoot: records, force: force)
            Terminal.write("Wrote \(written.filter { !$0.hasPrefix(".evident/") }.joined(separator: ", ")) and \(written.filter { $0.hasPrefix(".evident/") }.count) schemas under .evident/schemas/.\n")
            Terminal.write("Next: evident new threat-model --title \"...\"; evident check; evident coverage\n")
        }
    }
}
