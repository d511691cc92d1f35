import Crypto
import Foundation
@testable import Signatures
import Testing

@Suite struct DSSETests {
    /// DSSE's published test vector (protocol.md "Test Vectors"): the PAE bytes, and its ECDSA P-256 signature verifying over them.
    @Test func paeMatchesThePublishedVector() throws {
        let pae = DSSEEnvelope.pae(payloadType: "http://example.com/HelloWorld", payload: Array("hello world".utf8))
        #expect(String(decoding: pae, as: UTF8.self) == "DSSEv1 29 http://example.com/HelloWorld 11 hello world")
        let x = Self.bytes(decimal: "46950820868899156662930047687818585632848591499744589407958293238635476079160", width: 32)
        let y = Self.bytes(decimal: "5640078356564379163099075877009565129882514886557779369047442380624545832820", width: 32)
        let key = try P256.Signing.PublicKey(x963Representation: [0x04] + x + y)
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: Data(base64Encoded: "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==")!)
        #expect(key.isValidSignature(signature, for: pae))
        #expect(!key.isValidSignature(signature, for: DSSEEnvelope.pae(payloadType: "http://example.com/HelloWorld", payload: Array("hello world!".utf8))))
    }

    static func bytes(decimal: String, width: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: width)
        for digit in decimal.compactMap(\.wholeNumberValue) {
            var carry = digit
            for index in out.indices.reversed() {
                let value = Int(out[index]) * 10 + carry
                out[index] = UInt8(value & 0xFF)
                carry = value >> 8
            }
        }
        return out
    }

    @Test func envelopesVerifyOnlyUnderTheirKeyAndPayload() throws {
        let key = SSHPrivateKey.generateEd25519(comment: "")
        let envelope = try DSSEEnvelope.sign(payload: Array("{}".utf8), payloadType: InTotoStatement.payloadType, key: key)
        #expect(envelope.isSigned(by: key.publicKey))
        #expect(!envelope.isSigned(by: SSHPrivateKey.generateEd25519(comment: "").publicKey))
        var changed = envelope
        changed.payload = Data("{ }".utf8).base64EncodedString()
        #expect(!changed.isSigned(by: key.publicKey))
        changed = envelope
        changed.payloadType = "application/json"
        #expect(!changed.isSigned(by: key.publicKey))
    }

    /// The keyid as securesystemslib computes it, for a key whose canonical JSON is known.
    @Test func keyidIsTheSHA256OfTheCanonicalKey() throws {
        let raw = [UInt8](repeating: 7, count: 32)
        var writer = SSHWriter()
        writer.string("ssh-ed25519")
        writer.string(raw)
        let key = try #require(SecureSystemsLibKey(try SSHPublicKey(blob: writer.bytes)))
        let hex = String(repeating: "07", count: 32)
        #expect(key.canonicalJSON == "{\"keytype\":\"ed25519\",\"keyval\":{\"public\":\"\(hex)\"},\"scheme\":\"ed25519\"}")
        #expect(key.keyid == SHA256.hash(data: Array(key.canonicalJSON.utf8)).map { String(format: "%02x", $0) }.joined())
    }
}
