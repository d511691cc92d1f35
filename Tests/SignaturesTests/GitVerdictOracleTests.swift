import Foundation
import GitKit
@testable import Signatures
import Testing

/// evident's verdict on SSH-signed commits against `git log --format=%G?` with `gpg.ssh.allowedSignersFile`,
/// for every key type ssh-keygen makes, an unknown key, a tampered commit and a forged signature in a message.
@Suite struct GitVerdictOracleTests {
    struct Key {
        var name: String
        var type: String
        var bits: Int?
    }

    static let keys = [
        Key(name: "ed25519", type: "ed25519"), Key(name: "p256", type: "ecdsa", bits: 256), Key(name: "p384", type: "ecdsa", bits: 384),
        Key(name: "p521", type: "ecdsa", bits: 521), Key(name: "rsa2048", type: "rsa", bits: 2048), Key(name: "rsa3072", type: "rsa", bits: 3072),
    ]

    @Test func verdictsEqualGitsForEveryKeyTypeAndTheHardCases() throws {
        let oracle = try Oracle()
        let repo = oracle.path("repo")
        _ = try oracle.git(["init", "-q", repo], in: oracle.root.path)
        var allowed = ""
        var keyPaths: [String: String] = [:]
        for key in Self.keys + [Key(name: "stranger", type: "ed25519")] {
            let path = try oracle.keygen(key.name, type: key.type, bits: key.bits)
            keyPaths[key.name] = path
            if key.name != "stranger" { allowed += "\(key.name)@example.org \(try oracle.read(path + ".pub"))" }
        }
        // Wildcards and namespaces: a second line for the ed25519 key, for another namespace only.
        allowed += "# a comment\n\n*@elsewhere.example namespaces=\"file\" \(try oracle.read(keyPaths["ed25519"]! + ".pub"))"
        let allowedPath = try oracle.write(allowed, to: "allowed_signers")
        var date = 1_700_000_000
        func commit(_ message: String, key: String?) throws -> String {
            date += 60
            try Data("\(message)\n".utf8).write(to: URL(fileURLWithPath: repo + "/file.txt"))
            _ = try oracle.git(["add", "file.txt"], in: repo, date: date)
            var args = ["-c", "gpg.format=ssh"]
            if let key { args += ["-c", "user.signingkey=\(keyPaths[key]!)", "commit", "-q", "-S", "-m", message] } else { args += ["commit", "-q", "-m", message] }
            _ = try oracle.git(args, in: repo, date: date)
            return try oracle.git(["rev-parse", "HEAD"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var ids: [String: String] = [:]
        for key in Self.keys { ids[key.name] = try commit("signed by \(key.name)", key: key.name) }
        ids["stranger"] = try commit("signed by a key nobody listed", key: "stranger")
        ids["unsigned"] = try commit("not signed", key: nil)
        ids["body"] = try commit("signed, with a gpgsig line in the body\n\ngpgsig -----BEGIN SSH SIGNATURE-----\n not one\n -----END SSH SIGNATURE-----", key: "ed25519")

        // Tampered: the ed25519 commit with another message, the same signature.
        let original = try oracle.git(["cat-file", "commit", ids["ed25519"]!], in: repo)
        let tampered = original.replacingOccurrences(of: "signed by ed25519", with: "signed by ed25519, approved")
        ids["tampered"] = try oracle.git(["hash-object", "-t", "commit", "-w", "--stdin"], in: repo, input: Array(tampered.utf8))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // Forged: an unsigned commit whose message carries a real signature as a `gpgsig` header-looking block.
        let signatureBlock = original.components(separatedBy: "\n").filter { $0.hasPrefix("gpgsig ") || $0.hasPrefix(" ") }.joined(separator: "\n")
        let unsigned = try oracle.git(["cat-file", "commit", ids["unsigned"]!], in: repo)
        ids["forged"] = try oracle.git(["hash-object", "-t", "commit", "-w", "--stdin"], in: repo,
                                       input: Array((unsigned + "\n" + signatureBlock + "\n").utf8)).trimmingCharacters(in: .whitespacesAndNewlines)
        // A signature header folded into a commit of other content (the signature of ed25519 on the p256 commit's bytes).
        let p256 = try oracle.git(["cat-file", "commit", ids["p256"]!], in: repo)
        let p256Lines = p256.components(separatedBy: "\n")
        let header = p256Lines.prefix { !$0.isEmpty }.filter { !$0.hasPrefix("gpgsig ") && !$0.hasPrefix(" ") }
        let body = p256Lines.drop { !$0.isEmpty }
        let swapped = (header + [signatureBlock] + body).joined(separator: "\n")
        ids["swapped"] = try oracle.git(["hash-object", "-t", "commit", "-w", "--stdin"], in: repo, input: Array(swapped.utf8))
            .trimmingCharacters(in: .whitespacesAndNewlines)

        // rsa-sha2-256 (git signs RSA with rsa-sha2-512 only): the unsigned commit signed here, its gpgsig header added.
        let rsaKey = try SSHPrivateKey(openSSH: try oracle.read(keyPaths["rsa2048"]!))
        let unsignedRaw = try oracle.git(["cat-file", "commit", ids["unsigned"]!], in: repo)
        let toSign = SSHSignature.signedData(Array(unsignedRaw.utf8), namespace: "git", hashAlgorithm: "sha512")
        let sha256Signature = SSHSignature(publicKey: rsaKey.publicKey, namespace: "git", hashAlgorithm: "sha512",
                                           signatureBlob: try rsaKey.signatureBlob(over: toSign, rsaSHA256: true))
        let folded = "gpgsig " + sha256Signature.armored.trimmingCharacters(in: .newlines).replacingOccurrences(of: "\n", with: "\n ")
        let headerEnd = try #require(unsignedRaw.range(of: "\n\n"))
        let withSignature = String(unsignedRaw[..<headerEnd.lowerBound]) + "\n" + folded + String(unsignedRaw[headerEnd.lowerBound...])
        ids["rsa-sha2-256"] = try oracle.git(["hash-object", "-t", "commit", "-w", "--stdin"], in: repo, input: Array(withSignature.utf8))
            .trimmingCharacters(in: .whitespacesAndNewlines)

        let signers = AllowedSigners(text: try oracle.read(allowedPath))
        #expect(signers.problems.isEmpty)
        let checker = GitSignatureChecker(allowedSigners: signers)
        let repository = try Repository.open(at: repo)
        for (name, id) in ids.sorted(by: { $0.key < $1.key }) {
            let git = try oracle.git(["-c", "gpg.ssh.allowedSignersFile=\(allowedPath)", "log", "-1", "--format=%G?", id], in: repo)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard let objectID = ObjectID(hex: id) else { Issue.record("bad id \(id)"); continue }
            let object = try repository.signedObject(objectID)
            let verdict = checker.verdict(payload: object.payload, signature: object.signature, time: object.time ?? Date())
            #expect(verdict.status.rawValue == git, "\(name): evident \(verdict.status.rawValue) (\(verdict.reason)), git \(git)")
            if verdict.status == .good {
                let fingerprint = try oracle.git(["-c", "gpg.ssh.allowedSignersFile=\(allowedPath)", "log", "-1", "--format=%GF", id], in: repo)
                #expect(verdict.key == fingerprint.trimmingCharacters(in: .whitespacesAndNewlines), "\(name)")
                let signer = ["body": "ed25519", "rsa-sha2-256": "rsa2048"][name] ?? name
                #expect(verdict.signer == "\(signer)@example.org")
            }
        }
        // The cases themselves, so the comparison cannot pass by both sides saying the same wrong thing.
        func status(_ name: String) throws -> SignatureVerdict.Status {
            let object = try repository.signedObject(ObjectID(hex: ids[name]!)!)
            return checker.verdict(payload: object.payload, signature: object.signature, time: object.time ?? Date()).status
        }
        for key in Self.keys { #expect(try status(key.name) == .good, "\(key.name)") }
        #expect(try status("stranger") == .unknownKey)
        #expect(try status("tampered") == .bad)
        #expect(try status("swapped") == .bad)
        #expect(try status("forged") == .none)
        #expect(try status("body") == .good)
        #expect(try status("rsa-sha2-256") == .good)
        #expect(try status("unsigned") == .none)
    }

    /// Annotated tags carry their signature at the end of the message: split as git does, judged against `git verify-tag`.
    @Test func signedTagsAgreeWithGitVerifyTag() throws {
        let oracle = try Oracle()
        let repo = oracle.path("repo")
        _ = try oracle.git(["init", "-q", repo], in: oracle.root.path)
        let key = try oracle.keygen("tagger", type: "ecdsa", bits: 256)
        let allowed = try oracle.write("tagger@example.org \(try oracle.read(key + ".pub"))", to: "allowed")
        _ = try oracle.git(["commit", "-q", "--allow-empty", "-m", "first"], in: repo)
        _ = try oracle.git(["-c", "gpg.format=ssh", "-c", "user.signingkey=\(key)", "tag", "-s", "-m", "release 1", "v1"], in: repo)
        _ = try oracle.git(["tag", "-a", "-m", "release 0", "v0"], in: repo)
        let raw = try oracle.git(["cat-file", "tag", "v1"], in: repo)
        let tampered = try oracle.git(["hash-object", "-t", "tag", "-w", "--stdin"], in: repo,
                                      input: Array(raw.replacingOccurrences(of: "release 1", with: "release 2").utf8)).trimmingCharacters(in: .whitespacesAndNewlines)
        let repository = try Repository.open(at: repo)
        let checker = GitSignatureChecker(allowedSigners: AllowedSigners(text: try oracle.read(allowed)))
        for (name, expected) in [("v1", SignatureVerdict.Status.good), ("v0", .none), (tampered, .bad)] {
            let id = try oracle.git(["rev-parse", name], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
            let object = try repository.signedObject(try #require(ObjectID(hex: id)))
            #expect(object.kind == .tag)
            let verdict = checker.verdict(payload: object.payload, signature: object.signature, time: object.time ?? Date())
            #expect(verdict.status == expected, "\(name): \(verdict.reason)")
            let git = try oracle.run("/usr/bin/git", ["-c", "gpg.ssh.allowedSignersFile=\(allowed)", "verify-tag", id], in: repo, check: false)
            #expect((git.status == 0) == (verdict.status == .good), "\(name): git verify-tag \(git.status) \(git.err)")
        }
    }

    /// A key listed only for another namespace, or outside its validity window: never G.
    @Test func namespacesAndValidityWindowsAreHonoured() throws {
        let oracle = try Oracle()
        let key = try oracle.keygen("key", type: "ed25519")
        let publicText = try oracle.read(key + ".pub")
        let message = Array("hello\n".utf8)
        let messagePath = oracle.path("message")
        try Data(message).write(to: URL(fileURLWithPath: messagePath))
        try oracle.run("/usr/bin/ssh-keygen", ["-Y", "sign", "-n", "git", "-f", key, messagePath])
        let armored = try oracle.read(messagePath + ".sig")
        let signedAt = Date(timeIntervalSince1970: 1_700_000_000) // 2023-11-14
        func verdict(_ line: String) -> SignatureVerdict {
            GitSignatureChecker(allowedSigners: AllowedSigners(text: line)).verdict(payload: message, signature: armored, time: signedAt)
        }
        #expect(verdict("dev@example.org \(publicText)").status == .good)
        #expect(verdict("*@example.org,!mallory@example.org \(publicText)").status == .good)
        #expect(verdict("dev@example.org namespaces=\"file,email\" \(publicText)").status == .unknownKey)
        #expect(verdict("dev@example.org namespaces=\"g*\" \(publicText)").status == .good)
        #expect(verdict("dev@example.org valid-before=\"20230101Z\" \(publicText)").status == .expiredKey)
        #expect(verdict("dev@example.org valid-after=\"20240101\" \(publicText)").status == .expiredKey)
        #expect(verdict("dev@example.org valid-after=\"20230101\",valid-before=\"20240101000000Z\" \(publicText)").status == .good)
        // The signer named is only the entry valid at signing time: an expired entry lends its principal to nobody.
        let mixed = verdict("lead@example.org valid-before=\"20200101Z\" \(publicText)other@example.org \(publicText)")
        #expect(mixed.status == .good && mixed.signer == "other@example.org")
        // The same file through ssh-keygen: G here means ssh-keygen -Y verify accepts it at that time.
        let allowed = try oracle.write("dev@example.org valid-after=\"20230101\",valid-before=\"20240101000000Z\" \(publicText)", to: "allowed")
        let check = try oracle.run("/usr/bin/ssh-keygen", ["-Y", "verify", "-f", allowed, "-I", "dev@example.org", "-n", "git", "-s", messagePath + ".sig",
                                                           "-Overify-time=20231114"], input: message, check: false)
        #expect(check.status == 0, "\(check.err)")
        let expired = try oracle.write("dev@example.org valid-before=\"20230101Z\" \(publicText)", to: "expired")
        let refused = try oracle.run("/usr/bin/ssh-keygen", ["-Y", "verify", "-f", expired, "-I", "dev@example.org", "-n", "git", "-s", messagePath + ".sig",
                                                             "-Overify-time=20231114"], input: message, check: false)
        #expect(refused.status != 0)
    }
}
