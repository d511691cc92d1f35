import ArgumentParser
import EvidentCore
import Foundation
import JSONSchema

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "List the record kinds, print a kind's JSON Schema, or validate documents against a schema.",
        subcommands: [SchemaShowCommand.self, SchemaCheckCommand.self],
        defaultSubcommand: SchemaShowCommand.self)
}

struct SchemaShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "List the kinds, or print one kind's schema.")

    @Argument(help: "A record kind, 'envelope' or 'evident-config'.") var kind: String?

    func run() throws {
        try runOrExit2 {
            let catalog = try Catalog.standard()
            guard let kind else {
                Terminal.write(catalog.kindListing())
                return
            }
            guard let text = EmbeddedResources.string("schema/\(kind).schema.json") else {
                throw ProjectSetupError.unknownKind(kind, catalog.kindNames + ["envelope", "evident-config"])
            }
            Terminal.write(text.hasSuffix("\n") ? text : text + "\n")
        }
    }
}

struct SchemaCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate JSON or YAML documents against a JSON Schema (2020-12 or draft-07), offline.",
        discussion: "Exit 0 when every document is valid, 1 when any is not, 2 when the schema cannot be used.")

    @Option(help: "The schema file.") var schema: String
    @Option(name: .customLong("ref-dir"), help: "A folder of schemas that references may name (repeatable).") var refDirs: [String] = []
    @Option(name: .customLong("base-uri"), help: "Base URI the schema and reference folders are registered under.") var baseURI: String?
    @Option(name: .customLong("default-dialect"), help: "Dialect for schemas without $schema: 2020-12 or draft-07.") var dialect: Dialect = .draft2020_12
    @Flag(name: .customLong("assert-format"), help: "Treat 'format' as an assertion.") var assertFormat = false
    @Option(help: "Output format: text or json.") var format: RecordLogFormat = .text
    @Argument(help: "Documents to validate.") var documents: [String]

    func run() throws {
        let report = try runOrExit2 { () -> SchemaCheckReport in
            let options = SchemaCheckOptions(
                schema: URL(fileURLWithPath: schema), referenceDirectories: refDirs.map { URL(fileURLWithPath: $0, isDirectory: true) },
                baseURI: baseURI, defaultDialect: dialect, assertFormat: assertFormat)
            return try Timings.measure("schema check") { try DocumentSchemaCheck.run(options, paths: documents.map { URL(fileURLWithPath: $0) }) }
        }
        Timings.measure("report") { Terminal.write(format == .json ? report.renderJSON() : report.renderText()) }
        if !report.allValid { throw ExitCode(1) }
    }
}

extension Dialect: ExpressibleByArgument {}
