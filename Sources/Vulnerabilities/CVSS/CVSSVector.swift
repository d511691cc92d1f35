import Foundation

/// A parsed CVSS vector: v3.0 and v3.1 with their base score, v4.0 with its score (FIRST
/// specifications); syntax (metrics, values, and for v4.0 their order) checked for all.
public struct CVSSVector: Sendable, Hashable {
    public enum Version: String, Sendable, Hashable {
        case v3_0 = "3.0"
        case v3_1 = "3.1"
        case v4_0 = "4.0"
    }

    public var version: Version
    /// Metric abbreviations to value abbreviations, as written.
    public var metrics: [String: String]

    /// The score (0.0 to 10.0): the v3.x base score, or the v4.0 score (CVSS-B, -BT, -BE or -BTE
    /// depending on the metrics given) from FIRST's macrovector tables.
    public var baseScore: Double? {
        version == .v4_0 ? CVSS4.score(metrics) : CVSS3.baseScore(metrics, version: version)
    }

    /// The qualitative rating of a score (None, Low, Medium, High, Critical).
    public static func severity(of score: Double) -> String {
        switch score {
        case ..<0.1: return "None"
        case ..<4.0: return "Low"
        case ..<7.0: return "Medium"
        case ..<9.0: return "High"
        default: return "Critical"
        }
    }

    /// The vector written back with its metrics in the specification's order (for v4.0 the only
    /// valid order; v3.x base metrics first, then temporal and environmental ones), leaving out
    /// metrics written as X (Not Defined), as FIRST's calculators do; the score is the same.
    public var canonical: String {
        let table = version == .v4_0 ? CVSS4.metrics : CVSS3.metrics
        let parts = table.compactMap { metric in metrics[metric.name].flatMap { $0 == "X" ? nil : "\(metric.name):\($0)" } }
        return (["CVSS:" + version.rawValue] + parts).joined(separator: "/")
    }

    /// Parses a vector string such as `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`. CVSS 4.0 fixes
    /// the metric order; with `anyOrder` a v4.0 vector in another order is read too (`canonical`
    /// writes it back in order).
    public static func parse(_ text: String, anyOrder: Bool = false) -> Result<CVSSVector, CVSSError> {
        guard text.utf8.count <= 512 else { return .failure(.malformed("vector is longer than 512 characters")) }
        var parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let prefix = parts.first, prefix.hasPrefix("CVSS:") else {
            return .failure(.malformed("a vector starts with 'CVSS:3.0/', 'CVSS:3.1/' or 'CVSS:4.0/'"))
        }
        guard let version = Version(rawValue: String(prefix.dropFirst("CVSS:".count))) else {
            return .failure(.malformed("unknown CVSS version '\(prefix.dropFirst("CVSS:".count))' (3.0, 3.1 or 4.0)"))
        }
        parts.removeFirst()
        let table = version == .v4_0 ? CVSS4.metrics : CVSS3.metrics
        var metrics: [String: String] = [:]
        var lastIndex = -1
        for part in parts {
            let pair = part.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard pair.count == 2, !pair[0].isEmpty, !pair[1].isEmpty else {
                return .failure(.malformed("'\(part)' is not a METRIC:VALUE pair"))
            }
            let (name, value) = (pair[0], pair[1])
            guard let index = table.firstIndex(where: { $0.name == name }) else {
                return .failure(.malformed("unknown metric '\(name)' for CVSS \(version.rawValue)"))
            }
            guard metrics[name] == nil else { return .failure(.malformed("metric '\(name)' appears twice")) }
            guard table[index].values.contains(value) else {
                return .failure(.malformed("'\(value)' is not a value of \(name) (\(table[index].values.joined(separator: ", ")))"))
            }
            if version == .v4_0, index < lastIndex, !anyOrder {
                return .failure(.outOfOrder(name))
            }
            lastIndex = index
            metrics[name] = value
        }
        let missing = table.filter { $0.base && metrics[$0.name] == nil }.map(\.name)
        guard missing.isEmpty else {
            return .failure(.malformed("base metric\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) missing"))
        }
        return .success(CVSSVector(version: version, metrics: metrics))
    }
}

/// Why a vector was refused.
public enum CVSSError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    /// A v4.0 metric written after one the specification puts later.
    case outOfOrder(String)
    public var description: String {
        switch self {
        case .malformed(let reason): return reason
        case .outOfOrder(let metric): return "metric '\(metric)' is out of order (CVSS 4.0 fixes the order)"
        }
    }
}

struct CVSSMetric: Sendable {
    var name: String
    var values: [String]
    var base: Bool
}

/// CVSS v3.0/v3.1 metrics and base-score arithmetic (FIRST CVSS v3.1 specification, section 7).
enum CVSS3 {
    static let metrics: [CVSSMetric] = [
        CVSSMetric(name: "AV", values: ["N", "A", "L", "P"], base: true),
        CVSSMetric(name: "AC", values: ["L", "H"], base: true),
        CVSSMetric(name: "PR", values: ["N", "L", "H"], base: true),
        CVSSMetric(name: "UI", values: ["N", "R"], base: true),
        CVSSMetric(name: "S", values: ["U", "C"], base: true),
        CVSSMetric(name: "C", values: ["H", "L", "N"], base: true),
        CVSSMetric(name: "I", values: ["H", "L", "N"], base: true),
        CVSSMetric(name: "A", values: ["H", "L", "N"], base: true),
        CVSSMetric(name: "E", values: ["X", "H", "F", "P", "U"], base: false),
        CVSSMetric(name: "RL", values: ["X", "U", "W", "T", "O"], base: false),
        CVSSMetric(name: "RC", values: ["X", "C", "R", "U"], base: false),
        CVSSMetric(name: "CR", values: ["X", "H", "M", "L"], base: false),
        CVSSMetric(name: "IR", values: ["X", "H", "M", "L"], base: false),
        CVSSMetric(name: "AR", values: ["X", "H", "M", "L"], base: false),
        CVSSMetric(name: "MAV", values: ["X", "N", "A", "L", "P"], base: false),
        CVSSMetric(name: "MAC", values: ["X", "L", "H"], base: false),
        CVSSMetric(name: "MPR", values: ["X", "N", "L", "H"], base: false),
        CVSSMetric(name: "MUI", values: ["X", "N", "R"], base: false),
        CVSSMetric(name: "MS", values: ["X", "U", "C"], base: false),
        CVSSMetric(name: "MC", values: ["X", "H", "L", "N"], base: false),
        CVSSMetric(name: "MI", values: ["X", "H", "L", "N"], base: false),
        CVSSMetric(name: "MA", values: ["X", "H", "L", "N"], base: false),
    ]

    static func baseScore(_ m: [String: String], version: CVSSVector.Version) -> Double? {
        let changed = m["S"] == "C"
        guard let av = ["N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2][m["AV"] ?? ""],
              let ac = ["L": 0.77, "H": 0.44][m["AC"] ?? ""],
              let pr = (changed ? ["N": 0.85, "L": 0.68, "H": 0.5] : ["N": 0.85, "L": 0.62, "H": 0.27])[m["PR"] ?? ""],
              let ui = ["N": 0.85, "R": 0.62][m["UI"] ?? ""] else { return nil }
        let cia = ["H": 0.56, "L": 0.22, "N": 0.0]
        guard let c = cia[m["C"] ?? ""], let i = cia[m["I"] ?? ""], let a = cia[m["A"] ?? ""] else { return nil }
        let iss = 1 - (1 - c) * (1 - i) * (1 - a)
        let impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss
        let exploitability = 8.22 * av * ac * pr * ui
        guard impact > 0 else { return 0 }
        let sum = changed ? min(1.08 * (impact + exploitability), 10) : min(impact + exploitability, 10)
        return roundUp(sum, version: version)
    }

    /// The smallest number, to one decimal place, equal to or higher than the input. v3.1 works in
    /// integers to avoid floating-point artefacts (Appendix A); v3.0 used a plain ceiling.
    static func roundUp(_ value: Double, version: CVSSVector.Version) -> Double {
        if version == .v3_0 { return (value * 10).rounded(.up) / 10 }
        let integer = Int((value * 100_000).rounded())
        if integer % 10_000 == 0 { return Double(integer) / 100_000 }
        return Double(integer / 10_000 + 1) / 10
    }
}

/// CVSS v4.0 metrics in the order the specification fixes (section 7).
enum CVSS4 {
    static let metrics: [CVSSMetric] = [
        CVSSMetric(name: "AV", values: ["N", "A", "L", "P"], base: true),
        CVSSMetric(name: "AC", values: ["L", "H"], base: true),
        CVSSMetric(name: "AT", values: ["N", "P"], base: true),
        CVSSMetric(name: "PR", values: ["N", "L", "H"], base: true),
        CVSSMetric(name: "UI", values: ["N", "P", "A"], base: true),
        CVSSMetric(name: "VC", values: ["H", "L", "N"], base: true),
        CVSSMetric(name: "VI", values: ["H", "L", "N"], base: true),
        CVSSMetric(name: "VA", values: ["H", "L", "N"], base: true),
        CVSSMetric(name: "SC", values: ["H", "L", "N"], base: true),
        CVSSMetric(name: "SI", values: ["H", "L", "N"], base: true),
        CVSSMetric(name: "SA", values: ["H", "L", "N"], base: true),
        CVSSMetric(name: "E", values: ["X", "A", "P", "U"], base: false),
        CVSSMetric(name: "CR", values: ["X", "H", "M", "L"], base: false),
        CVSSMetric(name: "IR", values: ["X", "H", "M", "L"], base: false),
        CVSSMetric(name: "AR", values: ["X", "H", "M", "L"], base: false),
        CVSSMetric(name: "MAV", values: ["X", "N", "A", "L", "P"], base: false),
        CVSSMetric(name: "MAC", values: ["X", "L", "H"], base: false),
        CVSSMetric(name: "MAT", values: ["X", "N", "P"], base: false),
        CVSSMetric(name: "MPR", values: ["X", "N", "L", "H"], base: false),
        CVSSMetric(name: "MUI", values: ["X", "N", "P", "A"], base: false),
        CVSSMetric(name: "MVC", values: ["X", "H", "L", "N"], base: false),
        CVSSMetric(name: "MVI", values: ["X", "H", "L", "N"], base: false),
        CVSSMetric(name: "MVA", values: ["X", "H", "L", "N"], base: false),
        CVSSMetric(name: "MSC", values: ["X", "H", "L", "N"], base: false),
        CVSSMetric(name: "MSI", values: ["X", "S", "H", "L", "N"], base: false),
        CVSSMetric(name: "MSA", values: ["X", "S", "H", "L", "N"], base: false),
        CVSSMetric(name: "S", values: ["X", "N", "P"], base: false),
        CVSSMetric(name: "AU", values: ["X", "N", "Y"], base: false),
        CVSSMetric(name: "R", values: ["X", "A", "U", "I"], base: false),
        CVSSMetric(name: "V", values: ["X", "D", "C"], base: false),
        CVSSMetric(name: "RE", values: ["X", "L", "M", "H"], base: false),
        CVSSMetric(name: "U", values: ["X", "Clear", "Green", "Amber", "Red"], base: false),
    ]
}

extension CVSS4 {
    static let levels: [String: [String: Double]] = [
        "AV": ["N": 0.0, "A": 0.1, "L": 0.2, "P": 0.3], "PR": ["N": 0.0, "L": 0.1, "H": 0.2], "UI": ["N": 0.0, "P": 0.1, "A": 0.2],
        "AC": ["L": 0.0, "H": 0.1], "AT": ["N": 0.0, "P": 0.1],
        "VC": ["H": 0.0, "L": 0.1, "N": 0.2], "VI": ["H": 0.0, "L": 0.1, "N": 0.2], "VA": ["H": 0.0, "L": 0.1, "N": 0.2],
        "SC": ["H": 0.1, "L": 0.2, "N": 0.3], "SI": ["S": 0.0, "H": 0.1, "L": 0.2, "N": 0.3], "SA": ["S": 0.0, "H": 0.1, "L": 0.2, "N": 0.3],
        "CR": ["H": 0.0, "M": 0.1, "L": 0.2], "IR": ["H": 0.0, "M": 0.1, "L": 0.2], "AR": ["H": 0.0, "M": 0.1, "L": 0.2],
    ]

    /// The CVSS v4.0 score (base, threat and environmental metrics as given) per the specification's
    /// section 8: the macrovector's score from FIRST's table, lowered by the mean proportional
    /// severity distance to the next lower macrovectors.
    static func score(_ vector: [String: String]) -> Double? {
        // The effective value of a metric: modified metrics override, X falls back to the worst case.
        func m(_ metric: String) -> String {
            let selected = vector[metric] ?? "X"
            if metric == "E", selected == "X" { return "A" }
            if ["CR", "IR", "AR"].contains(metric), selected == "X" { return "H" }
            if let modified = vector["M" + metric], modified != "X" { return modified }
            return selected
        }
        if ["VC", "VI", "VA", "SC", "SI", "SA"].allSatisfy({ m($0) == "N" }) { return 0 }
        let anyN = m("AV") == "N" || m("PR") == "N" || m("UI") == "N"
        let allN = m("AV") == "N" && m("PR") == "N" && m("UI") == "N"
        let eq1 = allN ? 0 : (anyN && m("AV") != "P" ? 1 : 2)
        let eq2 = m("AC") == "L" && m("AT") == "N" ? 0 : 1
        let eq3 = m("VC") == "H" && m("VI") == "H" ? 0 : (m("VC") == "H" || m("VI") == "H" || m("VA") == "H" ? 1 : 2)
        let eq4 = m("MSI") == "S" || m("MSA") == "S" ? 0 : (m("SC") == "H" || m("SI") == "H" || m("SA") == "H" ? 1 : 2)
        let eq5 = ["A": 0, "P": 1, "U": 2][m("E")] ?? 0
        let eq6 = (m("CR") == "H" && m("VC") == "H") || (m("IR") == "H" && m("VI") == "H") || (m("AR") == "H" && m("VA") == "H") ? 0 : 1
        func key(_ levels: [Int]) -> String { levels.map(String.init).joined() }
        guard let value = lookup[key([eq1, eq2, eq3, eq4, eq5, eq6])] else { return nil }

        let lower1 = lookup[key([eq1 + 1, eq2, eq3, eq4, eq5, eq6])]
        let lower2 = lookup[key([eq1, eq2 + 1, eq3, eq4, eq5, eq6])]
        let lower36: Double?
        switch (eq3, eq6) {
        case (1, 1), (0, 1): lower36 = lookup[key([eq1, eq2, eq3 + 1, eq4, eq5, eq6])]
        case (1, 0): lower36 = lookup[key([eq1, eq2, eq3, eq4, eq5, eq6 + 1])]
        case (0, 0):
            let left = lookup[key([eq1, eq2, eq3, eq4, eq5, eq6 + 1])]
            let right = lookup[key([eq1, eq2, eq3 + 1, eq4, eq5, eq6])]
            // The higher of the two paths (as FIRST's calculator: the right one unless the left is higher).
            if let left, let right, left > right { lower36 = left } else { lower36 = right }
        default: lower36 = lookup[key([eq1, eq2, eq3 + 1, eq4, eq5, eq6 + 1])]
        }
        let lower4 = lookup[key([eq1, eq2, eq3, eq4 + 1, eq5, eq6])]
        let lower5 = lookup[key([eq1, eq2, eq3, eq4, eq5 + 1, eq6])]

        guard let maxes1 = maxComposed1[eq1], let maxes2 = maxComposed2[eq2], let maxes36 = maxComposed3[eq3]?[eq6],
              let maxes4 = maxComposed4[eq4], let maxes5 = maxComposed5[eq5] else { return nil }
        var distances: [String: Double] = [:]
        search: for a in maxes1 { for b in maxes2 { for c in maxes36 { for d in maxes4 { for e in maxes5 {
            var parts: [String: String] = [:]
            for part in (a + b + c + d + e).split(separator: "/") {
                let pair = part.split(separator: ":")
                if pair.count == 2 { parts[String(pair[0])] = String(pair[1]) }
            }
            var candidate: [String: Double] = [:]
            for (metric, table) in levels {
                guard let mine = table[m(metric)], let highest = parts[metric].flatMap({ table[$0] }) else { continue search }
                candidate[metric] = mine - highest
            }
            if candidate.values.contains(where: { $0 < 0 }) { continue }
            distances = candidate
            break search
        } } } } }
        func d(_ metrics: String...) -> Double { metrics.reduce(0) { $0 + (distances[$1] ?? 0) } }
        let step = 0.1
        var count = 0
        var total = 0.0
        func add(_ lower: Double?, current: Double, maxSeverity: Int?) {
            guard let lower else { return }
            count += 1
            guard let maxSeverity, maxSeverity > 0 else { return }
            total += (value - lower) * (current / (Double(maxSeverity) * step))
        }
        add(lower1, current: d("AV", "PR", "UI"), maxSeverity: maxSeverity1[eq1])
        add(lower2, current: d("AC", "AT"), maxSeverity: maxSeverity2[eq2])
        add(lower36, current: d("VC", "VI", "VA", "CR", "IR", "AR"), maxSeverity: maxSeverity3and6[eq3]?[eq6])
        add(lower4, current: d("SC", "SI", "SA"), maxSeverity: maxSeverity4[eq4])
        if lower5 != nil { count += 1 } // EQ5's proportion is always 0
        let score = min(max(value - (count == 0 ? 0 : total / Double(count)), 0), 10)
        // One decimal, half up, with FIRST's calculator's epsilon (4.95 computed as 4.9499... is 5.0).
        return (score * 10 + 1e-6).rounded(.toNearestOrAwayFromZero) / 10
    }
}
