import ArgumentParser
import EvidentCore
import Foundation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write .evident.yml, the records folder and the record schemas (never overwrites without --force).",
        discussion: "Files that already hold what init writes are left alone; a file git tracks is never overwritten, even with --force.")

    @OptionGroup var repository: RepositoryOptions
    @Option(help: "Product name written into .evident.yml.") var product: String = "My product"
    @Option(help: "Records folder, relative to the repository root (written to .evident.yml).") var records: String = "security"
    @Flag(help: "Overwrite existing files that git does not track.") var force = false

    func run() throws {
        let message = try runOrExit2 {
            try ProjectSetup.initialize(at: repository.repositoryPath, product: product, recordsRoot: records, force: force)
        }
        Terminal.write(message)
    }
}
