import Foundation

/// The version syntax of evident's records (`"2.3.0"`, `"<= 2.3.0"`, `"2.0.0 - 2.3.0"`) turned into
/// CSAF's: a plain version, or a `vers:generic/...` range (never range words in a version name).
enum VersionSpec: Hashable {
    case exact(String)
    /// Constraints such as (">=", "2.0.0"), ("<=", "2.3.0").
    case range([(op: String, version: String)])

    static func == (a: VersionSpec, b: VersionSpec) -> Bool { a.text == b.text }
    func hash(into hasher: inout Hasher) { hasher.combine(text) }

    private static let operators = ["<=", ">=", "<", ">", "="]

    /// Parses a record's version or range; nil when it is neither.
    static func parse(_ text: String) -> VersionSpec? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        func isVersion(_ s: String) -> Bool {
            guard let first = s.first, first.isLetter || first.isNumber else { return false }
            return s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ".+_~-".contains($0)) }
        }
        let dash = trimmed.components(separatedBy: " - ")
        if dash.count == 2 {
            let low = dash[0].trimmingCharacters(in: .whitespaces), high = dash[1].trimmingCharacters(in: .whitespaces)
            guard isVersion(low), isVersion(high) else { return nil }
            return .range([(">=", low), ("<=", high)])
        }
        for op in operators where trimmed.hasPrefix(op) {
            let version = trimmed.dropFirst(op.count).trimmingCharacters(in: .whitespaces)
            guard isVersion(version) else { return nil }
            return op == "=" ? .exact(version) : .range([(op, version)])
        }
        return isVersion(trimmed) ? .exact(trimmed) : nil
    }

    /// The CSAF product version name: the version itself, or a vers expression.
    var text: String {
        switch self {
        case .exact(let version): return version
        case .range(let constraints): return "vers:generic/" + constraints.map { "\($0.op)\($0.version)" }.joined(separator: "|")
        }
    }

    var isRange: Bool { if case .range = self { return true } else { return false } }

    /// Whether an exact version lies in this spec (dotted numeric comparison, then text).
    func contains(_ version: String) -> Bool {
        switch self {
        case .exact(let v): return VersionOrder.compare(v, version) == 0
        case .range(let constraints):
            return constraints.allSatisfy { constraint in
                let c = VersionOrder.compare(version, constraint.version)
                switch constraint.op {
                case "<": return c < 0
                case "<=": return c <= 0
                case ">": return c > 0
                case ">=": return c >= 0
                default: return c == 0
                }
            }
        }
    }
}

/// Orders versions such as 2.3.0 < 2.3.1 < 2.10.0 (numeric parts compared as numbers).
enum VersionOrder {
    static func compare(_ a: String, _ b: String) -> Int {
        let split: (String) -> [Substring] = { $0.split(whereSeparator: { ".-_+~".contains($0) }) }
        let x = split(a), y = split(b)
        for (p, q) in zip(x, y) where p != q {
            if let i = Int(p), let j = Int(q) { return i < j ? -1 : 1 }
            return p < q ? -1 : 1
        }
        return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
    }
}
