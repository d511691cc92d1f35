import ArgumentParser
import EvidentCore
import Foundation

extension RecordLogFormat: ExpressibleByArgument {}

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Who changed a record and when: each commit (author, committer, time, signature, trailers), newest first.")

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "A record ID or a path.") var record: String
    @Flag(help: "Follow renames (the list of 'git log --follow').") var follow = false
    @Option(help: "Output format: text, json.") var format: RecordLogFormat = .text

    func run() throws {
        try runOrExit2 {
            let workspace = try Timings.measure("open repository") { try Workspace.open(at: repository.repositoryPath) }
            let log = try workspace.log(record, follow: follow, today: Clock.today)
            Timings.measure("report") { Terminal.write(format.render(log)) }
        }
    }
}
