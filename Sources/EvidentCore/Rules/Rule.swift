/// An example project for a rule: files by repository path. `.evident.yml` defaults to a minimal one.
public struct RuleExample: Sendable {
    public static let defaultConfig = "version: 1\nproduct: Example gateway\nrecords: security\n"

    public var files: [String: String]
    public var today: String

    public init(_ files: [String: String], today: String = "2026-06-01") {
        var all = files
        if all[Configuration.fileName] == nil { all[Configuration.fileName] = RuleExample.defaultConfig }
        self.files = all
        self.today = today
    }
}

/// What a rule is: its id, what it checks, its default severity, and examples that must and must
/// not trigger it (the examples double as tests).
public struct RuleDescription: Sendable {
    public var id: String
    public var name: String
    public var summary: String
    public var severity: Severity
    public var triggering: [RuleExample]
    public var nonTriggering: [RuleExample]

    public init(id: String, name: String, summary: String, severity: Severity, triggering: [RuleExample], nonTriggering: [RuleExample]) {
        self.id = id
        self.name = name
        self.summary = summary
        self.severity = severity
        self.triggering = triggering
        self.nonTriggering = nonTriggering
    }

    /// A finding of this rule at a position.
    public func finding(_ path: String, _ mark: Mark, _ message: String, record: String? = nil, severity: Severity? = nil) -> Finding {
        Finding(rule: id, severity: severity ?? self.severity, path: path, mark: mark, message: message, record: record)
    }
}

/// A check over the loaded project. Each rule lives in its own file.
public protocol Rule: Sendable {
    static var description: RuleDescription { get }
    /// What the rule reads beyond the loaded records; it decides which rules may run at once.
    static var reads: RuleReads { get }
    init()
    func check(_ project: Project) -> [Finding]
}

/// What a rule reads beyond the loaded records. libgit2 handles are not shared across threads, so
/// the rules that ask git run one after another on one thread; the others run in parallel with them.
public enum RuleReads: Sendable {
    /// Only the loaded records and configuration.
    case records
    /// Files through `project.source` (an SBOM document, a named report): in parallel when the
    /// source allows concurrent reads (the working tree, memory), else with the git rules (the
    /// index and commits are read through libgit2).
    case files
    /// Git facts (`project.git`): always with the other git rules.
    case git

    /// Whether a rule reading this must run in the one lane that uses git handles.
    func needsGitLane(_ source: any EvidenceSource) -> Bool {
        switch self {
        case .records: return false
        case .files: return !source.allowsConcurrentReads
        case .git: return true
        }
    }
}

extension Rule {
    public var description: RuleDescription { Self.description }
    public static var reads: RuleReads { .records }
}

/// Every rule evident runs, in a stable order.
public enum RuleRegistry {
    public static let all: [any Rule.Type] = [
        YAMLSyntaxRule.self,
        MultipleDocumentsRule.self,
        DuplicateKeyRule.self,
        InvalidEncodingRule.self,
        ResourceLimitRule.self,
        EmptyFileRule.self,
        SymlinkRule.self,
        ConfigUnknownKeyRule.self,
        ConfigInvalidRule.self,
        UnknownKindRule.self,
        EnvelopeRule.self,
        SchemaRule.self,
        SBOMDocumentRule.self,
        SBOMComponentRule.self,
        SBOMQualityRule.self,
        DuplicateIDRule.self,
        DuplicateAdvisoryIDRule.self,
        CaseCollisionRule.self,
        DanglingReferenceRule.self,
        TemplatePlaceholderRule.self,
        UnsupportedClaimRule.self,
        MissingFileRule.self,
        DanglingLocalIDRule.self,
        UnknownPersonRule.self,
        UnknownRequirementRule.self,
        NotApplicableWithoutReasonRule.self,
        ExemptionLapsedRule.self,
        StaleApprovalRule.self,
        SuspectLinkRule.self,
        GitReferenceRule.self,
        FixNotInReleaseRule.self,
        ReleaseGateRule.self,
        ApprovalNotByApproverRule.self,
        ApproverRoleRule.self,
        ApprovalNotSignedRule.self,
        RecordChangeNotSignedRule.self,
        AllowedSignersInvalidRule.self,
        TesterIndependenceRule.self,
        ReviewerIndependenceRule.self,
        CadenceOverdueRule.self,
        UnsafePathRule.self,
        CVSSVectorRule.self,
        DefectDatesRule.self,
        TriageDeadlineRule.self,
        FixDeadlineRule.self,
        ResidualRiskRule.self,
        CRAReportingRule.self,
        ReleaseOpenDefectsRule.self,
    ]

    public static func rule(id: String) -> (any Rule.Type)? {
        all.first { $0.description.id == id }
    }
}

/// Some record helpers rules share.
extension Record {
    /// A label for messages: the id, or the path when there is none.
    var label: String { id ?? path }
}
