import ArgumentParser
import EvidentCore
import EvidentDisclosure
import Foundation

/// `evident advisory export ID --format csaf [--rev REV] [--out FILE]`.
struct AdvisoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "advisory", abstract: "Disclose an advisory in machine-readable form.", subcommands: [AdvisoryExportCommand.self])
}

enum AdvisoryFormat: String, ExpressibleByArgument, CaseIterable { case csaf }

struct AdvisoryExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "A CSAF 2.0 security advisory from the advisory record and its defects; tracking from git.",
        discussion: "Exit 1 (nothing written) listing every problem when the advisory cannot be exported as valid CSAF.")

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The advisory's record id (ADV-...) or public advisory-id.") var id: String
    @Option(help: "Output format: csaf.") var format: AdvisoryFormat = .csaf
    @Option(help: "Commit to export (default: HEAD).") var rev: String?
    @Option(help: ArgumentHelp("File to write, or an existing folder (the name CSAF section 5.1 prescribes); default: standard output.", valueName: "FILE"))
    var out: String?

    func run() throws {
        let document = try runDisclosure {
            try Disclosure.exportAdvisory(id, workspace: try Workspace.open(at: repository.repositoryPath), revision: rev, toolVersion: Evident.version)
        }
        try emit(document, out: out)
    }
}

/// `evident vex export [--release TAG | --rev REV] --format openvex|cyclonedx|csaf-vex [--out FILE]`.
struct VEXCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vex", abstract: "Every defect's status for the product as VEX.", subcommands: [VEXExportCommand.self])
}

extension Disclosure.VEXFormat: ExpressibleByArgument {}

struct VEXExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "OpenVEX 0.2.0, CycloneDX 1.6 VEX or CSAF 2.0 VEX of a release or commit; byte-identical for the same commit.")

    @OptionGroup var repository: RepositoryOptions
    @Option(help: "The release (its tag) to judge: the statuses for that version, from the records of HEAD.") var release: String?
    @Option(help: "Commit to read the records from (default: HEAD): every version the records name.") var rev: String?
    @Option(help: "Output format: \(Disclosure.VEXFormat.allCases.map(\.rawValue).joined(separator: ", ")).") var format: Disclosure.VEXFormat
    @Option(help: ArgumentHelp("File to write, or an existing folder; default: standard output.", valueName: "FILE")) var out: String?

    func validate() throws {
        if release != nil && rev != nil { throw ValidationError("--release and --rev exclude each other") }
    }

    func run() throws {
        let document = try runDisclosure {
            try Disclosure.exportVEX(workspace: try Workspace.open(at: repository.repositoryPath), release: release, revision: rev,
                                     format: format, toolVersion: Evident.version)
        }
        try emit(document, out: out)
    }
}

/// `evident csaf check FILE...`.
struct CSAFCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csaf", abstract: "CSAF 2.0 documents.", subcommands: [CSAFCheckCommand.self])
}

struct CSAFCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "The CSAF 2.0 schema and every mandatory test of section 6.1, offline; findings at file:line:column.",
        discussion: "Exit 0 when every file passes, 1 otherwise. A file name other than section 5.1's is a warning.")

    @Argument(help: "CSAF JSON files.") var files: [String]
    @Flag(help: "Fail on warnings (the section 5.1 file name) too.") var strict = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one CSAF file") }
    }

    func run() throws {
        let findings = Disclosure.checkCSAF(files: files)
        var out = ""
        for finding in findings {
            out += "\(finding.path):\(finding.line):\(finding.column): \(finding.severity.rawValue): [\(finding.rule)] \(finding.message)\n"
        }
        let errors = findings.filter { $0.severity == .error }.count
        let failed = Set(findings.filter { $0.severity == .error }.map(\.path)).count
        out += "\(files.count) CSAF document\(files.count == 1 ? "" : "s") checked: \(errors) error\(errors == 1 ? "" : "s") in \(failed) file\(failed == 1 ? "" : "s"), \(findings.count - errors) warning\(findings.count - errors == 1 ? "" : "s")\n"
        Terminal.write(out)
        if errors > 0 || (strict && !findings.isEmpty) { throw ExitCode(1) }
    }
}

/// Runs an export: refused exports print their findings and exit 1; anything else that stops it exits 2.
func runDisclosure(_ body: () throws -> Disclosure.Document) throws -> Disclosure.Document {
    do {
        return try runOrExit2 { () -> Disclosure.Document in
            do {
                return try body()
            } catch let refused as DisclosureRefused {
                FileHandle.standardError.write(Data((refused.findings.map {
                    "\($0.path):\($0.line):\($0.column): \($0.severity.rawValue): [\($0.rule)] \($0.message)"
                }.joined(separator: "\n") + "\nexport refused: \(refused.findings.count) problem\(refused.findings.count == 1 ? "" : "s"); nothing written\n").utf8))
                throw ExitCode(1)
            }
        }
    }
}

/// Writes the document to `--out` (a file, or a folder taking the document's own name) or standard output.
func emit(_ document: Disclosure.Document, out: String?) throws {
    guard let out else {
        Terminal.write(document.text)
        return
    }
    var isDirectory: ObjCBool = false
    let path = FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory) && isDirectory.boolValue
        ? (out as NSString).appendingPathComponent(document.fileName) : out
    _ = try runOrExit2 { try Disclosure.write(document, to: path) }
    FileHandle.standardError.write(Data("Wrote \(path)\n".utf8))
}
