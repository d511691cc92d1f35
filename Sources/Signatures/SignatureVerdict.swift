import Foundation

/// The verdict on one signed git object, in git's `%G?` letters.
public struct SignatureVerdict: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// A valid signature by a key the allowed-signers file lists for this namespace, valid at signing time.
        case good = "G"
        /// The signature does not verify, or cannot be read.
        case bad = "B"
        /// A valid signature by a key that is not in the allowed-signers file.
        case unknownKey = "U"
        /// A valid signature that has expired (OpenPGP only; not produced for SSH signatures).
        case expiredSignature = "X"
        /// A valid signature by a key whose allowed-signers entry was not valid when the object was made.
        case expiredKey = "Y"
        /// A valid signature by a revoked key.
        case revoked = "R"
        /// The signature cannot be checked here (OpenPGP, X.509, unknown key type or format).
        case cannotCheck = "E"
        /// No signature.
        case none = "N"

        public var meaning: String {
            switch self {
            case .good: return "good signature"
            case .bad: return "bad signature"
            case .unknownKey: return "good signature, key not allowed"
            case .expiredSignature: return "good signature, expired"
            case .expiredKey: return "good signature, key not valid at signing time"
            case .revoked: return "good signature, key revoked"
            case .cannotCheck: return "signature cannot be checked"
            case .none: return "no signature"
            }
        }
    }

    public enum Format: String, Sendable, Codable {
        case ssh, openpgp, x509, unknown
    }

    public var status: Status
    public var format: Format?
    /// The principals of the allowed-signers entry (G, Y, R), as written there.
    public var signer: String?
    /// The key: `SHA256:...` for SSH, the issuer fingerprint (or key id) for OpenPGP.
    public var key: String?
    /// Why, in a sentence.
    public var reason: String

    public init(status: Status, format: Format?, signer: String? = nil, key: String? = nil, reason: String) {
        self.status = status
        self.format = format
        self.signer = signer
        self.key = key
        self.reason = reason
    }

    public static let unsigned = SignatureVerdict(status: .none, format: nil, reason: "not signed")
}

/// Judges git signatures (commits and tags) the way `git verify-commit` does with `gpg.format=ssh`,
/// natively: SSHSIG in namespace `git`, signers from an allowed-signers file, validity at the object's time.
public struct GitSignatureChecker: Sendable {
    public var allowedSigners: AllowedSigners?
    /// OpenPGP keys whose signatures are good (membership is trust); nil: OpenPGP signatures are reported, not verified.
    public var openPGPKeyring: OpenPGPKeyring?
    /// Keys whose signatures are reported R even when valid and allowed.
    public var revokedKeys: Set<SSHPublicKey>
    public var namespace: String
    /// Said in every verdict when no allowed-signers file could be read.
    public var missingSignersReason: String

    public init(allowedSigners: AllowedSigners?, revokedKeys: Set<SSHPublicKey> = [], namespace: String = "git",
                missingSignersReason: String = "no allowed-signers file is configured", openPGPKeyring: OpenPGPKeyring? = nil) {
        self.allowedSigners = allowedSigners
        self.openPGPKeyring = openPGPKeyring
        self.revokedKeys = revokedKeys
        self.namespace = namespace
        self.missingSignersReason = missingSignersReason
    }

    /// The signature format git would see in this text.
    public static func format(of signature: String) -> SignatureVerdict.Format {
        if signature.hasPrefix("-----BEGIN SSH SIGNATURE-----") { return .ssh }
        if signature.hasPrefix("-----BEGIN PGP SIGNATURE-----") || signature.hasPrefix("-----BEGIN PGP MESSAGE-----") { return .openpgp }
        if signature.hasPrefix("-----BEGIN SIGNED MESSAGE-----") { return .x509 }
        return .unknown
    }

    /// The verdict on `signature` (nil: unsigned) over `payload`, made at `time` (the committer's or tagger's date).
    public func verdict<D: DataProtocol>(payload: D, signature: String?, time: Date) -> SignatureVerdict {
        guard let signature else { return .unsigned }
        switch Self.format(of: signature) {
        case .ssh:
            return sshVerdict(payload: payload, signature: signature, time: time)
        case .openpgp:
            let parsed: OpenPGPSignature
            do {
                parsed = try OpenPGPSignature(armored: signature)
            } catch {
                return SignatureVerdict(status: .cannotCheck, format: .openpgp, reason: "an OpenPGP signature that cannot be read: \(error)")
            }
            let named = "OpenPGP, \(parsed.algorithmName), issuer \(parsed.issuer ?? "not named")"
            guard let openPGPKeyring else {
                return SignatureVerdict(status: .cannotCheck, format: .openpgp, key: parsed.issuer,
                                        reason: "signed (\(named)), not verified: no OpenPGP keyring is configured (signatures.openpgp-keyring)")
            }
            guard let key = openPGPKeyring.key(for: parsed) else {
                return SignatureVerdict(status: .cannotCheck, format: .openpgp, key: parsed.issuer,
                                        reason: "signed (\(named)), not verified: the key is not in the OpenPGP keyring")
            }
            do {
                guard try OpenPGPKeyring.verify(parsed, over: Array(payload), key: key) else {
                    return SignatureVerdict(status: .bad, format: .openpgp, key: key.fingerprint,
                                            reason: "the OpenPGP signature does not match the signed content (changed after signing, or forged)")
                }
            } catch {
                return SignatureVerdict(status: .cannotCheck, format: .openpgp, key: key.fingerprint, reason: "signed (\(named)), not verified: \(error)")
            }
            let emails = OpenPGPKeyring.emails(key.userIDs)
            return SignatureVerdict(status: .good, format: .openpgp, signer: emails.isEmpty ? nil : emails.joined(separator: ","), key: key.fingerprint,
                                    reason: "good OpenPGP signature by \(key.userIDs.first ?? key.fingerprint)")
        case .x509:
            return SignatureVerdict(status: .cannotCheck, format: .x509, reason: "signed (X.509/gitsign), not verified: evident checks SSH signatures only")
        case .unknown:
            return SignatureVerdict(status: .cannotCheck, format: .unknown, reason: "a signature in a format evident does not know")
        }
    }

    func sshVerdict<D: DataProtocol>(payload: D, signature text: String, time: Date) -> SignatureVerdict {
        // Two signature blocks in one header: which one a verifier reads is a guess, so neither counts.
        guard text.components(separatedBy: "-----BEGIN \(SSHSignature.label)-----").count == 2 else {
            return SignatureVerdict(status: .bad, format: .ssh, reason: "more than one SSH signature block in the signature")
        }
        let signature: SSHSignature
        do {
            signature = try SSHSignature(armored: text)
        } catch SignatureError.unsupportedKeyType(let type) {
            return SignatureVerdict(status: .cannotCheck, format: .ssh, reason: "SSH signature by a \(type) key, a type evident cannot check")
        } catch {
            return SignatureVerdict(status: .bad, format: .ssh, reason: "the SSH signature cannot be read: \(error)")
        }
        let key = signature.publicKey.fingerprint
        let outcome: SSHSignature.Outcome
        do {
            outcome = try signature.verify(payload, namespace: namespace)
        } catch {
            return SignatureVerdict(status: .bad, format: .ssh, key: key, reason: "the SSH signature cannot be checked: \(error)")
        }
        var extra = ""
        switch outcome {
        case .invalid:
            return SignatureVerdict(status: .bad, format: .ssh, key: key, reason: "the signature does not match the signed content (changed after signing, or forged)")
        case .wrongNamespace(let other):
            return SignatureVerdict(status: .bad, format: .ssh, key: key, reason: "signed for namespace '\(other)', not '\(namespace)'")
        case .noUserPresence(let details):
            return SignatureVerdict(status: .bad, format: .ssh, key: key, reason: "security-key signature made without user presence (flags 0x\(String(details.flags, radix: 16)), counter \(details.counter))")
        case .valid(let details):
            if let details { extra = " (security key: flags 0x\(String(details.flags, radix: 16)), counter \(details.counter))" }
        }
        guard let allowedSigners else {
            return SignatureVerdict(status: .unknownKey, format: .ssh, key: key, reason: "valid signature\(extra), but \(missingSignersReason)")
        }
        let entries = allowedSigners.entries(for: signature.publicKey, namespace: namespace)
        guard !entries.isEmpty else {
            return SignatureVerdict(status: .unknownKey, format: .ssh, key: key, reason: "valid signature\(extra) by a key the allowed-signers file does not list for namespace '\(namespace)'")
        }
        let current = entries.filter { $0.validity(at: time) == nil }
        let principals = (current.isEmpty ? entries : current).map(\.principals).joined(separator: ",")
        if revokedKeys.contains(signature.publicKey) {
            return SignatureVerdict(status: .revoked, format: .ssh, signer: principals, key: key, reason: "valid signature\(extra) by a revoked key")
        }
        guard !current.isEmpty else {
            return SignatureVerdict(status: .expiredKey, format: .ssh, signer: principals, key: key,
                                    reason: "valid signature\(extra), but \(entries.compactMap { $0.validity(at: time) }.joined(separator: "; "))")
        }
        return SignatureVerdict(status: .good, format: .ssh, signer: principals, key: key, reason: "good signature by \(principals)\(extra)")
    }
}
