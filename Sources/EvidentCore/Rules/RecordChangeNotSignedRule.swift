/// Under `signatures.require: all`, every commit that changed a record must carry a good signature.
public struct RecordChangeNotSignedRule: Rule {
    public init() {}
    public static let reads = RuleReads.git
    public static let description = RuleDescription(
        id: "record-change-not-signed", name: "Record changed by a commit without a good signature",
        summary: "With `signatures.require: all`, every commit in a record's history (git log -- PATH) must be signed G: a good signature by a key the allowed-signers file lists. One finding per record, naming each commit that is not and its verdict letter. Silent otherwise and without git.",
        severity: .error,
        // Examples run without git, where the rule stays silent: the triggering cases are real-repository tests.
        triggering: [],
        nonTriggering: [RuleExample([".evident.yml": "version: 1\nproduct: X\nrecords: security\nsignatures:\n  allowed-signers: .evident/allowed_signers\n  require: all\n",
                                     "security/a.yaml": "kind: defect\nid: DEF-1\ntitle: A\nstatus: open\nowner: a@example.com\n"])])

    public func check(_ project: Project) -> [Finding] {
        guard project.configuration.signatures.require == .all, let facts = project.git as? RepositoryFacts,
              let signatures = facts.commitSignatures else { return [] }
        var findings: [Finding] = []
        for record in project.records {
            var bad: [String] = []
            for id in facts.commits(of: record.path) {
                let verdict = signatures.verdict(id, isSigned: facts.commit(id)?.isSigned ?? true)
                if verdict.status != .good { bad.append("\(id.hex.prefix(12)) \(verdict.status.rawValue) (\(verdict.reason))") }
            }
            guard !bad.isEmpty else { continue }
            let shown = bad.prefix(5).joined(separator: "; ") + (bad.count > 5 ? "; and \(bad.count - 5) more" : "")
            findings.append(Self.description.finding(record.path, Mark(line: 1, column: 1),
                                                     "\(bad.count) commit\(bad.count == 1 ? "" : "s") changing this record \(bad.count == 1 ? "is" : "are") not signed G (signatures.require: all): \(shown)",
                                                     record: record.id))
        }
        return findings
    }
}
