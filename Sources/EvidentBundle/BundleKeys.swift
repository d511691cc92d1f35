import Crypto
import Foundation

/// Ed25519 keys for signing bundle manifests, stored as short PEM-like text files.
///
/// Private key: `-----BEGIN EVIDENT ED25519 PRIVATE KEY-----`, the raw 32-byte seed in base64, `-----END ...-----`.
/// Public key: the same with `PUBLIC KEY` and the raw 32-byte public key.
public enum BundleKeys {
    static let privateLabel = "EVIDENT ED25519 PRIVATE KEY"
    static let publicLabel = "EVIDENT ED25519 PUBLIC KEY"

    /// SHA-256 of the raw public key, lowercase hex: how a signature names its key.
    public static func fingerprint(_ key: Curve25519.Signing.PublicKey) -> String {
        HexDigest.hex(SHA256.hash(data: key.rawRepresentation))
    }

    public static func privateText(_ key: Curve25519.Signing.PrivateKey) -> String {
        armor(key.rawRepresentation, label: privateLabel)
    }

    public static func publicText(_ key: Curve25519.Signing.PublicKey) -> String {
        armor(key.rawRepresentation, label: publicLabel)
    }

    static func armor(_ data: Data, label: String) -> String {
        "-----BEGIN \(label)-----\n\(data.base64EncodedString())\n-----END \(label)-----\n"
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
        if let size = attributes?[.size] as? NSNumber, size.intValue > 4096 { throw BundleError.notAKey(path, expected) }
        do {
            return String(decoding: try Data(contentsOf: url), as: UTF8.self)
        } catch {
            throw BundleError.unreadable(path, (error as NSError).localizedDescription)
        }
    }

    /// Reads a private key file written by `keygen`.
    public static func loadPrivate(_ path: String) throws -> Curve25519.Signing.PrivateKey {
        guard let raw = unarmor(try readText(path, expected: "private"), label: privateLabel),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw BundleError.notAKey(path, "private")
        }
        return key
    }

    /// Reads a public key file written by `keygen` (`.pub`).
    public static func loadPublic(_ path: String) throws -> Curve25519.Signing.PublicKey {
        guard let raw = unarmor(try readText(path, expected: "public"), label: publicLabel),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
            throw BundleError.notAKey(path, "public")
        }
        return key
    }

    /// Writes a new key pair: PATH (mode 0600) and PATH.pub. Refuses to overwrite unless `force`.
    /// Returns the fingerprint.
    @discardableResult
    public static func generate(at path: String, force: Bool) throws -> String {
        let publicPath = path + ".pub"
        let manager = FileManager.default
        if !force {
            for existing in [path, publicPath] where manager.fileExists(atPath: existing) || isSymlink(existing) {
                throw BundleError.outputExists(existing)
            }
        }
        let key = Curve25519.Signing.PrivateKey()
        try writePrivate(Data(privateText(key).utf8), to: path)
        do {
            try Data(publicText(key.publicKey).utf8).write(to: URL(fileURLWithPath: publicPath), options: .atomic)
        } catch {
            throw BundleError.writeFailed(publicPath, (error as NSError).localizedDescription)
        }
        return fingerprint(key.publicKey)
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
    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        var text: [UInt8] = []
        for byte in digest {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The id git gives a blob with these bytes (`git hash-object`).
    static func gitBlobID(_ data: Data) -> String {
        var hasher = Insecure.SHA1()
        hasher.update(data: Data("blob \(data.count)\0".utf8))
        hasher.update(data: data)
        return hex(hasher.finalize())
    }
}
