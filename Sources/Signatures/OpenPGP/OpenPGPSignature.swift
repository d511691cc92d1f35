import Foundation

/// Facts read from an OpenPGP signature packet (RFC 9580 §5.2): who claims to have signed, with what.
/// Read, not verified: evident has no OpenPGP keyring, so a commit signed this way is reported as "cannot check".
public struct OpenPGPSignature: Sendable, Equatable {
    public var version: Int
    public var publicKeyAlgorithm: Int
    public var hashAlgorithm: Int
    /// The Issuer Fingerprint subpacket (type 33), uppercase hex.
    public var issuerFingerprint: String?
    /// The Issuer Key ID subpacket (type 16) or the v3 key id, uppercase hex.
    public var issuerKeyID: String?

    /// The signature type (0x00: a binary document, which git signs).
    public var signatureType: Int = -1
    /// The bytes the hash covers after the data (v4: version through the hashed subpackets).
    var hashedArea: [UInt8] = []
    /// The left 16 bits of the hash, as the packet states them.
    var hashPrefix: [UInt8] = []
    /// The algorithm-specific signature fields (MPIs for RSA and EdDSA).
    var material: [UInt8] = []

    /// The fingerprint when present, else the key id.
    public var issuer: String? { issuerFingerprint ?? issuerKeyID }

    public var algorithmName: String {
        switch publicKeyAlgorithm {
        case 1, 3: return "RSA"
        case 17: return "DSA"
        case 19: return "ECDSA"
        case 22: return "EdDSA"
        case 27: return "Ed25519"
        case 28: return "Ed448"
        default: return "algorithm \(publicKeyAlgorithm)"
        }
    }

    /// Parses an ASCII-armored signature (`-----BEGIN PGP SIGNATURE-----`).
    public init(armored text: String) throws {
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let start = lines.firstIndex(of: "-----BEGIN PGP SIGNATURE-----"),
              let end = lines[start...].firstIndex(of: "-----END PGP SIGNATURE-----") else {
            throw SignatureError.malformed("not an armored OpenPGP signature")
        }
        var body = Array(lines[(start + 1)..<end])
        if let blank = body.firstIndex(of: "") { body = Array(body[(blank + 1)...]) }
        // Armor headers ("Comment: ...") come before the first blank line; without one, skip `Key: value` lines.
        body = body.filter { !$0.isEmpty && !$0.hasPrefix("=") && !$0.contains(": ") }
        guard let data = Data(base64Encoded: body.joined()) else { throw SignatureError.malformed("the OpenPGP armor is not base64") }
        try self.init(packets: Array(data))
    }

    /// Parses binary packets, reading the first signature packet (tag 2).
    public init(packets bytes: [UInt8]) throws {
        guard let packet = try OpenPGPPackets.split(bytes).first(where: { $0.tag == 2 }) else {
            throw SignatureError.malformed("no OpenPGP signature packet")
        }
        self = try Self.signature(packet.body)
    }

    init(version: Int, publicKeyAlgorithm: Int, hashAlgorithm: Int, issuerFingerprint: String?, issuerKeyID: String?) {
        self.version = version
        self.publicKeyAlgorithm = publicKeyAlgorithm
        self.hashAlgorithm = hashAlgorithm
        self.issuerFingerprint = issuerFingerprint
        self.issuerKeyID = issuerKeyID
    }

    static func hex(_ bytes: ArraySlice<UInt8>) -> String { bytes.map { String(format: "%02X", $0) }.joined() }

    static func signature(_ body: [UInt8]) throws -> OpenPGPSignature {
        guard let version = body.first else { throw SignatureError.truncated("OpenPGP signature") }
        switch version {
        case 3:
            guard body.count >= 19, body[1] == 5 else { throw SignatureError.truncated("OpenPGP v3 signature") }
            return OpenPGPSignature(version: 3, publicKeyAlgorithm: Int(body[15]), hashAlgorithm: Int(body[16]),
                                    issuerFingerprint: nil, issuerKeyID: hex(body[7..<15]))
        case 4, 5, 6:
            let countSize = version == 4 ? 2 : 4
            guard body.count >= 4 + countSize else { throw SignatureError.truncated("OpenPGP signature") }
            var result = OpenPGPSignature(version: Int(version), publicKeyAlgorithm: Int(body[2]), hashAlgorithm: Int(body[3]),
                                          issuerFingerprint: nil, issuerKeyID: nil)
            result.signatureType = Int(body[1])
            var offset = 4
            for area in 0..<2 {
                guard offset + countSize <= body.count else { throw SignatureError.truncated("OpenPGP subpackets") }
                let count = body[offset..<(offset + countSize)].reduce(0) { $0 << 8 | Int($1) }
                offset += countSize
                guard offset + count <= body.count else { throw SignatureError.truncated("OpenPGP subpackets") }
                try readSubpackets(body[offset..<(offset + count)], into: &result)
                offset += count
                if area == 0 { result.hashedArea = Array(body[0..<offset]) }
            }
            guard offset + 2 <= body.count else { throw SignatureError.truncated("OpenPGP signature") }
            result.hashPrefix = Array(body[offset..<(offset + 2)])
            result.material = Array(body[(offset + 2)...])
            return result
        default:
            throw SignatureError.malformed("OpenPGP signature version \(version)")
        }
    }

    static func readSubpackets(_ area: ArraySlice<UInt8>, into result: inout OpenPGPSignature) throws {
        var offset = area.startIndex
        while offset < area.endIndex {
            let first = Int(area[offset])
            var length: Int
            if first < 192 {
                length = first; offset += 1
            } else if first < 255 {
                guard offset + 1 < area.endIndex else { throw SignatureError.truncated("OpenPGP subpacket") }
                length = ((first - 192) << 8) + Int(area[offset + 1]) + 192; offset += 2
            } else {
                guard offset + 4 < area.endIndex else { throw SignatureError.truncated("OpenPGP subpacket") }
                length = area[(offset + 1)...(offset + 4)].reduce(0) { $0 << 8 | Int($1) }; offset += 5
            }
            guard length >= 1, offset + length <= area.endIndex else { throw SignatureError.truncated("OpenPGP subpacket") }
            let type = area[offset] & 0x7F
            let data = area[(offset + 1)..<(offset + length)]
            if type == 33, data.count >= 21 { result.issuerFingerprint = hex(data.dropFirst()) }
            if type == 16, data.count == 8, result.issuerKeyID == nil { result.issuerKeyID = hex(data) }
            offset += length
        }
    }
}
