import ArgumentParser
import EvidentCore
import Foundation

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "List the record kinds, print a kind's JSON Schema, or validate documents against a schema.",
        subcommands: [SchemaShowCommand.self],
        defaultSubcommand: SchemaShowCommand.self)
}

struct SchemaShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "List the kinds, or print one kind's schema.")

    @Argument(help: "A record kind, 'envelope' or 'evident-config'.") var kind: String?

    func run() throws {
        try runOrExit2 {
            let catalog = try Catalog.standard()
            guard let kind else {
                for name in catalog.kindNames {
                    let info = catalog.kinds[name]
                    Terminal.write("\(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(info?.prefix ?? "")-  serves \(info?.defaults.joined(separator: ", ") ?? "")\n")
                }
                return
            }
            guard let text = EmbeddedResources.string("schema/\(kind).schema.json") else {
                throw ProjectSetupError.unknownKind(kind, catalog.kindNames + ["envelope", "evident-config"])
            }
            Terminal.write(text.hasSuffix("\n") ? text : text + "\n")
        }
    }
}
