import ArgumentParser
import EvidentBundle
import Foundation

struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create an OpenSSH Ed25519 key pair for signing bundles (as ssh-keygen -t ed25519): PATH (private, mode 0600) and PATH.pub.")

    @Option(help: ArgumentHelp("Where to write the private key.", valueName: "PATH")) var out: String
    @Flag(help: "Replace existing key files.") var force = false

    func run() throws {
        let fingerprint = try runOrExit2 { try BundleKeys.generate(at: out, force: force) }
        Terminal.write("Wrote \(out) (private, keep it secret) and \(out).pub\nKey fingerprint: \(fingerprint)\n")
    }
}
