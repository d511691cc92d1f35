import ArgumentParser
import EvidentCore
import Foundation
import Vulnerabilities

struct TriageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triage",
        abstract: "Vulnerability intake: scanner findings into draft defect records.",
        subcommands: [TriageImportCommand.self])
}

extension ScannerFormat: ExpressibleByArgument {}

enum ScannerChoice: String, CaseIterable, ExpressibleByArgument {
    case auto, grype, trivy, osvScanner = "osv-scanner", cyclonedx, dependencyTrack = "dependency-track", snyk, npmAudit = "npm-audit", pipAudit = "pip-audit"

    var format: ScannerFormat? { ScannerFormat(rawValue: rawValue) }
}

enum PlainFormat: String, CaseIterable, ExpressibleByArgument { case text, json }

struct TriageImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import scanner JSON (Grype, Trivy, OSV-Scanner, CycloneDX VEX, Dependency-Track, Snyk, npm audit, pip-audit) as draft defect records.",
        discussion: "Findings are matched to the SBOM components by purl and merged by vulnerability id and aliases; one draft defect per (vulnerability, component) not yet tracked. Records already tracked are never changed. Exit 0 when imported, 1 when a file is refused (nothing written), 2 when it cannot run.")

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "Scanner output files (JSON).") var files: [String]
    @Option(help: "Scanner format: \(ScannerChoice.allCases.map(\.rawValue).joined(separator: ", ")).") var scanner: ScannerChoice = .auto
    @Flag(help: "Report what would be created; write nothing.") var dryRun = false
    @Option(help: "Owner of the new records (default: the identity git commits with).") var owner: String?
    @Option(help: "Output format: text, json.") var format: PlainFormat = .text

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one scanner file") }
    }

    func run() throws {
        let result: TriageImportResult
        do {
            let workspace = try Timings.measure("open repository") { try runOrExit2 { try Workspace.open(at: repository.repositoryPath) } }
            guard let root = workspace.root else { Terminal.error("\(WorkspaceError.bareNeedsRevision)"); throw ExitCode(2) }
            let email = Timings.measure("owner") {
                owner ?? workspace.defaultApprover(environment: ProcessInfo.processInfo.environment) ?? TemplatePlaceholderRule.unknownOwner
            }
            let importer = TriageImporter(root: root, stateDirectory: (workspace.repository.commonDir as NSString).appendingPathComponent("evident"))
            result = try importer.run(.init(files: files, scanner: scanner.format, dryRun: dryRun, owner: email, today: Clock.today))
        } catch let error as TriageImportError {
            Terminal.error("\(error)")
            switch error {
            case .unreadable, .scanner, .invalidRecord: throw ExitCode(1)
            case .noSBOM, .locked, .writeFailed: throw ExitCode(2)
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(2)
        }
        Timings.measure("report") { Terminal.write(format == .json ? TriageImportJSON.render(result) : TriageImportText.render(result)) }
    }
}
