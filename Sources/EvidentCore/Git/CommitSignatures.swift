import Foundation
import GitKit
import Signatures

/// Verdicts on commit signatures (git's `%G?` letters), with the allowed-signers file read from the trusted
/// revision named in `.evident.yml` (`signatures.trusted-rev`), never from the commit being judged; without a
/// trusted revision, from the judged tree, with a note saying so.
public final class CommitSignatures: @unchecked Sendable {
    /// A line of the allowed-signers (or revoked-keys) file that could not be used.
    public struct Problem: Sendable, Equatable {
        public var path: String
        public var line: Int
        public var message: String
    }

    public let settings: Configuration.Signatures
    public let checker: GitSignatureChecker
    /// Where the signers were read, and anything that weakens the verdicts.
    public let notes: [String]
    public let problems: [Problem]
    private let repository: Repository
    private let verdicts = Memo<ObjectID, SignatureVerdict>()
    private let lock = NSLock()

    static let sizeLimit = 1 << 20

    /// `readJudged` reads a repository path from the judged tree (used only without a trusted revision).
    public init(repository: Repository, settings: Configuration.Signatures, judgedLabel: String, readJudged: (String) -> Data?) {
        self.repository = repository
        self.settings = settings
        var notes: [String] = []
        var problems: [Problem] = []
        var signers: AllowedSigners?
        var keyring: OpenPGPKeyring?
        var revoked = Set<SSHPublicKey>()
        var missing = "no allowed-signers file is configured (.evident.yml signatures.allowed-signers)"
        var trusted: ObjectID?
        var origin = judgedLabel
        var readable = settings.allowedSigners != nil || settings.openPGPKeyring != nil
        func read(_ path: String) -> Data? {
            let data = trusted.map { (try? repository.blobData(atPath: path, inCommit: $0)) ?? nil } ?? readJudged(path)
            return data.flatMap { $0.count <= Self.sizeLimit ? $0 : nil }
        }
        if readable, let revision = settings.trustedRevision {
            if let commit = try? repository.resolve(revision: revision) {
                trusted = commit
                origin = "trusted revision \(revision) (commit \(commit.hex.prefix(12)))"
            } else {
                readable = false
                missing = "the trusted revision '\(revision)' (signatures.trusted-rev) does not exist, so no signer can be trusted"
                notes.append(missing)
            }
        } else if readable {
            notes.append("signers read from the \(judgedLabel): set signatures.trusted-rev so the commits being judged cannot name their own signers")
        }
        if readable, let path = settings.allowedSigners {
            if let data = read(path) {
                let parsed = AllowedSigners(text: String(decoding: data, as: UTF8.self))
                problems += parsed.problems.map { Problem(path: path, line: $0.line, message: $0.message) }
                signers = parsed
                notes.append("allowed signers: \(path) from the \(origin), \(parsed.entries.count) key\(parsed.entries.count == 1 ? "" : "s")")
            } else {
                missing = "the allowed-signers file \(path) is missing from the \(origin) (or larger than 1 MiB)"
                notes.append(missing)
            }
        }
        if readable, let path = settings.revokedKeys {
            if let data = read(path) {
                var number = 0
                for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
                    number += 1
                    let text = line.trimmingCharacters(in: .whitespaces)
                    if text.isEmpty || text.hasPrefix("#") { continue }
                    do { revoked.insert(try SSHPublicKey(openSSH: text)) } catch {
                        problems.append(Problem(path: path, line: number, message: "\(error)"))
                    }
                }
            } else {
                notes.append("the revoked-keys file \(path) is missing from the \(origin)")
            }
        }
        if readable, let path = settings.openPGPKeyring {
            if let data = read(path) {
                do {
                    let parsed = try OpenPGPKeyring(bytes: Array(data))
                    keyring = parsed
                    notes.append("OpenPGP keyring: \(path) from the \(origin), \(parsed.keys.count) key\(parsed.keys.count == 1 ? "" : "s")\(parsed.skipped > 0 ? " (\(parsed.skipped) of unsupported algorithms skipped)" : "")")
                } catch {
                    problems.append(Problem(path: path, line: 1, message: "not an OpenPGP keyring: \(error)"))
                }
            } else {
                notes.append("the OpenPGP keyring \(path) is missing from the \(origin) (or larger than 1 MiB)")
            }
        }
        checker = GitSignatureChecker(allowedSigners: signers, revokedKeys: revoked, missingSignersReason: missing, openPGPKeyring: keyring)
        self.notes = notes
        self.problems = problems
    }

    /// The verdict on commit `id`; N without reading anything when the commit carries no signature header.
    public func verdict(_ id: ObjectID, isSigned: Bool = true) -> SignatureVerdict {
        guard isSigned else { return .unsigned }
        return verdicts.value(id) {
            lock.lock()
            let object = Result(catching: { try repository.signedObject(id) })
            lock.unlock()
            switch object {
            case .success(let object):
                return checker.verdict(payload: object.payload, signature: object.signature, time: object.time ?? Date(timeIntervalSince1970: 0))
            case .failure(let error):
                return SignatureVerdict(status: .cannotCheck, format: nil, reason: "the commit object cannot be read: \(error)")
            }
        }
    }
}

extension SignatureVerdict {
    /// `G good signature by alice@example.org (key SHA256:...)`: one line for text output.
    public var summary: String {
        "\(status.rawValue) \(reason)\(key.map { " [key \($0)]" } ?? "")"
    }

    /// `{"status","format","signer","key"}` for JSON output (absent values as null).
    public var jsonObject: [String: Any] {
        ["status": status.rawValue, "format": format?.rawValue ?? NSNull(), "signer": signer ?? NSNull(), "key": key ?? NSNull()]
    }
}
