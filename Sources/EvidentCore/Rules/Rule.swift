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
    /// Whether the rule asks git (`project.git`) or reads files through `project.source`: such
    /// rules run one after another on one thread, since libgit2 handles are not shared across
    /// threads; the others run in parallel with them.
    static var readsRepository: Bool { get }
    init()
    func check(_ project: Project) -> [Finding]
}

extension Rule {
    public var description: RuleDescription { Self.description }
    public static var readsRepository: Bool { false }
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
