import _CryptoExtras
import Crypto
import Foundation

/// A DSSE envelope (github.com/secure-systems-lab/dsse, protocol v1): a payload, its type, and signatures over
/// the pre-authentication encoding (PAE) of both.
public struct DSSEEnvelope: Codable, Sendable, Equatable {
    public struct Signature: Codable, Sendable, Equatable {
        public var keyid: String
        /// Base64.
        public var sig: String
    }

    /// Base64 of the payload bytes.
    public var payload: String
    public var payloadType: String
    public var signatures: [Signature]

    /// `DSSEv1 SP LEN(type) SP type SP LEN(body) SP body`, lengths in ASCII decimal.
    public static func pae(payloadType: String, payload: [UInt8]) -> [UInt8] {
        let type = Array(payloadType.utf8)
        return Array("DSSEv1 \(type.count) ".utf8) + type + Array(" \(payload.count) ".utf8) + payload
    }

    /// Signs `payload` with `key` (Ed25519, ECDSA DER, or RSA-PSS SHA-256, as securesystemslib's schemes expect).
    public static func sign(payload: [UInt8], payloadType: String, key: SSHPrivateKey) throws -> DSSEEnvelope {
        let signature = try key.rawSignature(over: pae(payloadType: payloadType, payload: payload))
        return DSSEEnvelope(payload: Data(payload).base64EncodedString(), payloadType: payloadType,
                            signatures: [Signature(keyid: SecureSystemsLibKey(key.publicKey)?.keyid ?? "", sig: Data(signature).base64EncodedString())])
    }

    /// The decoded payload, nil when it is not base64 (standard or URL-safe, as DSSE verifiers must accept).
    public var payloadBytes: [UInt8]? { Self.base64(payload) }

    static func base64(_ text: String) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map(Array.init)
    }

    /// Whether some signature verifies under `key` over the PAE of this payload and type.
    public func isSigned(by key: SSHPublicKey) -> Bool {
        guard let payloadBytes else { return false }
        let message = Self.pae(payloadType: payloadType, payload: payloadBytes)
        return signatures.contains { signature in
            guard let bytes = Self.base64(signature.sig) else { return false }
            return Self.verifyRaw(bytes, over: message, key: key)
        }
    }

    static func verifyRaw(_ signature: [UInt8], over message: [UInt8], key: SSHPublicKey) -> Bool {
        switch key.material {
        case .ed25519(let k): return key.type == .ed25519 && k.isValidSignature(signature, for: message)
        case .p256(let k): return key.type == .ecdsaP256 && ((try? P256.Signing.ECDSASignature(derRepresentation: signature)).map { k.isValidSignature($0, for: message) } ?? false)
        case .p384(let k): return (try? P384.Signing.ECDSASignature(derRepresentation: signature)).map { k.isValidSignature($0, for: message) } ?? false
        case .p521(let k): return (try? P521.Signing.ECDSASignature(derRepresentation: signature)).map { k.isValidSignature($0, for: message) } ?? false
        case .rsa(let k, _):
            return k.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: message), padding: .PSS)
        }
    }
}

/// A key as securesystemslib describes it (`keytype`, `scheme`, `keyval.public`), and the keyid it computes:
/// SHA-256 of the canonical JSON of those three fields (securesystemslib `compute_default_keyid`).
public struct SecureSystemsLibKey: Sendable, Equatable {
    public var keytype: String
    public var scheme: String
    public var publicValue: String

    /// nil for security keys, which DSSE signing does not use.
    public init?(_ key: SSHPublicKey) {
        switch key.material {
        case .ed25519(let k) where key.type == .ed25519:
            keytype = "ed25519"; scheme = "ed25519"; publicValue = k.rawRepresentation.map { String(format: "%02x", $0) }.joined()
        case .p256(let k) where key.type == .ecdsaP256:
            keytype = "ecdsa"; scheme = "ecdsa-sha2-nistp256"; publicValue = armor(Array(k.derRepresentation), label: "PUBLIC KEY", width: 64)
        case .p384(let k):
            keytype = "ecdsa"; scheme = "ecdsa-sha2-nistp384"; publicValue = armor(Array(k.derRepresentation), label: "PUBLIC KEY", width: 64)
        case .p521(let k):
            keytype = "ecdsa"; scheme = "ecdsa-sha2-nistp521"; publicValue = armor(Array(k.derRepresentation), label: "PUBLIC KEY", width: 64)
        case .rsa(let k, _):
            keytype = "rsa"; scheme = "rsassa-pss-sha256"; publicValue = armor(Array(k.derRepresentation), label: "PUBLIC KEY", width: 64)
        default:
            return nil
        }
    }

    /// `{"keytype":...,"keyval":{"public":...},"scheme":...}` in canonical JSON (only `"` and `\` escaped).
    public var canonicalJSON: String {
        func quote(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return "{\"keytype\":\(quote(keytype)),\"keyval\":{\"public\":\(quote(publicValue))},\"scheme\":\(quote(scheme))}"
    }

    public var keyid: String {
        SHA256.hash(data: Array(canonicalJSON.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// An in-toto Statement v1 (github.com/in-toto/attestation spec/v1/statement.md).
public enum InTotoStatement {
    public static let type = "https://in-toto.io/Statement/v1"
    public static let payloadType = "application/vnd.in-toto+json"

    /// A subject: a name and its digests (`sha256`, `gitCommit`, ...).
    public struct Subject: Sendable, Equatable {
        public var name: String
        public var digest: [String: String]
        public init(name: String, digest: [String: String]) {
            self.name = name
            self.digest = digest
        }
    }

    /// The statement as JSON bytes (sorted keys).
    public static func json(subjects: [Subject], predicateType: String, predicate: [String: Any]) throws -> [UInt8] {
        let object: [String: Any] = [
            "_type": type,
            "subject": subjects.map { ["name": $0.name, "digest": $0.digest] },
            "predicateType": predicateType,
            "predicate": predicate,
        ]
        return Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
    }
}
