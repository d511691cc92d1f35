import _CryptoExtras
import Crypto
import Foundation

/// OpenPGP packet framing (RFC 9580 §4.2): old and new formats; partial lengths are refused.
enum OpenPGPPackets {
    struct Packet {
        var tag: Int
        var body: [UInt8]
    }

    static func split(_ bytes: [UInt8]) throws -> [Packet] {
        var packets: [Packet] = []
        var offset = 0
        func need(_ count: Int) throws {
            guard count >= 0, offset + count <= bytes.count else { throw SignatureError.truncated("OpenPGP packet") }
        }
        func number(_ from: Int, _ count: Int) -> Int { bytes[from..<(from + count)].reduce(0) { $0 << 8 | Int($1) } }
        while offset < bytes.count {
            let header = bytes[offset]
            offset += 1
            guard header & 0x80 != 0 else { throw SignatureError.malformed("not an OpenPGP packet header") }
            let tag: Int
            let length: Int
            if header & 0x40 != 0 {
                tag = Int(header & 0x3F)
                try need(1)
                let first = Int(bytes[offset])
                if first < 192 {
                    length = first; offset += 1
                } else if first < 224 {
                    try need(2)
                    length = ((first - 192) << 8) + Int(bytes[offset + 1]) + 192; offset += 2
                } else if first == 255 {
                    try need(5)
                    length = number(offset + 1, 4); offset += 5
                } else {
                    throw SignatureError.malformed("partial-length OpenPGP packets are not used for signatures or keys")
                }
            } else {
                tag = Int(header >> 2 & 0x0F)
                let sizes = [1, 2, 4]
                let type = Int(header & 0x03)
                guard type < 3 else { throw SignatureError.malformed("indeterminate-length OpenPGP packet") }
                try need(sizes[type])
                length = number(offset, sizes[type])
                offset += sizes[type]
            }
            try need(length)
            packets.append(Packet(tag: tag, body: Array(bytes[offset..<(offset + length)])))
            offset += length
        }
        return packets
    }

    /// The base64 body of an ASCII-armored block (`-----BEGIN PGP <label>-----`), headers and checksum left out.
    static func dearmor(_ text: String, label: String) -> [UInt8]? {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" }).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let start = lines.firstIndex(of: "-----BEGIN PGP \(label)-----"),
              let end = lines[start...].firstIndex(of: "-----END PGP \(label)-----") else { return nil }
        var body = Array(lines[(start + 1)..<end])
        if let blank = body.firstIndex(of: "") { body = Array(body[(blank + 1)...]) }
        body = body.filter { !$0.isEmpty && !$0.hasPrefix("=") && !$0.contains(": ") }
        return Data(base64Encoded: body.joined()).map(Array.init)
    }
}

/// OpenPGP public keys (v4 RSA, EdDSA-legacy Ed25519 and Ed25519) from a keyring file (`gpg --export [--armor]`),
/// primary keys and subkeys, each with the user IDs of its certificate. Enough to verify git's OpenPGP signatures.
public struct OpenPGPKeyring: Sendable {
    public struct Key: Sendable {
        /// v4 fingerprint, uppercase hex (SHA-1 over the key packet).
        public var fingerprint: String
        public var userIDs: [String]
        enum Material: @unchecked Sendable {
            case rsa(_RSA.Signing.PublicKey, bits: Int)
            case ed25519(Curve25519.Signing.PublicKey)
        }
        let material: Material
    }

    public var keys: [Key] = []
    /// Key packets of algorithms or versions evident does not read (skipped).
    public var skipped = 0

    public init(bytes data: [UInt8]) throws {
        let raw = OpenPGPPackets.dearmor(String(decoding: data, as: UTF8.self), label: "PUBLIC KEY BLOCK") ?? data
        var current: [Int] = []
        for packet in try OpenPGPPackets.split(raw) {
            switch packet.tag {
            case 6, 14:
                if packet.tag == 6 { current = [] }
                if let key = Self.key(packet.body) {
                    current.append(keys.count)
                    keys.append(key)
                } else {
                    skipped += 1
                }
            case 13:
                let id = String(decoding: packet.body, as: UTF8.self)
                for index in current { keys[index].userIDs.append(id) }
            default:
                break
            }
        }
    }

    /// The email addresses of the user IDs (`Name <mail>`), lowercased.
    public static func emails(_ userIDs: [String]) -> [String] {
        userIDs.compactMap { id in
            guard let open = id.lastIndex(of: "<"), let close = id.lastIndex(of: ">"), open < close else { return id.contains("@") ? id.lowercased() : nil }
            return String(id[id.index(after: open)..<close]).lowercased()
        }
    }

    static func key(_ body: [UInt8]) -> Key? {
        guard body.count > 6, body[0] == 4 else { return nil }
        var header: [UInt8] = [0x99, UInt8(body.count >> 8 & 0xFF), UInt8(body.count & 0xFF)]
        header += body
        let fingerprint = Insecure.SHA1.hash(data: header).map { String(format: "%02X", $0) }.joined()
        var offset = 6
        func mpi() -> [UInt8]? {
            guard offset + 2 <= body.count else { return nil }
            let bits = Int(body[offset]) << 8 | Int(body[offset + 1])
            let count = (bits + 7) / 8
            guard offset + 2 + count <= body.count else { return nil }
            defer { offset += 2 + count }
            return Array(body[(offset + 2)..<(offset + 2 + count)])
        }
        switch body[5] {
        case 1, 3:
            guard let n = mpi(), let e = mpi() else { return nil }
            let stripped = n.drop { $0 == 0 }
            let bits = stripped.count * 8 - (stripped.first.map { $0.leadingZeroBitCount } ?? 0)
            guard bits >= 2048, bits <= 16384, let key = try? _RSA.Signing.PublicKey(n: n, e: e) else { return nil }
            return Key(fingerprint: fingerprint, userIDs: [], material: .rsa(key, bits: bits))
        case 22:
            let ed25519OID: [UInt8] = [0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01]
            guard body.count > 7, Int(body[6]) == ed25519OID.count, Array(body[7..<min(body.count, 16)]) == ed25519OID else { return nil }
            offset = 7 + ed25519OID.count
            guard let point = mpi(), point.count == 33, point[0] == 0x40,
                  let key = try? Curve25519.Signing.PublicKey(rawRepresentation: point.dropFirst()) else { return nil }
            return Key(fingerprint: fingerprint, userIDs: [], material: .ed25519(key))
        case 27:
            guard body.count == 6 + 32, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: body[6...]) else { return nil }
            return Key(fingerprint: fingerprint, userIDs: [], material: .ed25519(key))
        default:
            return nil
        }
    }

    /// The key a signature names (issuer fingerprint, else the key id as the fingerprint's last 16 digits).
    public func key(for signature: OpenPGPSignature) -> Key? {
        if let fingerprint = signature.issuerFingerprint { return keys.first { $0.fingerprint == fingerprint } }
        if let id = signature.issuerKeyID { return keys.first { $0.fingerprint.hasSuffix(id) } }
        return nil
    }

    /// Whether `signature` (a v4 binary-document signature, SHA-256/384/512) verifies over `data` under `key`.
    /// Throws for what cannot be checked (other types, versions or hashes).
    public static func verify(_ signature: OpenPGPSignature, over data: [UInt8], key: Key) throws -> Bool {
        guard signature.version == 4 else { throw SignatureError.malformed("OpenPGP v\(signature.version) signatures are not checked") }
        guard signature.signatureType == 0 else { throw SignatureError.malformed("OpenPGP signature type \(signature.signatureType) (only binary-document signatures are checked)") }
        let trailer = signature.hashedArea + [0x04, 0xFF] + withUnsafeBytes(of: UInt32(signature.hashedArea.count).bigEndian, Array.init)
        let message = data + trailer
        var material = signature.material
        func mpi() -> [UInt8]? {
            guard material.count >= 2 else { return nil }
            let count = ((Int(material[0]) << 8 | Int(material[1])) + 7) / 8
            guard material.count >= 2 + count else { return nil }
            defer { material.removeFirst(2 + count) }
            return Array(material[2..<(2 + count)])
        }
        let digest: [UInt8]
        switch signature.hashAlgorithm {
        case 8: digest = Array(SHA256.hash(data: message))
        case 9: digest = Array(SHA384.hash(data: message))
        case 10: digest = Array(SHA512.hash(data: message))
        default: throw SignatureError.malformed("OpenPGP hash algorithm \(signature.hashAlgorithm) (SHA-256, -384 or -512 are checked; SHA-1 is refused)")
        }
        guard Array(digest.prefix(2)) == signature.hashPrefix else { return false }
        switch key.material {
        case .rsa(let rsa, let bits):
            guard signature.publicKeyAlgorithm == 1 || signature.publicKeyAlgorithm == 3, let value = mpi(),
                  let padded = fixedWidth(value, (bits + 7) / 8) else { return false }
            let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: padded)
            switch signature.hashAlgorithm {
            case 8: return rsa.isValidSignature(rsaSignature, for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5)
            case 9: return rsa.isValidSignature(rsaSignature, for: SHA384.hash(data: message), padding: .insecurePKCS1v1_5)
            default: return rsa.isValidSignature(rsaSignature, for: SHA512.hash(data: message), padding: .insecurePKCS1v1_5)
            }
        case .ed25519(let ed):
            let raw: [UInt8]
            if signature.publicKeyAlgorithm == 22 {
                guard let r = mpi(), let s = mpi(), let r32 = fixedWidth(r, 32), let s32 = fixedWidth(s, 32) else { return false }
                raw = r32 + s32
            } else if signature.publicKeyAlgorithm == 27, material.count == 64 {
                raw = material
            } else {
                return false
            }
            return ed.isValidSignature(raw, for: digest)
        }
    }
}
