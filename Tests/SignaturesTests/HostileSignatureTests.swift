import Foundation
import GitKit
@testable import Signatures
import Testing

/// Random damage to real signatures, keys and files: every parser answers with an error or a verdict, and a
/// damaged signature is never G.
@Suite struct HostileSignatureTests {
    /// A small deterministic generator (SplitMix64), so a failure names a reproducible seed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func mutatedArmoredSignaturesAreNeverGood() throws {
        let key = SSHPrivateKey.generateEd25519(comment: "")
        let payload = Array("tree 0\nauthor A <a@b> 1 +0000\n\nmessage\n".utf8)
        let armored = Array(try SSHSignature.sign(payload, namespace: "git", with: key).armored.utf8)
        let checker = GitSignatureChecker(allowedSigners: AllowedSigners(text: "a@b \(key.publicKey.openSSH)"))
        #expect(checker.verdict(payload: payload, signature: String(decoding: armored, as: UTF8.self), time: Date()).status == .good)
        var random = Generator(state: 18)
        for round in 0..<3000 {
            var damaged = armored
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: 0..<damaged.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: damaged[index] = UInt8.random(in: 0...255, using: &random)
                case 1: damaged.remove(at: index)
                default: damaged.insert(UInt8.random(in: 0...255, using: &random), at: index)
                }
            }
            guard damaged != armored else { continue }
            let text = String(decoding: damaged, as: UTF8.self)
            // Base64 can decode to the same bytes despite a changed line break or padding: only then may it stay good.
            let verdict = checker.verdict(payload: payload, signature: text, time: Date())
            if verdict.status == .good {
                let same = try? SSHSignature(armored: text)
                #expect(same?.bytes == (try SSHSignature(armored: String(decoding: armored, as: UTF8.self))).bytes, "round \(round): a damaged signature is good")
            }
        }
    }

    @Test func randomBytesNeverCrashTheParsers() {
        var random = Generator(state: 7)
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 0...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            _ = try? SSHPublicKey(blob: bytes)
            _ = try? SSHSignature(bytes: Array("SSHSIG".utf8) + bytes)
            _ = try? OpenPGPSignature(packets: bytes)
            _ = try? OpenPGPSignature(packets: [0xC2, UInt8(min(bytes.count, 191))] + bytes)
            _ = AllowedSigners(text: String(decoding: bytes, as: UTF8.self))
            _ = SignedObjectProbe.split(bytes)
        }
    }
}

/// Raw commit and tag splitting on arbitrary bytes.
enum SignedObjectProbe {
    static func split(_ bytes: [UInt8]) -> Bool {
        let commit = SignedObject.commit(raw: Array("gpgsig ".utf8) + bytes)
        let tag = SignedObject.tag(raw: bytes + Array("\n-----BEGIN SSH SIGNATURE-----\n".utf8))
        return commit.payload.count <= bytes.count + 7 && tag.payload.count <= bytes.count + 1
    }
}
