import Crypto
import Foundation
@testable import Signatures
import Testing

/// SSHSIG and OpenSSH keys against ssh-keygen: its signatures verify here, ours verify there.
@Suite struct SSHSignatureTests {
    static let keyTypes: [(String, Int?)] = [("ed25519", nil), ("ecdsa", 256), ("ecdsa", 384), ("ecdsa", 521), ("rsa", 2048), ("rsa", 3072)]

    @Test(arguments: keyTypes) func ourSignaturesVerifyWithSSHKeygenAndTheirsHere(type: String, bits: Int?) throws {
        let oracle = try Oracle()
        let keyPath = try oracle.keygen("key", type: type, bits: bits)
        let key = try SSHPrivateKey(openSSH: try oracle.read(keyPath))
        let publicKey = try SSHPublicKey(openSSH: try oracle.read(keyPath + ".pub"))
        #expect(key.publicKey == publicKey)
        let fingerprint = try oracle.run("/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", keyPath + ".pub"]).out
        #expect(fingerprint.contains(publicKey.fingerprint))
        let message = Array("manifest bytes\n".utf8)
        let allowed = try oracle.write("auditor \(publicKey.openSSH)\n", to: "allowed")

        // Ours, checked by ssh-keygen -Y verify (RSA: both rsa-sha2-512 and rsa-sha2-256).
        var signatures = [try SSHSignature.sign(message, namespace: "evident", with: key)]
        if type == "rsa" {
            let toSign = SSHSignature.signedData(message, namespace: "evident", hashAlgorithm: "sha512")
            signatures.append(SSHSignature(publicKey: key.publicKey, namespace: "evident", hashAlgorithm: "sha512",
                                           signatureBlob: try key.signatureBlob(over: toSign, rsaSHA256: true)))
        }
        for signature in signatures {
            let sigPath = try oracle.write(signature.armored, to: "ours.sig")
            let verified = try oracle.run("/usr/bin/ssh-keygen", ["-Y", "verify", "-f", allowed, "-I", "auditor", "-n", "evident", "-s", sigPath],
                                          input: message, check: false)
            #expect(verified.status == 0, "\(verified.err)")
            #expect(try signature.verify(message, namespace: "evident") == .valid(nil))
            #expect(try signature.verify(message + [0x0A], namespace: "evident") == .invalid)
            #expect(try signature.verify(message, namespace: "git") == .wrongNamespace("evident"))
        }

        // Theirs (sha512 and sha256 hashes), checked here.
        let messagePath = try oracle.write("manifest bytes\n", to: "message")
        for hash in ["sha512", "sha256"] {
            try oracle.run("/usr/bin/ssh-keygen", ["-Y", "sign", "-n", "evident", "-O", "hashalg=\(hash)", "-f", keyPath, messagePath])
            let theirs = try SSHSignature(armored: try oracle.read(messagePath + ".sig"))
            try FileManager.default.removeItem(atPath: messagePath + ".sig")
            #expect(theirs.hashAlgorithm == hash)
            #expect(theirs.publicKey == publicKey)
            #expect(try theirs.verify(message, namespace: "evident") == .valid(nil))
            #expect(try theirs.verify(Array("other bytes\n".utf8), namespace: "evident") == .invalid)
        }
    }

    @Test func smallRSAKeysAreRefused() throws {
        let oracle = try Oracle()
        let keyPath = try oracle.keygen("small", type: "rsa", bits: 1024)
        #expect(throws: SignatureError.weakKey(bits: 1024)) { try SSHPublicKey(openSSH: try oracle.read(keyPath + ".pub")) }
        #expect(throws: SignatureError.weakKey(bits: 1024)) { try SSHPrivateKey(openSSH: try oracle.read(keyPath)) }
    }

    @Test func encryptedPrivateKeysAreRefusedClearly() throws {
        let oracle = try Oracle()
        let keyPath = try oracle.keygen("locked", type: "ed25519", passphrase: "correct horse")
        do {
            _ = try SSHPrivateKey(openSSH: try oracle.read(keyPath))
            Issue.record("an encrypted key was read")
        } catch let error as SignatureError {
            #expect(error == .encryptedPrivateKey(cipher: "aes256-ctr"))
            #expect(error.description.contains("passphrase-protected"))
        }
    }

    @Test func keysWeWriteAreReadBySSHKeygen() throws {
        let oracle = try Oracle()
        let key = SSHPrivateKey.generateEd25519(comment: "evident")
        let path = try oracle.write(try #require(key.openSSH), to: "written")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let derived = try oracle.run("/usr/bin/ssh-keygen", ["-y", "-f", path]).out
        #expect(try SSHPublicKey(openSSH: derived) == key.publicKey)
        #expect(try SSHPrivateKey(openSSH: try oracle.read(path)).publicKey == key.publicKey)
    }

    /// Every truncation and every single-byte change of a real signature: an error or "invalid", never valid, never a crash.
    @Test func damagedSignaturesNeverVerify() throws {
        let key = SSHPrivateKey.generateEd25519(comment: "")
        let message = Array("payload".utf8)
        let signature = try SSHSignature.sign(message, namespace: "git", with: key)
        let bytes = signature.bytes
        for length in 0..<bytes.count {
            #expect(throws: (any Error).self) { try SSHSignature(bytes: Array(bytes.prefix(length))) }
        }
        for index in bytes.indices {
            var changed = bytes
            changed[index] ^= 0x01
            guard let parsed = try? SSHSignature(bytes: changed) else { continue }
            let outcome = try? parsed.verify(message, namespace: "git")
            #expect(outcome != .valid(nil), "byte \(index) changed and the signature still verifies")
        }
        #expect(throws: (any Error).self) { try SSHSignature(armored: "-----BEGIN SSH SIGNATURE-----\n!!!\n-----END SSH SIGNATURE-----\n") }
        #expect(throws: (any Error).self) { try SSHSignature(armored: "no armor") }
    }

    @Test func unknownKeyTypesAreNamed() throws {
        var writer = SSHWriter()
        writer.string("ssh-dss")
        writer.string([UInt8](repeating: 1, count: 20))
        #expect(throws: SignatureError.unsupportedKeyType("ssh-dss")) { try SSHPublicKey(blob: writer.bytes) }
        let checker = GitSignatureChecker(allowedSigners: AllowedSigners(text: ""))
        var sig = SSHWriter()
        sig.raw(Array("SSHSIG".utf8)); sig.uint32(1); sig.string(writer.bytes); sig.string("git"); sig.string([UInt8]()); sig.string("sha512"); sig.string([UInt8](repeating: 0, count: 8))
        let verdict = checker.verdict(payload: [UInt8](), signature: armor(sig.bytes, label: "SSH SIGNATURE", width: 70), time: Date())
        #expect(verdict.status == .cannotCheck)
        #expect(verdict.reason.contains("ssh-dss"))
    }

    /// Security keys cannot be made without hardware: these signatures are built through the same code path with
    /// a software P-256 / Ed25519 key and the sk signed-data layout (PROTOCOL.u2f), then checked by the verifier.
    @Test(arguments: [true, false]) func securityKeySignaturesVerifyWithFlagsAndCounter(ed25519: Bool) throws {
        let message = Array("commit payload\n".utf8)
        let application = "ssh:"
        let software = Curve25519.Signing.PrivateKey()
        let softwareP256 = P256.Signing.PrivateKey()
        var keyWriter = SSHWriter()
        if ed25519 {
            keyWriter.string("sk-ssh-ed25519@openssh.com"); keyWriter.string(Array(software.publicKey.rawRepresentation))
        } else {
            keyWriter.string("sk-ecdsa-sha2-nistp256@openssh.com"); keyWriter.string("nistp256"); keyWriter.string(Array(softwareP256.publicKey.x963Representation))
        }
        keyWriter.string(application)
        let publicKey = try SSHPublicKey(blob: keyWriter.bytes)
        #expect(publicKey.application == application)
        func signature(flags: UInt8, counter: UInt32, signedCounter: UInt32? = nil) throws -> String {
            let toSign = SSHSignature.signedData(message, namespace: "git", hashAlgorithm: "sha512")
            let authenticatorData = SecurityKeyDetails.signedData(application: application, flags: flags, counter: signedCounter ?? counter, message: toSign)
            var blob = SSHWriter()
            blob.string(publicKey.type.rawValue)
            if ed25519 {
                blob.string(Array(try software.signature(for: authenticatorData)))
            } else {
                let raw = try softwareP256.signature(for: authenticatorData).rawRepresentation
                var inner = SSHWriter(); inner.mpint(raw.prefix(32)); inner.mpint(raw.dropFirst(32))
                blob.string(inner.bytes)
            }
            blob.byte(flags)
            blob.uint32(counter)
            return SSHSignature(publicKey: publicKey, namespace: "git", hashAlgorithm: "sha512", signatureBlob: blob.bytes).armored
        }
        let signers = AllowedSigners(text: "dev@example.org \(publicKey.openSSH)")
        #expect(signers.problems.isEmpty)
        let checker = GitSignatureChecker(allowedSigners: signers)
        let good = checker.verdict(payload: message, signature: try signature(flags: 0x01, counter: 42), time: Date())
        #expect(good.status == .good, "\(good.reason)")
        #expect(good.reason.contains("counter 42"))
        let untouched = checker.verdict(payload: message, signature: try signature(flags: 0x00, counter: 42), time: Date())
        #expect(untouched.status == .bad)
        #expect(untouched.reason.contains("user presence"))
        let replayed = checker.verdict(payload: message, signature: try signature(flags: 0x01, counter: 43, signedCounter: 42), time: Date())
        #expect(replayed.status == .bad)
        let other = checker.verdict(payload: Array("other\n".utf8), signature: try signature(flags: 0x05, counter: 1), time: Date())
        #expect(other.status == .bad)
    }
}
