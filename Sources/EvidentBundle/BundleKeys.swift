import Crypto
import EvidentCore
import Foundation
import Signatures

/// Keys for signing bundles. `keygen` writes OpenSSH Ed25519 keys (PATH and PATH.pub, as `ssh-keygen -t ed25519`
/// does); `export --sign-key` reads any unencrypted OpenSSH private key (Ed25519, ECDSA, RSA of 2048 bits or more);
/// `verify --key` reads an OpenSSH public key. Keys of evident 0.x (`-----BEGIN EVIDENT ED25519 PRIVATE KEY-----`,
/// the raw 32-byte seed or public key in base64) are still read.
public enum BundleKeys {
    static let privateLabel = "EVIDENT ED25519 PRIVATE KEY"
    static let publicLabel = "EVIDENT ED25519 PUBLIC KEY"

    /// SHA-256 of the raw public key, lowercase hex: how evident 0.x signatures name their key.
    public static func legacyFingerprint(_ key: Curve25519.Signing.PublicKey) -> String {
        HexDigest.hex(SHA256.hash(data: key.rawRepresentation))
    }

    /// The 32 bytes inside an armored key of `label`, or nil.
    static func unarmor(_ text: String, label: String) -> Data? {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard lines.count == 3, lines[0] == "-----BEGIN \(label)-----", lines[2] == "-----END \(label)-----",
              let data = Data(base64Encoded: lines[1]), data.count == 32 else { return nil }
        return data
    }

    static func readText(_ path: String, expected: String) throws -> String {
        let url = URL(fileURLWithPath: path)
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? NSNumber, size.intValue > 64 * 1024 { throw BundleError.notAKey(path, expected) }
        do {
            return String(decoding: try Data(contentsOf: url), as: UTF8.self)
        } catch {
            throw BundleError.unreadable(path, (error as NSError).localizedDescription)
        }
    }

    /// Reads a private key: an unencrypted OpenSSH key, or an evident 0.x key.
    public static func loadPrivate(_ path: String) throws -> SSHPrivateKey {
        let text = try readText(path, expected: "private")
        if SSHPrivateKey.isOpenSSHPrivateKey(text) {
            do {
                return try SSHPrivateKey(openSSH: text)
            } catch {
                throw BundleError.keyRefused(path, "\(error)")
            }
        }
        guard let raw = unarmor(text, label: privateLabel), let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw BundleError.notAKey(path, "private")
        }
        return SSHPrivateKey(ed25519: key, comment: "")
    }

    /// Reads a public key: an OpenSSH public key line (`.pub`), or an evident 0.x public key.
    public static func loadPublic(_ path: String) throws -> SSHPublicKey {
        let text = try readText(path, expected: "public")
        if let raw = unarmor(text, label: publicLabel) {
            guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { throw BundleError.notAKey(path, "public") }
            return SSHPublicKey(ed25519: key)
        }
        let line = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty && !$0.hasPrefix("#") }
        guard let line, !SSHPrivateKey.isOpenSSHPrivateKey(text) else { throw BundleError.notAKey(path, "public") }
        do {
            return try SSHPublicKey(openSSH: line)
        } catch SignatureError.weakKey(let bits) {
            throw BundleError.keyRefused(path, "\(SignatureError.weakKey(bits: bits))")
        } catch {
            throw BundleError.notAKey(path, "public")
        }
    }

    /// Writes a new OpenSSH Ed25519 key pair: PATH (mode 0600) and PATH.pub. Refuses to overwrite unless `force`.
    /// Returns the fingerprint (`SHA256:...`, as `ssh-keygen -l` prints it).
    @discardableResult
    public static func generate(at path: String, force: Bool, comment: String = "evident") throws -> String {
        let publicPath = path + ".pub"
        let manager = FileManager.default
        if !force {
            for existing in [path, publicPath] where manager.fileExists(atPath: existing) || isSymlink(existing) {
                throw BundleError.outputExists(existing)
            }
        }
        let key = SSHPrivateKey.generateEd25519(comment: comment)
        try writePrivate(Data((key.openSSH ?? "").utf8), to: path)
        do {
            try Data("\(key.publicKey.openSSH) \(comment)\n".utf8).write(to: URL(fileURLWithPath: publicPath), options: .atomic)
        } catch {
            throw BundleError.writeFailed(publicPath, (error as NSError).localizedDescription)
        }
        return key.publicKey.fingerprint
    }

    static func isSymlink(_ path: String) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
    }

    /// Creates the file with mode 0600 from the start (never world-readable, even briefly), then renames it into place.
    static func writePrivate(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw BundleError.writeFailed(path, String(cString: strerror(errno))) }
        let written = data.withUnsafeBytes { buffer in write(descriptor, buffer.baseAddress, buffer.count) }
        let closed = close(descriptor)
        guard written == data.count, closed == 0, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw BundleError.writeFailed(path, reason)
        }
    }
}

/// Hex and git-blob digests.
enum HexDigest {
    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 { Hex.lowercase(digest) }

    /// The id git gives a blob with these bytes (`git hash-object`).
    static func gitBlobID(_ data: Data) -> String {
        var hasher = Insecure.SHA1()
        hasher.update(data: Data("blob \(data.count)\0".utf8))
        hasher.update(data: data)
        return hex(hasher.finalize())
    }
}
