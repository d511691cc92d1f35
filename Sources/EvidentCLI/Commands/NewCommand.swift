import ArgumentParser
import EvidentCore
import Foundation

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a record of a kind from its template with the next free ID, and print its path.",
        discussion: "Values given here are written as quoted YAML where needed, so any title reads back as typed. 'new sbom --document FILE' reads the SBOM (format, spec version, generation date, product, components); without --document it lists the SBOM files found in the repository.")

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "Record kind (see 'evident schema').") var kind: String
    @Option(help: "Record ID (default: the next free one for the kind).") var id: String?
    @Option(help: "Record title.") var title: String?
    @Option(help: "Owner email (default: the identity git commits with: GIT_AUTHOR_EMAIL, author.email, user.email).") var owner: String?
    @Option(help: ArgumentHelp("For 'new sbom': the CycloneDX or SPDX JSON file inside the repository.", valueName: "FILE")) var document: String?

    func run() throws {
        let path = try runOrExit2 {
            try ProjectSetup.newRecord(at: repository.repositoryPath, kind: kind, id: id, title: title, owner: owner, document: document, today: Clock.today)
        }
        Terminal.write(path + "\n")
    }
}
