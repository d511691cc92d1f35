import ArgumentParser
import EvidentCore
import EvidentDisclosure
import Foundation

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate every record: YAML, schema, links, requirement IDs, approvals, git facts.",
        discussion: "Exit 0 when clean, 1 on errors (or warnings with --strict), 2 when it cannot run.")

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "Only report findings for these paths (files or folders).") var paths: [String] = []
    @Flag(help: "Judge the index (what is about to be committed).") var staged = false
    @Option(help: "Judge a commit's tree (a commit, tag or branch).") var rev: String?
    @Option(help: "Output format: \(CheckFormat.allCases.map(\.rawValue).joined(separator: ", ")).") var format: CheckFormat = .text
    @Flag(help: "Fail on warnings too.") var strict = false
    @Flag(help: "List every record with its attribution (text format).") var records = false

    func validate() throws {
        if staged && rev != nil { throw ValidationError("--staged and --rev exclude each other") }
    }

    func run() throws {
        let report = try runOrExit2 { () -> CheckReport in
            let mode: EvidenceMode = staged ? .staged : rev.map(EvidenceMode.revision) ?? .workingTree
            let workspace = try Timings.measure("open repository") { try Workspace.open(at: repository.repositoryPath) }
            return try workspace.check(
                mode, paths: paths, summaries: format.listsRecords || records, attribution: format == .json || records,
                indexFile: ProcessInfo.processInfo.environment["GIT_INDEX_FILE"], today: Clock.today,
                now: Clock.instant, rules: DisclosureRules.all)
        }
        // Tens of thousands of findings are left to the process's exit, not freed one by one.
        ProcessLifetime.keepUntilExit(report)
        Timings.measure("report") {
            let context = ReportContext(toolVersion: Evident.version, useColor: format == .text && Terminal.stdoutIsColorTerminal)
            var output = format.reporter.render(report, context: context)
            if records && format == .text { output += RecordListing.render(report.records, notes: report.notes) }
            Terminal.write(output)
        }
        if report.fails(strict: strict) { throw ExitCode(1) }
    }
}

/// The `--records` listing: each record with who created and last changed it.
enum RecordListing {
    static func render(_ records: [RecordSummary], notes: [String] = []) -> String {
        var out = "\nRecords:\n"
        for note in notes { out += "  note: \(note)\n" }
        for record in records.sorted(by: { $0.path < $1.path }) {
            out += "  \(record.id)  \(record.kind)  \(record.status)  \(record.path)\n"
            if let attribution = record.attribution {
                if let created = attribution.created, let last = attribution.lastChanged {
                    out += "    created \(created.date.prefix(10)) by \(created.email) (\(created.commit.prefix(10))); last changed \(last.date.prefix(10)) by \(last.email) (\(last.commit.prefix(10))); \(attribution.commits) commit\(attribution.commits == 1 ? "" : "s"), \(attribution.authors.count) author\(attribution.authors.count == 1 ? "" : "s")\(attribution.uncommitted ? "; uncommitted changes" : "")\n"
                    if let signature = last.signature { out += "    last change signature: \(signature.summary)\n" }
                } else {
                    out += "    not yet committed\n"
                }
            }
        }
        return out
    }
}
