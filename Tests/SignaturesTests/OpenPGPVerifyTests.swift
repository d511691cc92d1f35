import Foundation
import GitKit
import Signatures
import Testing

/// OpenPGP commit signatures verified natively against a keyring, compared with `git log --format=%G?`
/// through gpg (keys made by gpg in the test: Ed25519 and RSA 3072, plus a stranger's key).
@Suite struct OpenPGPVerifyTests {
    @Test func verdictsEqualGitsWithGPG() throws {
        let oracle = try Oracle()
        let home = oracle.path("gnupg"), strangerHome = oracle.path("gnupg-stranger")
        for folder in [home, strangerHome] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) }
        defer {
            for folder in [home, strangerHome] { _ = try? oracle.run("/usr/bin/gpgconf", ["--kill", "gpg-agent"], check: false, environment: ["GNUPGHOME": folder]) }
        }
        func gpg(_ arguments: [String], home: String) throws -> String {
            try oracle.run("/usr/bin/gpg", ["--batch", "--pinentry-mode", "loopback", "--passphrase", ""] + arguments, environment: ["GNUPGHOME": home]).out
        }
        _ = try gpg(["--quick-gen-key", "Ed Signer <ed@example.org>", "ed25519", "sign", "never"], home: home)
        _ = try gpg(["--quick-gen-key", "Rsa Signer <rsa@example.org>", "rsa3072", "sign", "never"], home: home)
        _ = try gpg(["--quick-gen-key", "Stranger <stranger@example.org>", "ed25519", "sign", "never"], home: strangerHome)
        let keyring = try OpenPGPKeyring(bytes: Array(try gpg(["--export", "--armor"], home: home).utf8))
        #expect(keyring.keys.count == 2)

        let repo = oracle.path("repo")
        _ = try oracle.git(["init", "-q", repo], in: oracle.root.path)
        var ids: [String: String] = [:]
        var date = 1_700_000_000
        for (name, signer, folder) in [("ed", "ed@example.org", home), ("rsa", "rsa@example.org", home), ("stranger", "stranger@example.org", strangerHome)] {
            date += 60
            _ = try oracle.git(["-c", "user.signingkey=\(signer)", "commit", "-q", "-S", "--allow-empty", "-m", "signed by \(name)"], in: repo, date: date,
                               environment: ["GNUPGHOME": folder])
            ids[name] = try oracle.git(["rev-parse", "HEAD"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let original = try oracle.git(["cat-file", "commit", ids["rsa"]!], in: repo)
        ids["tampered"] = try oracle.git(["hash-object", "-t", "commit", "-w", "--stdin"], in: repo,
                                         input: Array(original.replacingOccurrences(of: "signed by rsa", with: "signed by rsa, approved").utf8))
            .trimmingCharacters(in: .whitespacesAndNewlines)

        let repository = try Repository.open(at: repo)
        let checker = GitSignatureChecker(allowedSigners: nil, openPGPKeyring: keyring)
        var letters: [String: String] = [:]
        for (name, id) in ids {
            let git = try oracle.git(["log", "-1", "--format=%G?", id], in: repo, environment: ["GNUPGHOME": home]).trimmingCharacters(in: .whitespacesAndNewlines)
            let object = try repository.signedObject(try #require(ObjectID(hex: id)))
            let verdict = checker.verdict(payload: object.payload, signature: object.signature, time: object.time ?? Date())
            #expect(verdict.status.rawValue == git, "\(name): evident \(verdict.status.rawValue) (\(verdict.reason)), git \(git)")
            letters[name] = verdict.status.rawValue
            if verdict.status == .good {
                let fingerprint = try oracle.git(["log", "-1", "--format=%GF", id], in: repo, environment: ["GNUPGHOME": home])
                #expect(verdict.key == fingerprint.trimmingCharacters(in: .whitespacesAndNewlines))
                #expect(verdict.signer == "\(name)@example.org")
            }
        }
        #expect(letters == ["ed": "G", "rsa": "G", "stranger": "E", "tampered": "B"])
    }
}
