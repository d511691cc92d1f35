import ArgumentParser
import EvidentCore
import EvidentDisclosure
import Foundation

struct CoverageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "The 47 requirements of IEC 62443-4-1 with their status at the target maturity level, and the evidence behind each.")

    @OptionGroup var repository: RepositoryOptions
    @Option(help: "Judge a commit's tree.") var rev: String?
    @Option(help: "Maturity level 1-4 (default: the configured target).") var level: Int?
    @Option(help: "Output format: \(CoverageFormat.allCases.map(\.rawValue).joined(separator: ", ")).") var format: CoverageFormat = .text

    func validate() throws {
        if let level, !(1...4).contains(level) { throw ValidationError("--level must be 1, 2, 3 or 4") }
    }

    func run() throws {
        let (report, header) = try runOrExit2 { () -> (CoverageReport, ReportHeader) in
            let mode: EvidenceMode = rev.map(EvidenceMode.revision) ?? .workingTree
            let workspace = try Timings.measure("open repository") { try Workspace.open(at: repository.repositoryPath) }
            let project = try workspace.loadProject(mode, today: Clock.today)
            ProcessLifetime.keepUntilExit(project)
            let trailers = try Timings.measure("trailers") { try workspace.trailerIndex(mode) }
            // The same rules as `check` (the advisory-csaf rule included) decide which records carry errors.
            let findings = Timings.measure("rules") { Checker(rules: DisclosureRules.all).check(project, attribution: false, summaries: false).findings }
            return (Timings.measure("coverage") { CoverageCalculator().coverage(of: project, level: level, trailers: trailers, findings: findings) },
                    workspace.reportHeader(mode, toolVersion: Evident.version))
        }
        Timings.measure("report") {
            if format == .json {
                // Tens of megabytes for a large repository: written as made, not copied into a String first.
                CoverageJSONRenderer().write(report) { FileHandle.standardOutput.write(Data($0)) }
                return
            }
            let renderer: any CoverageRenderer = format == .text ? CoverageTextRenderer(useColor: Terminal.stdoutIsColorTerminal)
                : format == .html ? CoverageHTMLRenderer(header: header) : format.renderer
            Terminal.write(renderer.render(report))
        }
    }
}
