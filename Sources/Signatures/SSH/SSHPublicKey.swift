import _CryptoExtras
import Crypto
import Foundation

/// An OpenSSH public key: the types git and ssh-keygen sign with, security keys included.
public struct SSHPublicKey: Sendable, Hashable, CustomStringConvertible {
    /// The key's type name as OpenSSH writes it.
    public enum KeyType: String, Sendable, CaseIterable {
        case ed25519 = "ssh-ed25519"
        case ecdsaP256 = "ecdsa-sha2-nistp256"
        case ecdsaP384 = "ecdsa-sha2-nistp384"
        case ecdsaP521 = "ecdsa-sha2-nistp521"
        case rsa = "ssh-rsa"
        case skEd25519 = "sk-ssh-ed25519@openssh.com"
        case skECDSAP256 = "sk-ecdsa-sha2-nistp256@openssh.com"

        var curveName: String? {
            switch self {
            case .ecdsaP256, .skECDSAP256: return "nistp256"
            case .ecdsaP384: return "nistp384"
            case .ecdsaP521: return "nistp521"
            default: return nil
            }
        }
    }

    enum Material: @unchecked Sendable {
        case ed25519(Curve25519.Signing.PublicKey)
        case p256(P256.Signing.PublicKey)
        case p384(P384.Signing.PublicKey)
        case p521(P521.Signing.PublicKey)
        case rsa(_RSA.Signing.PublicKey, bits: Int)
    }

    public let type: KeyType
    /// The wire encoding (what `authorized_keys` holds in base64, and what fingerprints hash).
    public let blob: [UInt8]
    /// The FIDO application of a security key (`ssh:` by default).
    public let application: String?
    let material: Material

    public static func == (lhs: SSHPublicKey, rhs: SSHPublicKey) -> Bool { lhs.blob == rhs.blob }
    public func hash(into hasher: inout Hasher) { hasher.combine(blob) }

    init(type: KeyType, blob: [UInt8], application: String?, material: Material) {
        self.type = type
        self.blob = blob
        self.application = application
        self.material = material
    }

    /// An Ed25519 public key as OpenSSH encodes it.
    public init(ed25519 key: Curve25519.Signing.PublicKey) {
        var writer = SSHWriter()
        writer.string("ssh-ed25519")
        writer.string(Array(key.rawRepresentation))
        self.init(type: .ed25519, blob: writer.bytes, application: nil, material: .ed25519(key))
    }

    /// The Ed25519 key inside, for formats that hold raw Ed25519 keys (evident 0.x signatures); nil for other types.
    public var ed25519Key: Curve25519.Signing.PublicKey? {
        if case .ed25519(let key) = material, type == .ed25519 { return key }
        return nil
    }

    /// Parses a public key blob (the SSH wire encoding).
    public init<D: Collection>(blob data: D) throws where D.Element == UInt8 {
        var reader = SSHReader(data, context: "public key")
        let name = try reader.text()
        guard let type = KeyType(rawValue: name) else { throw SignatureError.unsupportedKeyType(name) }
        self.type = type
        var application: String?
        switch type {
        case .ed25519, .skEd25519:
            let raw = try reader.string()
            guard raw.count == 32, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
                throw SignatureError.malformed("an Ed25519 public key must be 32 bytes")
            }
            material = .ed25519(key)
        case .ecdsaP256, .ecdsaP384, .ecdsaP521, .skECDSAP256:
            let curve = try reader.text()
            guard curve == type.curveName else { throw SignatureError.malformed("key type \(name) names curve '\(curve)'") }
            let point = try reader.string()
            do {
                switch type {
                case .ecdsaP384: material = .p384(try P384.Signing.PublicKey(x963Representation: point))
                case .ecdsaP521: material = .p521(try P521.Signing.PublicKey(x963Representation: point))
                default: material = .p256(try P256.Signing.PublicKey(x963Representation: point))
                }
            } catch {
                throw SignatureError.malformed("the \(curve) public point is not on the curve")
            }
        case .rsa:
            let e = try reader.unsignedMPInt(), n = try reader.unsignedMPInt()
            guard !e.isEmpty, !n.isEmpty else { throw SignatureError.malformed("RSA key with a zero modulus or exponent") }
            let bits = n.count * 8 - (n.first.map { $0.leadingZeroBitCount } ?? 0)
            guard bits >= 2048 else { throw SignatureError.weakKey(bits: bits) }
            guard bits <= 16384, let key = try? _RSA.Signing.PublicKey(n: n, e: e) else {
                throw SignatureError.malformed("not a usable RSA public key")
            }
            material = .rsa(key, bits: bits)
        }
        if type == .skEd25519 || type == .skECDSAP256 { application = try reader.text() }
        self.application = application
        guard reader.isAtEnd else { throw SignatureError.malformed("bytes after the public key") }
        blob = Array(data)
    }

    /// Parses `TYPE BASE64 [COMMENT]` (an `.pub` file or an `authorized_keys`-style line).
    public init(openSSH text: String) throws {
        let fields = text.trimmingCharacters(in: .whitespacesAndNewlines).split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 2 else { throw SignatureError.malformed("an OpenSSH public key is 'TYPE BASE64 [COMMENT]'") }
        guard let data = Data(base64Encoded: String(fields[1])) else { throw SignatureError.malformed("the key is not base64") }
        try self.init(blob: data)
        guard type.rawValue == fields[0] else {
            throw SignatureError.malformed("the line says '\(fields[0])' but the key inside is \(type.rawValue)")
        }
    }

    /// `SHA256:` and the unpadded base64 SHA-256 of the blob, as `ssh-keygen -l` prints it.
    public var fingerprint: String {
        "SHA256:" + Data(SHA256.hash(data: blob)).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    /// `TYPE BASE64`, as a `.pub` file or an allowed-signers line holds it.
    public var openSSH: String { "\(type.rawValue) \(Data(blob).base64EncodedString())" }

    public var description: String { "\(type.rawValue) \(fingerprint)" }

    /// Key size in bits (the modulus for RSA, the curve for the others).
    public var bits: Int {
        switch material {
        case .ed25519: return 256
        case .p256: return 256
        case .p384: return 384
        case .p521: return 521
        case .rsa(_, let bits): return bits
        }
    }

    /// Checks an SSH signature blob (`string algorithm, string signature[, byte flags, uint32 counter]`) over `data`.
    /// Returns the security-key details (sk-* keys) or nil; throws `SignatureVerificationFailure` when the
    /// signature does not verify, and `SignatureError` when the blob cannot be read or does not fit this key.
    public func verify<D: DataProtocol>(signatureBlob: [UInt8], over data: D) throws -> SecurityKeyDetails? {
        var reader = SSHReader(signatureBlob, context: "signature")
        let algorithm = try reader.text()
        let signature = try reader.string()
        var details: SecurityKeyDetails?
        if type == .skEd25519 || type == .skECDSAP256 {
            let flags = try reader.byte(), counter = try reader.uint32()
            details = SecurityKeyDetails(flags: flags, counter: counter)
        }
        guard reader.isAtEnd else { throw SignatureError.malformed("bytes after the signature") }
        let valid: Bool
        switch (type, material) {
        case (.ed25519, .ed25519(let key)):
            guard algorithm == type.rawValue else { throw SignatureError.malformed("a \(type.rawValue) key with a \(algorithm) signature") }
            valid = key.isValidSignature(signature, for: data)
        case (.skEd25519, .ed25519(let key)):
            guard algorithm == type.rawValue, let details else { throw SignatureError.malformed("a \(type.rawValue) key with a \(algorithm) signature") }
            valid = key.isValidSignature(signature, for: securityKeySignedData(data, details))
        case (.ecdsaP256, _), (.ecdsaP384, _), (.ecdsaP521, _), (.skECDSAP256, _):
            guard algorithm == type.rawValue else { throw SignatureError.malformed("a \(type.rawValue) key with a \(algorithm) signature") }
            var inner = SSHReader(signature, context: "ECDSA signature")
            let r = try inner.unsignedMPInt(), s = try inner.unsignedMPInt()
            guard inner.isAtEnd else { throw SignatureError.malformed("bytes after the ECDSA signature") }
            let message: [UInt8] = details.map { securityKeySignedData(data, $0) } ?? Array(data)
            valid = ecdsaValid(r: r, s: s, message: message)
        case (.rsa, .rsa(let key, _)):
            let sha: Bool
            switch algorithm {
            case "rsa-sha2-256": sha = false
            case "rsa-sha2-512": sha = true
            case "ssh-rsa": throw SignatureError.malformed("RSA signature with SHA-1 (ssh-rsa) refused: only rsa-sha2-256 and rsa-sha2-512 are accepted")
            default: throw SignatureError.malformed("an RSA key with a \(algorithm) signature")
            }
            let modulusBytes = (bits + 7) / 8
            guard let padded = fixedWidth(signature, modulusBytes) else { throw SignatureError.malformed("RSA signature longer than the modulus") }
            let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: padded)
            valid = sha ? key.isValidSignature(rsaSignature, for: SHA512.hash(data: Array(data)), padding: .insecurePKCS1v1_5)
                : key.isValidSignature(rsaSignature, for: SHA256.hash(data: Array(data)), padding: .insecurePKCS1v1_5)
        default:
            throw SignatureError.malformed("key and signature types disagree")
        }
        guard valid else { throw SignatureVerificationFailure() }
        return details
    }

    private func ecdsaValid(r: [UInt8], s: [UInt8], message: [UInt8]) -> Bool {
        func raw(_ width: Int) -> [UInt8]? {
            guard let r = fixedWidth(r, width), let s = fixedWidth(s, width) else { return nil }
            return r + s
        }
        switch material {
        case .p256(let key):
            guard let raw = raw(32), let sig = try? P256.Signing.ECDSASignature(rawRepresentation: raw) else { return false }
            return key.isValidSignature(sig, for: message)
        case .p384(let key):
            guard let raw = raw(48), let sig = try? P384.Signing.ECDSASignature(rawRepresentation: raw) else { return false }
            return key.isValidSignature(sig, for: message)
        case .p521(let key):
            guard let raw = raw(66), let sig = try? P521.Signing.ECDSASignature(rawRepresentation: raw) else { return false }
            return key.isValidSignature(sig, for: message)
        default:
            return false
        }
    }

    /// What a FIDO security key signs: SHA-256(application) || flags || counter || SHA-256(message).
    func securityKeySignedData<D: DataProtocol>(_ data: D, _ details: SecurityKeyDetails) -> [UInt8] {
        SecurityKeyDetails.signedData(application: application ?? "", flags: details.flags, counter: details.counter, message: data)
    }
}

/// The signature did not verify under the key (as opposed to a signature that could not be read).
public struct SignatureVerificationFailure: Error, Sendable {}

/// What a security-key (sk-*) signature adds: the authenticator's flags and signature counter.
public struct SecurityKeyDetails: Sendable, Equatable {
    public var flags: UInt8
    public var counter: UInt32
    /// Bit 0: the user touched the key.
    public var userPresent: Bool { flags & 0x01 != 0 }
    /// Bit 2: the user was verified (PIN or biometrics).
    public var userVerified: Bool { flags & 0x04 != 0 }

    public init(flags: UInt8, counter: UInt32) {
        self.flags = flags
        self.counter = counter
    }

    /// The bytes a FIDO authenticator signs for OpenSSH (PROTOCOL.u2f): SHA-256(application), flags, counter, SHA-256(message).
    public static func signedData<D: DataProtocol>(application: String, flags: UInt8, counter: UInt32, message: D) -> [UInt8] {
        var writer = SSHWriter()
        writer.raw(SHA256.hash(data: Array(application.utf8)))
        writer.byte(flags)
        writer.uint32(counter)
        writer.raw(SHA256.hash(data: Array(message)))
        return writer.bytes
    }
}
