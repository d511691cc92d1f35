import Crypto
import EvidentCore
import Foundation
import Signatures
import ZIPFoundation

/// One thing wrong with a bundle.
public struct BundleProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case notAZip = "not-a-zip"
        case unsafeName = "unsafe-name"
        case duplicateEntry = "duplicate-entry"
        case notAFile = "not-a-file"
        case manifest
        case missingEntry = "missing-entry"
        case extraEntry = "extra-entry"
        case sizeMismatch = "size-mismatch"
        case hashMismatch = "hash-mismatch"
        case corruptEntry = "corrupt-entry"
        case tooLarge = "too-large"
        case signatureMissing = "signature-missing"
        case signatureInvalid = "signature-invalid"
        case signatureOtherKey = "signature-other-key"
        case attestationMissing = "attestation-missing"
        case attestationInvalid = "attestation-invalid"
        case attestationMismatch = "attestation-mismatch"
    }

    public var kind: Kind
    public var entry: String?
    public var message: String

    public var description: String {
        (entry.map { "\($0): " } ?? "") + message + " [\(kind.rawValue)]"
    }
}

/// The outcome of verifying a bundle: every problem found, and facts for the summary.
public struct BundleVerification: Sendable {
    public var problems: [BundleProblem] = []
    public var manifest: BundleManifest?
    public var entriesChecked = 0
    /// Fingerprint of the key that signed the manifest, when a signature is present (`SHA256:...` for SSH
    /// signatures, hex SHA-256 of the raw key for evident 0.x signatures).
    public var signatureFingerprint: String?
    public var signatureChecked = false
    /// The signature's format: `ssh` (SSHSIG, namespace evident) or `evident-0` (the JSON format of evident 0.x).
    public var signatureFormat: String?
    /// Whether an in-toto attestation was present and its signature checked against the given key.
    public var attestationChecked = false
    public var isIntact: Bool { problems.isEmpty }

    /// What `verify` prints for the bundle at `name`: one line when intact, else every problem and a count.
    public func text(for name: String) -> String {
        if isIntact {
            var line = "\(name): intact, \(entriesChecked) files match the manifest"
            if let manifest { line += " (commit \(manifest.commit.id.prefix(12)), \(manifest.commit.date))" }
            if signatureChecked, let fingerprint = signatureFingerprint {
                line += "; signature valid (\(signatureFormat == "ssh" ? "SSH, " : "evident 0.x format, ")key \(fingerprint))"
                if attestationChecked { line += "; in-toto attestation valid" }
            } else if let fingerprint = signatureFingerprint {
                line += "; signed by key \(fingerprint), not checked (pass --key)"
            }
            return line + "\n"
        }
        var out = problems.map { "\(name): error: \($0)\n" }.joined()
        out += "\(problems.count) problem\(problems.count == 1 ? "" : "s"): the bundle is not intact\n"
        return out
    }
}

/// Checks a bundle without extracting it: entry names, manifest, size and SHA-256 of every entry
/// (streamed, each capped at its manifest size plus a margin), extra and duplicate entries, signature.
public struct BundleVerifier {
    /// Bytes read past an entry's declared size before giving up on it.
    public static let margin = 64 * 1024
    /// The largest manifest or signature read.
    public static let metadataLimit = 32 * 1024 * 1024

    public init() {}

    struct LimitExceeded: Error {}

    public func verify(_ url: URL, publicKey: SSHPublicKey? = nil) throws -> BundleVerification {
        var result = BundleVerification()
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw BundleError.unreadable(url.path, "no such readable file")
        }
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            result.problems.append(.init(kind: .notAZip, entry: nil, message: "not a zip archive, or truncated (no readable central directory)"))
            return result
        }
        let archiveSize = ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.uint64Value ?? 0
        guard let reader = BoundedEntryReader(url: url) else {
            result.problems.append(.init(kind: .notAZip, entry: nil, message: "not a zip archive, or truncated (no readable central directory)"))
            return result
        }
        var entries: [String: Entry] = [:]
        var order: [String] = []
        var seen = Set<String>()
        for entry in archive {
            let name = entry.path
            if !seen.insert(name).inserted {
                if !result.problems.contains(where: { $0.kind == .duplicateEntry && $0.entry == name }) {
                    result.problems.append(.init(kind: .duplicateEntry, entry: name, message: "the name occurs more than once in the archive"))
                }
                continue
            }
            // A folder entry (as `zip -r` writes them) carries no data: accepted when its name is
            // safe and it holds nothing; `..`, absolute names and folders with bytes are refused.
            if name.hasSuffix("/") || entry.type == .directory {
                let folder = name.hasSuffix("/") ? String(name.dropLast()) : name
                if BundleLayout.isSafeEntryName(folder), entry.uncompressedSize == 0, entry.compressedSize <= 2 {
                    continue
                }
            }
            order.append(name)
            if !BundleLayout.isSafeEntryName(name) {
                result.problems.append(.init(kind: .unsafeName, entry: name, message: "absolute or '..' entry name (zip-slip); refused, never read"))
                continue
            }
            if entry.type != .file {
                result.problems.append(.init(kind: .notAFile, entry: name, message: "entry is a \(entry.type == .symlink ? "symlink" : "directory"), not a file"))
                continue
            }
            // An entry claiming more compressed bytes than the whole file holds is never extracted.
            if entry.compressedSize > archiveSize {
                result.problems.append(.init(kind: .corruptEntry, entry: name,
                                             message: "claims \(entry.compressedSize) compressed bytes, more than the whole archive (\(archiveSize) bytes); not read"))
                continue
            }
            entries[name] = entry
        }
        let duplicated = Set(result.problems.filter { $0.kind == .duplicateEntry }.compactMap(\.entry))

        guard let manifestEntry = entries[BundleLayout.manifest], !duplicated.contains(BundleLayout.manifest) else {
            if !duplicated.contains(BundleLayout.manifest) {
                result.problems.append(.init(kind: .missingEntry, entry: BundleLayout.manifest, message: "the manifest is missing"))
            }
            return result
        }
        let manifestData: Data
        do {
            manifestData = try read(manifestEntry, with: reader, limit: Self.metadataLimit)
        } catch {
            result.problems.append(.init(kind: .manifest, entry: BundleLayout.manifest, message: "cannot read the manifest: \(describe(error))"))
            return result
        }
        let manifest: BundleManifest
        do {
            manifest = try BundleManifest.decode(manifestData)
        } catch {
            result.problems.append(.init(kind: .manifest, entry: BundleLayout.manifest, message: "not a valid evident manifest"))
            return result
        }
        result.manifest = manifest

        var listed = Set<String>()
        for file in manifest.files {
            guard listed.insert(file.path).inserted else {
                result.problems.append(.init(kind: .manifest, entry: file.path, message: "listed more than once in the manifest"))
                continue
            }
            guard BundleLayout.isSafeEntryName(file.path), file.size >= 0 else {
                result.problems.append(.init(kind: .manifest, entry: file.path, message: "the manifest lists an unsafe name or a negative size"))
                continue
            }
            if duplicated.contains(file.path) { continue }
            guard let entry = entries[file.path] else {
                if !order.contains(file.path) {
                    result.problems.append(.init(kind: .missingEntry, entry: file.path, message: "listed in the manifest but not in the archive"))
                }
                continue
            }
            result.entriesChecked += 1
            var hasher = SHA256()
            var count = 0
            let limit = file.size + Self.margin
            do {
                try reader.extract(entry.path, consumer: { chunk in
                    count += chunk.count
                    if count > limit { throw LimitExceeded() }
                    hasher.update(data: chunk)
                })
            } catch is LimitExceeded {
                result.problems.append(.init(kind: .tooLarge, entry: file.path, message: "decompresses to more than \(file.size) bytes (manifest size); stopped reading"))
                continue
            } catch {
                result.problems.append(.init(kind: .corruptEntry, entry: file.path, message: "cannot be read intact: \(describe(error))"))
                continue
            }
            if count != file.size {
                result.problems.append(.init(kind: .sizeMismatch, entry: file.path, message: "size \(count) bytes, the manifest says \(file.size)"))
            }
            let digest = HexDigest.hex(hasher.finalize())
            if digest != file.sha256.lowercased() {
                result.problems.append(.init(kind: .hashMismatch, entry: file.path, message: "SHA-256 \(digest) differs from the manifest's \(file.sha256)"))
            }
        }
        for name in order where !listed.contains(name) && name != BundleLayout.manifest && name != BundleLayout.signature && name != BundleLayout.attestation {
            if BundleLayout.isSafeEntryName(name) {
                result.problems.append(.init(kind: .extraEntry, entry: name, message: "in the archive but not in the manifest"))
            }
        }

        let signatureEntry = entries[BundleLayout.signature]
        let signatureData = signatureEntry.flatMap { duplicated.contains(BundleLayout.signature) ? nil : try? read($0, with: reader, limit: 64 * 1024) }
        if publicKey != nil {
            result.signatureChecked = true
            if signatureEntry == nil {
                result.problems.append(.init(kind: .signatureMissing, entry: BundleLayout.signature, message: "the bundle is not signed, but a key was given"))
            }
        }
        if let signatureData {
            if String(decoding: signatureData.prefix(40), as: UTF8.self).hasPrefix("-----BEGIN \(SSHSignature.label)-----") {
                result.signatureFormat = "ssh"
                checkSSH(signatureData, manifestData: manifestData, publicKey: publicKey, into: &result)
            } else {
                result.signatureFormat = "evident-0"
                checkLegacy(signatureData, manifestData: manifestData, publicKey: publicKey, into: &result)
            }
        } else if signatureEntry != nil, publicKey != nil {
            result.problems.append(.init(kind: .signatureInvalid, entry: BundleLayout.signature, message: "the signature cannot be read"))
        }

        if let entry = entries[BundleLayout.attestation], !duplicated.contains(BundleLayout.attestation) {
            if let data = try? read(entry, with: reader, limit: Self.metadataLimit) {
                result.problems += BundleAttestation.problems(data, manifest: manifest, manifestData: manifestData, key: publicKey)
                result.attestationChecked = publicKey != nil
            } else {
                result.problems.append(.init(kind: .attestationInvalid, entry: BundleLayout.attestation, message: "the attestation cannot be read"))
            }
        } else if publicKey != nil, result.signatureFormat == "ssh" {
            result.problems.append(.init(kind: .attestationMissing, entry: BundleLayout.attestation,
                                         message: "the bundle has an SSH signature but no in-toto attestation (evident writes both)"))
        }
        return result
    }

    /// `manifest.json.sig` as an SSH signature (namespace evident): by the given key, over the manifest.
    func checkSSH(_ data: Data, manifestData: Data, publicKey: SSHPublicKey?, into result: inout BundleVerification) {
        guard let signature = try? SSHSignature(armored: String(decoding: data, as: UTF8.self)) else {
            result.problems.append(.init(kind: .signatureInvalid, entry: BundleLayout.signature, message: "not a readable SSH signature"))
            return
        }
        result.signatureFingerprint = signature.publicKey.fingerprint
        guard let publicKey else { return }
        if signature.publicKey != publicKey {
            result.problems.append(.init(kind: .signatureOtherKey, entry: BundleLayout.signature,
                                         message: "signed by key \(signature.publicKey.fingerprint), not by the given key \(publicKey.fingerprint)"))
            return
        }
        let outcome = try? signature.verify(manifestData, namespace: BundleLayout.signatureNamespace)
        if outcome != .valid(nil) {
            let why: String
            switch outcome {
            case .wrongNamespace(let other)?: why = "signed for namespace '\(other)', not '\(BundleLayout.signatureNamespace)'"
            default: why = "the signature does not match manifest.json under key \(publicKey.fingerprint)"
            }
            result.problems.append(.init(kind: .signatureInvalid, entry: BundleLayout.signature, message: why))
        }
    }

    /// `manifest.json.sig` as evident 0.x wrote it (JSON, raw Ed25519), so old bundles still verify.
    func checkLegacy(_ data: Data, manifestData: Data, publicKey: SSHPublicKey?, into result: inout BundleVerification) {
        guard let signature = try? JSONDecoder().decode(BundleSignature.self, from: data), signature.algorithm == "ed25519" else {
            if publicKey != nil {
                result.problems.append(.init(kind: .signatureInvalid, entry: BundleLayout.signature, message: "not a readable SSH or evident Ed25519 signature"))
            }
            return
        }
        result.signatureFingerprint = signature.keyFingerprint
        guard let publicKey else { return }
        guard let key = publicKey.ed25519Key else {
            result.problems.append(.init(kind: .signatureOtherKey, entry: BundleLayout.signature,
                                         message: "signed by Ed25519 key \(signature.keyFingerprint), not by the given \(publicKey.type.rawValue) key"))
            return
        }
        let expected = BundleKeys.legacyFingerprint(key)
        let bytes = Data(base64Encoded: signature.signature) ?? Data()
        if signature.keyFingerprint.lowercased() != expected {
            let valid = key.isValidSignature(bytes, for: manifestData)
            result.problems.append(.init(kind: .signatureOtherKey, entry: BundleLayout.signature,
                                         message: "signed by key \(signature.keyFingerprint), not by the given key \(expected)\(valid ? "" : "; the signature does not verify under the given key")"))
        } else if !key.isValidSignature(bytes, for: manifestData) {
            result.problems.append(.init(kind: .signatureInvalid, entry: BundleLayout.signature, message: "the signature does not match manifest.json under key \(expected)"))
        }
    }

    func read(_ entry: Entry, with reader: BoundedEntryReader, limit: Int) throws -> Data {
        var data = Data()
        try reader.extract(entry.path, consumer: { chunk in
            if data.count + chunk.count > limit { throw LimitExceeded() }
            data.append(chunk)
        })
        return data
    }

    func describe(_ error: Error) -> String {
        if error is LimitExceeded { return "larger than allowed" }
        return PlainError.describe(error)
    }
}
