import Crypto
import Foundation
import GitKit
@testable import Signatures
import Testing

/// Damage to real signatures and arbitrary bytes: every parser answers with an error or a verdict, and a
/// damaged signature is never G.
@Suite struct HostileSignatureTests {
    /// Every position of an armored signature: flipped, deleted, or with a byte inserted.
    @Test func damagedArmoredSignaturesAreNeverGood() throws {
        let key = SSHPrivateKey.generateEd25519(comment: "")
        let payload = Array("tree 0\nauthor A <a@b> 1 +0000\n\nmessage\n".utf8)
        let armored = Array(try SSHSignature.sign(payload, namespace: "git", with: key).armored.utf8)
        let original = try SSHSignature(armored: String(decoding: armored, as: UTF8.self)).bytes
        let checker = GitSignatureChecker(allowedSigners: AllowedSigners(text: "a@b \(key.publicKey.openSSH)"))
        #expect(checker.verdict(payload: payload, signature: String(decoding: armored, as: UTF8.self), time: Date()).status == .good)
        for index in armored.indices {
            var flipped = armored
            flipped[index] ^= 0x01
            var deleted = armored
            deleted.remove(at: index)
            var inserted = armored
            inserted.insert(UInt8(ascii: "A"), at: index)
            for damaged in [flipped, deleted, inserted] {
                let text = String(decoding: damaged, as: UTF8.self)
                guard checker.verdict(payload: payload, signature: text, time: Date()).status == .good else { continue }
                // Only a change the base64 decoder ignores (a line break, padding) may leave the same, good signature.
                #expect((try? SSHSignature(armored: text))?.bytes == original, "byte \(index) damaged and the signature is still good")
            }
        }
    }

    @Test func twoSignatureBlocksAreBad() throws {
        let key = SSHPrivateKey.generateEd25519(comment: "")
        let payload = Array("payload\n".utf8)
        let armored = try SSHSignature.sign(payload, namespace: "git", with: key).armored
        let checker = GitSignatureChecker(allowedSigners: AllowedSigners(text: "a@b \(key.publicKey.openSSH)"))
        #expect(checker.verdict(payload: payload, signature: armored + armored, time: Date()).status == .bad)
    }

    /// Arbitrary bytes (SHA-256 blocks, deterministic) through every parser: errors, never a crash.
    @Test func arbitraryBytesNeverCrashTheParsers() {
        for round in 0..<2000 {
            var bytes: [UInt8] = []
            for block in 0..<(round % 10) { bytes += SHA256.hash(data: Array("\(round).\(block)".utf8)) }
            bytes = Array(bytes.prefix(round % 300))
            _ = try? SSHPublicKey(blob: bytes)
            _ = try? SSHSignature(bytes: Array("SSHSIG".utf8) + bytes)
            _ = try? OpenPGPSignature(packets: bytes)
            _ = try? OpenPGPSignature(packets: [0xC2, UInt8(min(bytes.count, 191))] + bytes)
            _ = try? OpenPGPKeyring(bytes: [0xC6, UInt8(min(bytes.count, 191))] + bytes)
            _ = AllowedSigners(text: String(decoding: bytes, as: UTF8.self))
            let commit = SignedObject.commit(raw: Array("gpgsig ".utf8) + bytes)
            let tag = SignedObject.tag(raw: bytes + Array("\n-----BEGIN SSH SIGNATURE-----\n".utf8))
            #expect(commit.payload.count <= bytes.count + 7 && tag.payload.count <= bytes.count + 1)
        }
    }
}
