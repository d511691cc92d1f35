import ArgumentParser
import EvidentBundle
import EvidentCore
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the SDLA audit bundle (zip): report, coverage, findings, records, evidence files and a manifest; byte-identical for the same commit.")

    @OptionGroup var repository: RepositoryOptions
    @Option(help: "Commit to export (default: HEAD).") var rev: String?
    @Option(help: ArgumentHelp("The zip to write.", valueName: "FILE.zip")) var out: String
    @Option(name: .customLong("sign-key"), help: ArgumentHelp("Sign the manifest (SSH signature, namespace evident) and the in-toto attestation with this unencrypted OpenSSH private key (Ed25519, ECDSA or RSA of 2048 bits or more; from 'evident keygen' or ssh-keygen).", valueName: "KEY")) var signKey: String?
    @Flag(help: "Replace an existing output file.") var force = false
    @Flag(name: .customLong("allow-dirty"), help: "Export HEAD even when records in the working tree differ from it.") var allowDirty = false
    @Option(help: "Maturity level 1-4 to judge coverage at (default: the configured target).") var level: Int?

    func validate() throws {
        if let level, !(1...4).contains(level) { throw ValidationError("--level must be 1, 2, 3 or 4") }
    }

    func run() throws {
        let result = try runOrExit2 { () -> BundleExporter.Result in
            let workspace = try Workspace.open(at: repository.repositoryPath)
            return try BundleExporter().export(from: workspace, options: .init(
                revision: rev, output: out, signingKeyPath: signKey, force: force, allowDirty: allowDirty, toolVersion: Evident.version, level: level))
        }
        let signed = result.keyFingerprint.map { ", signed by key \($0)" } ?? ""
        Terminal.write("Wrote \(result.output.path): commit \(result.manifest.commit.id.prefix(12)), \(result.manifest.files.count) files\(signed)\n")
    }
}
