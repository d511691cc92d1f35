import ArgumentParser
import EvidentBundle
import EvidentCore
import Foundation

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that an audit bundle is complete and untampered (exit 0), or list every problem (exit 1).")

    @Argument(help: ArgumentHelp("The bundle to check.", valueName: "FILE.zip")) var bundle: String
    @Option(help: ArgumentHelp("Require valid signatures (manifest.json.sig and attestation.intoto.json) by this OpenSSH public key (.pub), or an evident 0.x public key.", valueName: "PUB")) var key: String?

    func run() throws {
        let result = try runOrExit2 { () -> BundleVerification in
            let publicKey = try key.map(BundleKeys.loadPublic)
            return try Timings.measure("verify") { try BundleVerifier().verify(URL(fileURLWithPath: bundle), publicKey: publicKey) }
        }
        Terminal.write(result.text(for: bundle))
        if !result.isIntact { throw ExitCode(1) }
    }
}
