import _CryptoExtras
import Crypto
import Foundation

/// An unencrypted OpenSSH private key (`-----BEGIN OPENSSH PRIVATE KEY-----`, openssh-key-v1): Ed25519, ECDSA, RSA.
public struct SSHPrivateKey: @unchecked Sendable {
    enum Material {
        case ed25519(Curve25519.Signing.PrivateKey)
        case p256(P256.Signing.PrivateKey)
        case p384(P384.Signing.PrivateKey)
        case p521(P521.Signing.PrivateKey)
        case rsa(_RSA.Signing.PrivateKey)
    }

    public let publicKey: SSHPublicKey
    public let comment: String
    let material: Material

    static let label = "OPENSSH PRIVATE KEY"
    static let magic = Array("openssh-key-v1\0".utf8)

    /// True when `text` looks like an OpenSSH private key file (so other key formats can be tried otherwise).
    public static func isOpenSSHPrivateKey(_ text: String) -> Bool {
        text.contains("-----BEGIN \(label)-----")
    }

    /// Parses the text of an OpenSSH private key file.
    public init(openSSH text: String) throws {
        guard let bytes = unarmor(text, label: Self.label) else { throw SignatureError.malformed("not an OpenSSH private key (no readable BEGIN/END OPENSSH PRIVATE KEY block)") }
        guard bytes.starts(with: Self.magic) else { throw SignatureError.malformed("not an openssh-key-v1 private key") }
        var reader = SSHReader(bytes.dropFirst(Self.magic.count), context: "private key")
        let cipher = try reader.text(), kdf = try reader.text()
        _ = try reader.string()
        guard cipher == "none", kdf == "none" else { throw SignatureError.encryptedPrivateKey(cipher: cipher == "none" ? kdf : cipher) }
        guard try reader.uint32() == 1 else { throw SignatureError.malformed("the file holds more than one key") }
        let publicKey = try SSHPublicKey(blob: try reader.string())
        var inner = SSHReader(try reader.string(), context: "private key")
        guard try inner.uint32() == inner.uint32() else { throw SignatureError.malformed("check numbers differ: the key is corrupt") }
        let name = try inner.text()
        guard name == publicKey.type.rawValue else { throw SignatureError.malformed("public key \(publicKey.type.rawValue) beside a \(name) private key") }
        func check(_ derived: [UInt8]) throws {
            guard derived == publicKey.blob else { throw SignatureError.malformed("the private key does not match its public key") }
        }
        do {
            switch publicKey.type {
            case .ed25519:
                _ = try inner.string()
                let secret = try inner.string()
                guard secret.count == 64 else { throw SignatureError.malformed("an Ed25519 private key must be 64 bytes") }
                let key = try Curve25519.Signing.PrivateKey(rawRepresentation: secret.prefix(32))
                material = .ed25519(key)
            case .ecdsaP256, .ecdsaP384, .ecdsaP521:
                _ = try inner.text()
                _ = try inner.string()
                let d = try inner.unsignedMPInt()
                switch publicKey.type {
                case .ecdsaP256: material = .p256(try P256.Signing.PrivateKey(rawRepresentation: fixedWidth(d, 32) ?? []))
                case .ecdsaP384: material = .p384(try P384.Signing.PrivateKey(rawRepresentation: fixedWidth(d, 48) ?? []))
                default: material = .p521(try P521.Signing.PrivateKey(rawRepresentation: fixedWidth(d, 66) ?? []))
                }
            case .rsa:
                let n = try inner.unsignedMPInt(), e = try inner.unsignedMPInt(), d = try inner.unsignedMPInt()
                _ = try inner.unsignedMPInt()
                let p = try inner.unsignedMPInt(), q = try inner.unsignedMPInt()
                material = .rsa(try _RSA.Signing.PrivateKey(n: n, e: e, d: d, p: p, q: q))
            case .skEd25519, .skECDSAP256:
                throw SignatureError.cannotSign("\(publicKey.type.rawValue) keys live on a security key; sign with ssh-keygen instead")
            }
        } catch let error as SignatureError {
            throw error
        } catch {
            throw SignatureError.malformed("the private key numbers are not a valid \(publicKey.type.rawValue) key")
        }
        comment = (try? inner.text()) ?? ""
        self.publicKey = publicKey
        try check(Self.publicBlob(of: material))
    }

    /// A new Ed25519 key.
    public static func generateEd25519(comment: String) -> SSHPrivateKey {
        SSHPrivateKey(ed25519: Curve25519.Signing.PrivateKey(), comment: comment)
    }

    /// Wraps an existing Ed25519 key (evident's own key files hold one).
    public init(ed25519 key: Curve25519.Signing.PrivateKey, comment: String) {
        material = .ed25519(key)
        self.comment = comment
        publicKey = SSHPublicKey(ed25519: key.publicKey)
    }

    static func publicBlob(of material: Material) -> [UInt8] {
        var writer = SSHWriter()
        switch material {
        case .ed25519(let key):
            writer.string("ssh-ed25519")
            writer.string(Array(key.publicKey.rawRepresentation))
        case .p256(let key):
            writer.string("ecdsa-sha2-nistp256"); writer.string("nistp256"); writer.string(Array(key.publicKey.x963Representation))
        case .p384(let key):
            writer.string("ecdsa-sha2-nistp384"); writer.string("nistp384"); writer.string(Array(key.publicKey.x963Representation))
        case .p521(let key):
            writer.string("ecdsa-sha2-nistp521"); writer.string("nistp521"); writer.string(Array(key.publicKey.x963Representation))
        case .rsa(let key):
            let primitives = try? key.publicKey.getKeyPrimitives()
            writer.string("ssh-rsa")
            writer.mpint(Array(primitives?.publicExponent ?? Data()))
            writer.mpint(Array(primitives?.modulus ?? Data()))
        }
        return writer.bytes
    }

    /// An SSH signature blob over `data` (RSA: rsa-sha2-512 as ssh-keygen signs, or rsa-sha2-256).
    public func signatureBlob(over data: [UInt8], rsaSHA256: Bool = false) throws -> [UInt8] {
        var writer = SSHWriter()
        func ecdsa(_ raw: Data, width: Int) {
            var inner = SSHWriter()
            inner.mpint(raw.prefix(width))
            inner.mpint(raw.dropFirst(width))
            writer.string(publicKey.type.rawValue)
            writer.string(inner.bytes)
        }
        switch material {
        case .ed25519(let key):
            writer.string("ssh-ed25519")
            writer.string(Array(try key.signature(for: data)))
        case .p256(let key): ecdsa(try key.signature(for: data).rawRepresentation, width: 32)
        case .p384(let key): ecdsa(try key.signature(for: data).rawRepresentation, width: 48)
        case .p521(let key): ecdsa(try key.signature(for: data).rawRepresentation, width: 66)
        case .rsa(let key):
            if rsaSHA256 {
                writer.string("rsa-sha2-256")
                writer.string(Array(try key.signature(for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5).rawRepresentation))
            } else {
                writer.string("rsa-sha2-512")
                writer.string(Array(try key.signature(for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5).rawRepresentation))
            }
        }
        return writer.bytes
    }

    /// Signs raw bytes with the key's natural algorithm, for DSSE: Ed25519 raw, ECDSA DER, RSA-PSS SHA-256.
    func rawSignature(over data: [UInt8]) throws -> [UInt8] {
        switch material {
        case .ed25519(let key): return Array(try key.signature(for: data))
        case .p256(let key): return Array(try key.signature(for: data).derRepresentation)
        case .p384(let key): return Array(try key.signature(for: data).derRepresentation)
        case .p521(let key): return Array(try key.signature(for: data).derRepresentation)
        case .rsa(let key): return Array(try key.signature(for: SHA256.hash(data: data), padding: .PSS).rawRepresentation)
        }
    }

    /// The key as an OpenSSH private key file (unencrypted, as `ssh-keygen -N ''` writes it); nil for RSA keys,
    /// which evident reads but never writes.
    public var openSSH: String? {
        var inner = SSHWriter()
        let check = UInt32.random(in: 0...UInt32.max)
        inner.uint32(check)
        inner.uint32(check)
        inner.string(publicKey.type.rawValue)
        switch material {
        case .ed25519(let key):
            inner.string(Array(key.publicKey.rawRepresentation))
            inner.string(Array(key.rawRepresentation) + Array(key.publicKey.rawRepresentation))
        case .p256(let key):
            inner.string("nistp256"); inner.string(Array(key.publicKey.x963Representation)); inner.mpint(Array(key.rawRepresentation))
        case .p384(let key):
            inner.string("nistp384"); inner.string(Array(key.publicKey.x963Representation)); inner.mpint(Array(key.rawRepresentation))
        case .p521(let key):
            inner.string("nistp521"); inner.string(Array(key.publicKey.x963Representation)); inner.mpint(Array(key.rawRepresentation))
        case .rsa:
            return nil
        }
        inner.string(comment)
        var pad: UInt8 = 1
        while inner.bytes.count % 8 != 0 {
            inner.byte(pad)
            pad += 1
        }
        var writer = SSHWriter()
        writer.raw(Self.magic)
        writer.string("none"); writer.string("none"); writer.string([UInt8]())
        writer.uint32(1)
        writer.string(publicKey.blob)
        writer.string(inner.bytes)
        return armor(writer.bytes, label: Self.label, width: 70)
    }
}
