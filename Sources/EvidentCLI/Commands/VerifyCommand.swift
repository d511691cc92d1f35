import ArgumentParser
import EvidentBundle
import EvidentCore
import Foundation

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that an audit bundle is complete and untampered (exit 0), or list every problem (exit 1).")

    @Argument(help: ArgumentHelp("The bundle to check.", valueName: "FILE.zip")) var bundle: String
    @Option(help: ArgumentHelp("Require a valid signature by this public key.", valueName: "PUB")) var key: String?

    func run() throws {
        let result = try runOrExit2 { () -> BundleVerification in
            let publicKey = try key.map(BundleKeys.loadPublic)
            return try Timings.measure("verify") { try BundleVerifier().verify(URL(fileURLWithPath: bundle), publicKey: publicKey) }
        }
        if result.isIntact {
            var line = "\(bundle): intact, \(result.entriesChecked) files match the manifest"
            if let manifest = result.manifest { line += " (commit \(manifest.commit.id.prefix(12)), \(manifest.commit.date))" }
            if result.signatureChecked, let fingerprint = result.signatureFingerprint {
                line += "; signature valid (key \(fingerprint))"
            } else if let fingerprint = result.signatureFingerprint {
                line += "; signed by key \(fingerprint), not checked (pass --key)"
            }
            Terminal.write(line + "\n")
            return
        }
        for problem in result.problems {
            Terminal.write("\(bundle): error: \(problem)\n")
        }
        Terminal.write("\(result.problems.count) problem\(result.problems.count == 1 ? "" : "s"): the bundle is not intact\n")
        throw ExitCode(1)
    }
}
