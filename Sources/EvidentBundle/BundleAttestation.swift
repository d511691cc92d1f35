import Crypto
import EvidentCore
import Foundation
import Signatures

/// `attestation.intoto.json`: a DSSE envelope (payload type `application/vnd.in-toto+json`) of an in-toto
/// Statement v1 naming every bundle file by SHA-256, the manifest, and the exported commit, with a predicate
/// of evident's own type (tool, coverage and findings counts). Verifiable with securesystemslib or any in-toto verifier.
public enum BundleAttestation {
    public static let predicateType = "https://schemas.evident.dev/v1/audit-bundle-attestation"

    static func subjects(manifest: BundleManifest, manifestData: Data) -> [InTotoStatement.Subject] {
        manifest.files.map { InTotoStatement.Subject(name: $0.path, digest: ["sha256": $0.sha256]) }
            + [InTotoStatement.Subject(name: BundleLayout.manifest, digest: ["sha256": HexDigest.hex(SHA256.hash(data: manifestData))]),
               InTotoStatement.Subject(name: "git+commit:\(manifest.repository)", digest: ["gitCommit": manifest.commit.id])]
    }

    /// The signed envelope, as bytes to put in the bundle.
    static func envelope(manifest: BundleManifest, manifestData: Data, coverage: CoverageReport, findings: [Finding],
                         key: SSHPrivateKey) throws -> Data {
        var statuses: [String: Int] = [:]
        for status in CoverageStatus.allCases { statuses[status.rawValue] = coverage.count(status) }
        let predicate: [String: Any] = [
            "tool": ["name": manifest.tool.name, "version": manifest.tool.version],
            "product": manifest.product,
            "repository": manifest.repository,
            "commit": ["id": manifest.commit.id, "date": manifest.commit.date],
            "coverage": ["level": coverage.level, "requirements": coverage.requirements.count, "status": statuses],
            "findings": ["error": findings.filter { $0.severity == .error }.count, "warning": findings.filter { $0.severity == .warning }.count],
        ]
        let statement = try InTotoStatement.json(subjects: subjects(manifest: manifest, manifestData: manifestData),
                                                 predicateType: predicateType, predicate: predicate)
        return try BundleJSON.encode(DSSEEnvelope.sign(payload: statement, payloadType: InTotoStatement.payloadType, key: key))
    }

    /// Problems with an attestation against the verified manifest: wrong type, subjects that differ from the
    /// manifest's files, a signature that does not verify under `key` (when given).
    static func problems(_ data: Data, manifest: BundleManifest, manifestData: Data, key: SSHPublicKey?) -> [BundleProblem] {
        func problem(_ kind: BundleProblem.Kind, _ message: String) -> BundleProblem {
            BundleProblem(kind: kind, entry: BundleLayout.attestation, message: message)
        }
        guard let envelope = try? JSONDecoder().decode(DSSEEnvelope.self, from: data) else {
            return [problem(.attestationInvalid, "not a DSSE envelope")]
        }
        var problems: [BundleProblem] = []
        if let key, !envelope.isSigned(by: key) {
            problems.append(problem(.attestationInvalid, "no signature in the envelope verifies under key \(key.fingerprint)"))
        }
        guard envelope.payloadType == InTotoStatement.payloadType, let payload = envelope.payloadBytes,
              let statement = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
              statement["_type"] as? String == InTotoStatement.type, statement["predicateType"] as? String == predicateType,
              let subjects = statement["subject"] as? [[String: Any]] else {
            return problems + [problem(.attestationInvalid, "not an in-toto Statement v1 of type \(predicateType)")]
        }
        var found: [String: [String: String]] = [:]
        for subject in subjects {
            guard let name = subject["name"] as? String, let digest = subject["digest"] as? [String: String] else {
                problems.append(problem(.attestationMismatch, "a subject without a name or digest"))
                continue
            }
            found[name] = digest
        }
        let expected = Self.subjects(manifest: manifest, manifestData: manifestData)
        for subject in expected where found[subject.name] != subject.digest {
            problems.append(problem(.attestationMismatch, found[subject.name] == nil
                ? "\(subject.name) is not a subject of the attestation"
                : "\(subject.name): the attestation's digest \(found[subject.name] ?? [:]) differs from the bundle's \(subject.digest)"))
        }
        let names = Set(expected.map(\.name))
        for name in found.keys.sorted() where !names.contains(name) {
            problems.append(problem(.attestationMismatch, "subject \(name) is not in the bundle"))
        }
        return problems
    }
}
