import Foundation

/// Why a key, a signature or an allowed-signers file could not be read or used.
public enum SignatureError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The bytes end before a field they announce, or a length is impossible.
    case truncated(String)
    /// A field holds something this format does not allow.
    case malformed(String)
    /// A key type this reader does not know (named as the data names it).
    case unsupportedKeyType(String)
    /// An RSA key below 2048 bits.
    case weakKey(bits: Int)
    /// A passphrase-protected OpenSSH private key (evident reads unencrypted keys only).
    case encryptedPrivateKey(cipher: String)
    /// A key that cannot sign here (security keys need their hardware).
    case cannotSign(String)

    public var description: String {
        switch self {
        case .truncated(let what): return "truncated: \(what)"
        case .malformed(let what): return "malformed: \(what)"
        case .unsupportedKeyType(let type): return "unsupported key type '\(type)'"
        case .weakKey(let bits): return "RSA key of \(bits) bits refused: at least 2048 bits are required"
        case .encryptedPrivateKey(let cipher):
            return "the private key is passphrase-protected (\(cipher)); evident reads unencrypted keys only: use an ssh-agent-free copy without a passphrase (ssh-keygen -p -N '' -f COPY) kept as safe as the original"
        case .cannotSign(let why): return "cannot sign: \(why)"
        }
    }
}
