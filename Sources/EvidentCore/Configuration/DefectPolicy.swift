/// The supplier's defect-handling policy from `.evident.yml`:
///
/// ```yaml
/// policy:
///   triage-days: {critical: 2, high: 3, medium: 7, low: 14}   # or one number for every severity
///   fix-days: {critical: 14, high: 30, medium: 90, low: 180}  # SUM-5: received -> first release with the fix
///   residual-risk: 4.0   # DM-4: accepted/deferred only for CVSS scores below this
/// ```
///
/// A severity missing from a map has no deadline; a defect whose severity is unknown gets the
/// strictest (shortest) deadline given.
public struct DefectPolicy: Sendable, Equatable {
    public static let severities = ["critical", "high", "medium", "low", "none"]

    public var triageDays: [String: Int] = [:]
    public var fixDays: [String: Int] = [:]
    public var residualRisk: Double?

    public init() {}

    /// The deadline in days for a severity (`unknown`: the shortest given), or nil without one.
    public static func days(_ table: [String: Int], severity: String) -> Int? {
        if let days = table[severity] { return days }
        return severity == "unknown" ? table.values.min() : nil
    }

    static func parse(_ value: YAMLNode, into policy: inout DefectPolicy, problems: inout [ConfigProblem]) {
        func invalid(_ node: YAMLNode, _ message: String) {
            problems.append(ConfigProblem(kind: .invalidValue, message: message, mark: node.mark))
        }
        func days(_ node: YAMLNode, _ key: String) -> Int? {
            guard let text = node.string, case .int = YAMLScalar.CoreValue.resolve(text), let days = Int(text), (0...3650).contains(days) else {
                invalid(node, "'policy.\(key)' must be a whole number of days from 0 to 3650")
                return nil
            }
            return days
        }
        func table(_ node: YAMLNode, _ key: String) -> [String: Int] {
            if node.string != nil { return days(node, key).map { d in Dictionary(uniqueKeysWithValues: severities.map { ($0, d) }) } ?? [:] }
            guard case .mapping(let pairs, _) = node else {
                invalid(node, "'policy.\(key)' must map severities (\(severities.joined(separator: ", "))) to days, or be one number of days")
                return [:]
            }
            var out: [String: Int] = [:]
            for pair in pairs {
                guard let severity = pair.key.string, severities.contains(severity) else {
                    problems.append(ConfigProblem(kind: .unknownKey, message: "unknown severity '\(pair.key.string ?? "?")' in policy.\(key) (\(severities.joined(separator: ", ")))", mark: pair.key.mark))
                    continue
                }
                if let d = days(pair.value, "\(key).\(severity)") { out[severity] = d }
            }
            return out
        }
        guard case .mapping(let pairs, _) = value else { invalid(value, "'policy' must be a mapping (triage-days, fix-days, residual-risk)"); return }
        for pair in pairs {
            switch pair.key.string {
            case "triage-days": policy.triageDays = table(pair.value, "triage-days")
            case "fix-days": policy.fixDays = table(pair.value, "fix-days")
            case "residual-risk":
                if let text = pair.value.string, let score = Double(text), (0...10).contains(score) {
                    policy.residualRisk = score
                } else {
                    invalid(pair.value, "'policy.residual-risk' must be a CVSS score from 0.0 to 10.0")
                }
            default:
                problems.append(ConfigProblem(kind: .unknownKey, message: "unknown key 'policy.\(pair.key.string ?? "?")' (triage-days, fix-days, residual-risk)", mark: pair.key.mark))
            }
        }
    }
}
