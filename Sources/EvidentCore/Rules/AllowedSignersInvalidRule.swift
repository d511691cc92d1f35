/// The allowed-signers (or revoked-keys) file named in `.evident.yml` has lines evident cannot use.
public struct AllowedSignersInvalidRule: Rule {
    public init() {}
    public static let reads = RuleReads.git
    public static let description = RuleDescription(
        id: "allowed-signers-invalid", name: "Unusable allowed-signers line",
        summary: "A line of the allowed-signers file (`signatures.allowed-signers`, git's format) or of the revoked-keys file cannot be used: no key, a key that is not base64 or of an unknown type, an RSA key under 2048 bits, an unknown option, a bad valid-after/valid-before time, or `cert-authority` (SSH certificates are not supported). The line is skipped, so its signer is not trusted. Silent without git.",
        severity: .error,
        // The file is read from git (the trusted revision or the judged tree): the triggering cases are real-repository tests.
        triggering: [],
        nonTriggering: [RuleExample([".evident.yml": "version: 1\nproduct: X\nrecords: security\nsignatures:\n  allowed-signers: .evident/allowed_signers\n"])])

    public func check(_ project: Project) -> [Finding] {
        guard let signatures = project.git?.commitSignatures else { return [] }
        let origin = signatures.settings.trustedRevision.map { " (as of trusted revision \($0))" } ?? ""
        return signatures.problems.map {
            Self.description.finding($0.path, Mark(line: $0.line, column: 1), "\($0.message)\(origin); the line is skipped, so its key is not trusted")
        }
    }
}
