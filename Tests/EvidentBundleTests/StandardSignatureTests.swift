import Crypto
import EvidentCore
import Foundation
import Signatures
import Testing
@testable import EvidentBundle

/// The bundle's signatures in standard formats, judged by other tools: `ssh-keygen -Y verify` for
/// manifest.json.sig, securesystemslib (scripts/verify-dsse) for attestation.intoto.json.
@Suite struct StandardSignatureTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardizedFileURL

    @discardableResult
    static func run(_ tool: String, _ arguments: [String], input: Data? = nil) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        // The caller's PATH (python3 with securesystemslib may live outside /usr/bin); a scratch HOME so no ssh config is read.
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = FileManager.default.temporaryDirectory.path
        environment["SSH_AUTH_SOCK"] = nil
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        if let input { stdin.fileHandleForWriting.write(input) }
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile(), err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    static func entry(_ name: String, in zip: String) throws -> Data {
        try #require(try ZipCraft.entries(of: zip).first { $0.0 == name }).1
    }

    /// Keys from `evident keygen` and from ssh-keygen (ECDSA, RSA): stock OpenSSH and securesystemslib accept both signatures.
    @Test(arguments: [("evident", 0), ("ecdsa", 256), ("ecdsa", 384), ("rsa", 3072)])
    func bundleSignaturesVerifyWithSSHKeygenAndSecureSystemsLib(type: String, bits: Int) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let keyPath = scratch.path("key")
        if type == "evident" {
            try BundleKeys.generate(at: keyPath, force: false)
        } else {
            let made = try Self.run("/usr/bin/ssh-keygen", ["-q", "-t", type, "-b", "\(bits)", "-N", "", "-C", "auditor", "-f", keyPath])
            #expect(made.status == 0, "\(made.err)")
        }
        let workspace = try Demo.build(in: scratch)
        let zip = scratch.path("signed.zip")
        let result = try Demo.export(workspace, to: zip, key: keyPath)
        let publicKey = try BundleKeys.loadPublic(keyPath + ".pub")
        #expect(result.keyFingerprint == publicKey.fingerprint)

        let verified = try BundleVerifier().verify(URL(fileURLWithPath: zip), publicKey: publicKey)
        #expect(verified.isIntact, "\(verified.problems)")
        #expect(verified.signatureFormat == "ssh" && verified.attestationChecked)

        // Stock OpenSSH: ssh-keygen -Y verify -f allowed -I auditor -n evident -s manifest.json.sig < manifest.json
        let manifest = try Self.entry(BundleLayout.manifest, in: zip)
        try Self.entry(BundleLayout.signature, in: zip).write(to: URL(fileURLWithPath: scratch.path("manifest.json.sig")))
        try Data("auditor \(try String(contentsOfFile: keyPath + ".pub", encoding: .utf8))".utf8).write(to: URL(fileURLWithPath: scratch.path("allowed")))
        let good = try Self.run("/usr/bin/ssh-keygen", ["-Y", "verify", "-f", scratch.path("allowed"), "-I", "auditor", "-n", "evident",
                                                        "-s", scratch.path("manifest.json.sig")], input: manifest)
        #expect(good.status == 0, "\(good.err)")
        var changed = manifest
        changed[changed.startIndex] ^= 0x20
        let bad = try Self.run("/usr/bin/ssh-keygen", ["-Y", "verify", "-f", scratch.path("allowed"), "-I", "auditor", "-n", "evident",
                                                       "-s", scratch.path("manifest.json.sig")], input: changed)
        #expect(bad.status != 0)

        // securesystemslib: the envelope, and the keyid it computes itself.
        let attestation = try Self.entry(BundleLayout.attestation, in: zip)
        try attestation.write(to: URL(fileURLWithPath: scratch.path("attestation.json")))
        let script = Self.packageRoot.appendingPathComponent("scripts/verify-dsse").path
        let python = try Self.run("/usr/bin/env", ["python3", script, scratch.path("attestation.json"), keyPath + ".pub"])
        if python.status == 3 {
            print("note: securesystemslib (with cryptography) is not installed (pip install 'securesystemslib[crypto]'; .ci/run does): the DSSE check by it is skipped")
        } else {
            #expect(python.status == 0, "\(python.err)")
            let envelope = try JSONDecoder().decode(DSSEEnvelope.self, from: attestation)
            #expect(python.out.contains("keyid \(envelope.signatures.first?.keyid ?? "none")"))
            var forged = envelope
            forged.payload = Data(String(decoding: try #require(envelope.payloadBytes), as: UTF8.self).replacingOccurrences(of: "\"test\"", with: "\"tost\"").utf8).base64EncodedString()
            try BundleJSON.encode(forged).write(to: URL(fileURLWithPath: scratch.path("forged.json")))
            let refused = try Self.run("/usr/bin/env", ["python3", script, scratch.path("forged.json"), keyPath + ".pub"])
            #expect(refused.status == 1, "\(refused.out)")
        }

        // The statement: every bundle file and the manifest by SHA-256, the commit by id, evident's predicate.
        let envelope = try JSONDecoder().decode(DSSEEnvelope.self, from: attestation)
        #expect(envelope.payloadType == "application/vnd.in-toto+json")
        let payloadBytes = try #require(envelope.payloadBytes)
        let statement = try #require(try JSONSerialization.jsonObject(with: Data(payloadBytes)) as? [String: Any])
        #expect(statement["_type"] as? String == "https://in-toto.io/Statement/v1")
        let subjects = try #require(statement["subject"] as? [[String: Any]])
        #expect(subjects.count == result.manifest.files.count + 2)
        #expect(subjects.contains { ($0["digest"] as? [String: String])?["gitCommit"] == result.manifest.commit.id })
        #expect(subjects.contains { $0["name"] as? String == "manifest.json" && ($0["digest"] as? [String: String])?["sha256"] == HexDigest.hex(SHA256.hash(data: manifest)) })
    }

    /// An attestation whose subjects were edited (and re-signed by another key) fails, naming the file.
    @Test func attestationSubjectsMustMatchTheBundle() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try BundleKeys.generate(at: scratch.path("key"), force: false)
        let workspace = try Demo.build(in: scratch)
        let zip = scratch.path("signed.zip")
        _ = try Demo.export(workspace, to: zip, key: scratch.path("key"))
        var entries = try ZipCraft.entries(of: zip)
        let index = try #require(entries.firstIndex { $0.0 == BundleLayout.attestation })
        let envelope = try JSONDecoder().decode(DSSEEnvelope.self, from: entries[index].1)
        let payload = String(decoding: try #require(envelope.payloadBytes), as: UTF8.self)
        let coverage = try #require(payload.range(of: "\"name\":\"coverage.json\""))
        let edited = payload.replacingCharacters(in: coverage, with: "\"name\":\"coverage2.json\"")
        let key = try BundleKeys.loadPrivate(scratch.path("key"))
        entries[index].1 = try BundleJSON.encode(DSSEEnvelope.sign(payload: Array(edited.utf8), payloadType: envelope.payloadType, key: key))
        try ZipCraft.write(entries, to: scratch.path("edited.zip"))
        let result = try BundleVerifier().verify(URL(fileURLWithPath: scratch.path("edited.zip")), publicKey: key.publicKey)
        #expect(result.problems.map(\.kind) == [.attestationMismatch, .attestationMismatch])
        #expect(result.problems.contains { $0.message.contains("coverage.json is not a subject") })
    }

    /// A bundle signed the way evident 0.x signed (JSON Ed25519 signature, evident key files) still verifies.
    @Test func bundlesSignedByOlderVersionsStillVerify() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let workspace = try Demo.build(in: scratch)
        _ = try Demo.export(workspace, to: scratch.path("unsigned.zip"))
        let oldKey = Curve25519.Signing.PrivateKey()
        var entries = try ZipCraft.entries(of: scratch.path("unsigned.zip"))
        let manifest = try #require(entries.first { $0.0 == BundleLayout.manifest }).1
        let signature = try BundleSignature(algorithm: "ed25519", keyFingerprint: BundleKeys.legacyFingerprint(oldKey.publicKey),
                                            signature: try oldKey.signature(for: manifest).base64EncodedString()).encoded()
        entries.append((BundleLayout.signature, signature))
        try ZipCraft.write(entries, to: scratch.path("old.zip"))
        let publicText = "-----BEGIN EVIDENT ED25519 PUBLIC KEY-----\n\(oldKey.publicKey.rawRepresentation.base64EncodedString())\n-----END EVIDENT ED25519 PUBLIC KEY-----\n"
        try Data(publicText.utf8).write(to: URL(fileURLWithPath: scratch.path("old.pub")))
        let result = try BundleVerifier().verify(URL(fileURLWithPath: scratch.path("old.zip")), publicKey: try BundleKeys.loadPublic(scratch.path("old.pub")))
        #expect(result.isIntact, "\(result.problems)")
        #expect(result.signatureFormat == "evident-0" && result.signatureFingerprint == BundleKeys.legacyFingerprint(oldKey.publicKey))
        // The old private key format still signs (now in the standard formats).
        let privateText = "-----BEGIN EVIDENT ED25519 PRIVATE KEY-----\n\(oldKey.rawRepresentation.base64EncodedString())\n-----END EVIDENT ED25519 PRIVATE KEY-----\n"
        try Data(privateText.utf8).write(to: URL(fileURLWithPath: scratch.path("old.key")))
        _ = try Demo.export(workspace, to: scratch.path("new.zip"), key: scratch.path("old.key"))
        #expect(try BundleVerifier().verify(URL(fileURLWithPath: scratch.path("new.zip")), publicKey: try BundleKeys.loadPublic(scratch.path("old.pub"))).isIntact)
        // Another key on the old signature: named, not valid.
        let other = try BundleVerifier().verify(URL(fileURLWithPath: scratch.path("old.zip")), publicKey: SSHPrivateKey.generateEd25519(comment: "").publicKey)
        #expect(other.problems.map(\.kind) == [.signatureOtherKey])
    }

    @Test func encryptedAndWeakKeysAreRefusedClearly() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        _ = try Self.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "secret", "-f", scratch.path("locked")])
        let workspace = try Demo.build(in: scratch)
        do {
            _ = try Demo.export(workspace, to: scratch.path("x.zip"), key: scratch.path("locked"))
            Issue.record("exported with an encrypted key")
        } catch let error as BundleError {
            #expect("\(error)".contains("passphrase-protected"))
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("x.zip")))
        _ = try Self.run("/usr/bin/ssh-keygen", ["-q", "-t", "rsa", "-b", "1024", "-N", "", "-f", scratch.path("small")])
        #expect(throws: BundleError.self) { _ = try BundleKeys.loadPrivate(scratch.path("small")) }
        #expect(throws: BundleError.self) { _ = try BundleKeys.loadPublic(scratch.path("small.pub")) }
    }
}
