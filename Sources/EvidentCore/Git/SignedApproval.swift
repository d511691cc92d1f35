import GitKit
import Signatures

/// Whether an approval counts under `signatures.require` (approvals or all): the commit that introduced the
/// approval block must be signed G by a key the allowed-signers file lists for `approval.by`.
enum SignedApproval {
    /// Why the record's approval does not count, or nil when it does (or signatures are not required).
    /// `uncommitted`: the approval is not in any commit yet (as when the pre-commit hook checks it).
    static func problem(for record: Record, in project: Project) -> (reason: String, uncommitted: Bool)? {
        guard project.configuration.signatures.require != .none, let approval = record.approval,
              let by = approval.by, approval.digest != nil else { return nil }
        guard let git = project.git, let signatures = git.commitSignatures else {
            return ("no repository, so no signature can vouch for it", false)
        }
        guard let hex = git.approvalCommit(path: record.path, approval: approval)?.id, let id = ObjectID(hex: hex) else {
            return ("it is not committed yet, so no signature vouches for it; commit it signed by \(by)'s key (git commit -S)", true)
        }
        let verdict = signatures.verdict(id)
        guard verdict.status == .good else {
            return ("commit \(hex.prefix(12)) that brought it in is \(verdict.status.rawValue): \(verdict.reason)", false)
        }
        // `signer` joins the principals of the entries valid at the commit's date; a `!` in one of them only
        // excludes, so the joined list never matches more than the entries do.
        guard let signer = verdict.signer, AllowedSigners.matches(principal: by, patterns: signer, caseInsensitive: true) else {
            return ("commit \(hex.prefix(12)) that brought it in is signed by \(verdict.signer ?? "another signer"), whose key the allowed-signers file does not list for \(by)", false)
        }
        return nil
    }
}
