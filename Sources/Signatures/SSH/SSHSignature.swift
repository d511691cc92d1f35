import Crypto
import Foundation

/// An SSH signature in the SSHSIG format (OpenSSH PROTOCOL.sshsig): what `ssh-keygen -Y sign` writes and
/// git stores in the `gpgsig` header of SSH-signed commits.
public struct SSHSignature: Sendable, Equatable {
    public static let label = "SSH SIGNATURE"
    static let magic = Array("SSHSIG".utf8)

    public var publicKey: SSHPublicKey
    public var namespace: String
    public var hashAlgorithm: String
    /// The inner signature blob (`string algorithm, string signature[, sk flags and counter]`).
    public var signatureBlob: [UInt8]

    /// Parses the armored text (`-----BEGIN SSH SIGNATURE-----`).
    public init(armored text: String) throws {
        guard let bytes = unarmor(text, label: Self.label) else {
            throw SignatureError.malformed("not an SSH signature (no readable BEGIN/END SSH SIGNATURE block)")
        }
        try self.init(bytes: bytes)
    }

    /// Parses the binary SSHSIG blob.
    public init(bytes: [UInt8]) throws {
        guard bytes.starts(with: Self.magic) else { throw SignatureError.malformed("an SSH signature starts with 'SSHSIG'") }
        var reader = SSHReader(bytes.dropFirst(Self.magic.count), context: "SSH signature")
        let version = try reader.uint32()
        guard version == 1 else { throw SignatureError.malformed("SSH signature version \(version) (only 1 exists)") }
        publicKey = try SSHPublicKey(blob: try reader.string())
        namespace = try reader.text()
        _ = try reader.string()
        hashAlgorithm = try reader.text()
        signatureBlob = try reader.string()
        guard reader.isAtEnd else { throw SignatureError.malformed("bytes after the SSH signature") }
        guard hashAlgorithm == "sha256" || hashAlgorithm == "sha512" else {
            throw SignatureError.malformed("hash algorithm '\(hashAlgorithm)' (sha256 or sha512)")
        }
    }

    /// Signs `message` for `namespace` (SHA-512, as ssh-keygen does).
    public static func sign<D: DataProtocol>(_ message: D, namespace: String, with key: SSHPrivateKey) throws -> SSHSignature {
        let toSign = signedData(message, namespace: namespace, hashAlgorithm: "sha512")
        return SSHSignature(publicKey: key.publicKey, namespace: namespace, hashAlgorithm: "sha512",
                            signatureBlob: try key.signatureBlob(over: toSign))
    }

    init(publicKey: SSHPublicKey, namespace: String, hashAlgorithm: String, signatureBlob: [UInt8]) {
        self.publicKey = publicKey
        self.namespace = namespace
        self.hashAlgorithm = hashAlgorithm
        self.signatureBlob = signatureBlob
    }

    /// The bytes the key signs: `SSHSIG`, namespace, reserved, hash algorithm, H(message).
    public static func signedData<D: DataProtocol>(_ message: D, namespace: String, hashAlgorithm: String) -> [UInt8] {
        var writer = SSHWriter()
        writer.raw(magic)
        writer.string(namespace)
        writer.string([UInt8]())
        writer.string(hashAlgorithm)
        let bytes = Array(message)
        writer.string(hashAlgorithm == "sha256" ? Array(SHA256.hash(data: bytes)) : Array(SHA512.hash(data: bytes)))
        return writer.bytes
    }

    /// The SSHSIG blob.
    public var bytes: [UInt8] {
        var writer = SSHWriter()
        writer.raw(Self.magic)
        writer.uint32(1)
        writer.string(publicKey.blob)
        writer.string(namespace)
        writer.string([UInt8]())
        writer.string(hashAlgorithm)
        writer.string(signatureBlob)
        return writer.bytes
    }

    /// The armored text, lines of 70 characters like ssh-keygen's.
    public var armored: String { armor(bytes, label: Self.label, width: 70) }

    /// Whether the signature is over `message` in `namespace` by its embedded key. Security-key signatures
    /// must carry the user-presence flag. Throws `SignatureError` for a signature that cannot be checked at all.
    public func verify<D: DataProtocol>(_ message: D, namespace expected: String) throws -> Outcome {
        guard namespace == expected else { return .wrongNamespace(namespace) }
        let toSign = Self.signedData(message, namespace: namespace, hashAlgorithm: hashAlgorithm)
        do {
            let details = try publicKey.verify(signatureBlob: signatureBlob, over: toSign)
            if let details, !details.userPresent { return .noUserPresence(details) }
            return .valid(details)
        } catch is SignatureVerificationFailure {
            return .invalid
        }
    }

    /// The result of checking an SSH signature's mathematics.
    public enum Outcome: Sendable, Equatable {
        case valid(SecurityKeyDetails?)
        case invalid
        case wrongNamespace(String)
        case noUserPresence(SecurityKeyDetails)
    }
}
