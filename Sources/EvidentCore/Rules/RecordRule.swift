/// A rule whose findings on a record depend on nothing but that record's bytes, its path and what
/// is built into evident (no other record, no configuration, no git, no date). A warm check takes
/// such findings from `RecordFindingsCache` by the record's blob id instead of judging it again.
public protocol RecordRule: Rule {
    /// Every finding of this rule on one record, in the order the rule reports them.
    func check(record: Record) -> [Finding]
}

extension RecordRule {
    public func check(_ project: Project) -> [Finding] {
        project.records.flatMap { check(record: $0) }
    }
}
