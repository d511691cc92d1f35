import Foundation

/// A CVSS v2.0 vector (`AV:N/AC:L/Au:N/C:C/I:C/A:C`, optionally temporal and environmental metrics)
/// with its base, temporal and environmental scores (FIRST, "A Complete Guide to the CVSS v2", 3.2).
/// CSAF 2.0 still carries v2 scores; evident itself scores defects in v3.x or v4.0.
public struct CVSS2Vector: Sendable, Hashable {
    public var metrics: [String: String]

    static let table: [(name: String, values: [String], base: Bool)] = [
        ("AV", ["L", "A", "N"], true), ("AC", ["H", "M", "L"], true), ("Au", ["M", "S", "N"], true),
        ("C", ["N", "P", "C"], true), ("I", ["N", "P", "C"], true), ("A", ["N", "P", "C"], true),
        ("E", ["U", "POC", "F", "H", "ND"], false), ("RL", ["OF", "TF", "W", "U", "ND"], false),
        ("RC", ["UC", "UR", "C", "ND"], false), ("CDP", ["N", "L", "LM", "MH", "H", "ND"], false),
        ("TD", ["N", "L", "M", "H", "ND"], false), ("CR", ["L", "M", "H", "ND"], false),
        ("IR", ["L", "M", "H", "ND"], false), ("AR", ["L", "M", "H", "ND"], false),
    ]

    /// Parses a v2 vector; metrics in the specification's order, base metrics required.
    public static func parse(_ text: String) -> Result<CVSS2Vector, CVSSError> {
        guard text.utf8.count <= 256 else { return .failure(.malformed("vector is longer than 256 characters")) }
        var metrics: [String: String] = [:]
        var lastIndex = -1
        for part in text.split(separator: "/", omittingEmptySubsequences: false) {
            let pair = part.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard pair.count == 2, let index = table.firstIndex(where: { $0.name == pair[0] }) else {
                return .failure(.malformed("'\(part)' is not a CVSS v2 METRIC:VALUE pair"))
            }
            guard table[index].values.contains(pair[1]) else {
                return .failure(.malformed("'\(pair[1])' is not a value of \(pair[0]) (\(table[index].values.joined(separator: ", ")))"))
            }
            guard index > lastIndex else { return .failure(.malformed("metric '\(pair[0])' repeated or out of order")) }
            lastIndex = index
            metrics[pair[0]] = pair[1]
        }
        let missing = table.filter { $0.base && metrics[$0.name] == nil }.map(\.name)
        guard missing.isEmpty else { return .failure(.malformed("base metrics \(missing.joined(separator: ", ")) missing")) }
        return .success(CVSS2Vector(metrics: metrics))
    }

    private static func round1(_ value: Double) -> Double { (value * 10).rounded(.toNearestOrAwayFromZero) / 10 }
    private static let impactWeights = ["N": 0.0, "P": 0.275, "C": 0.660]

    private func base(impact: Double) -> Double {
        let av: Double = ["L": 0.395, "A": 0.646, "N": 1.0][metrics["AV"] ?? ""] ?? 0
        let ac: Double = ["H": 0.35, "M": 0.61, "L": 0.71][metrics["AC"] ?? ""] ?? 0
        let au: Double = ["M": 0.45, "S": 0.56, "N": 0.704][metrics["Au"] ?? ""] ?? 0
        let exploitability = 20 * av * ac * au
        let f: Double = impact == 0 ? 0 : 1.176
        return Self.round1((0.6 * impact + 0.4 * exploitability - 1.5) * f)
    }

    private var temporalFactor: Double {
        let e: Double = ["U": 0.85, "POC": 0.9, "F": 0.95, "H": 1.0][metrics["E"] ?? "ND"] ?? 1
        let rl: Double = ["OF": 0.87, "TF": 0.90, "W": 0.95, "U": 1.0][metrics["RL"] ?? "ND"] ?? 1
        let rc: Double = ["UC": 0.90, "UR": 0.95, "C": 1.0][metrics["RC"] ?? "ND"] ?? 1
        return e * rl * rc
    }

    private func weight(_ name: String) -> Double { Self.impactWeights[metrics[name] ?? ""] ?? 0 }

    public var baseScore: Double {
        base(impact: 10.41 * (1 - (1 - weight("C")) * (1 - weight("I")) * (1 - weight("A"))))
    }

    public var temporalScore: Double { Self.round1(baseScore * temporalFactor) }

    public var environmentalScore: Double {
        let requirement: [String: Double] = ["L": 0.5, "M": 1.0, "H": 1.51]
        let cr: Double = requirement[metrics["CR"] ?? "ND"] ?? 1, ir: Double = requirement[metrics["IR"] ?? "ND"] ?? 1
        let ar: Double = requirement[metrics["AR"] ?? "ND"] ?? 1
        let impact = min(10, 10.41 * (1 - (1 - weight("C") * cr) * (1 - weight("I") * ir) * (1 - weight("A") * ar)))
        let adjustedTemporal = Self.round1(base(impact: impact) * temporalFactor)
        let cdp: Double = ["N": 0.0, "L": 0.1, "LM": 0.3, "MH": 0.4, "H": 0.5][metrics["CDP"] ?? "ND"] ?? 0
        let td: Double = ["N": 0.0, "L": 0.25, "M": 0.75, "H": 1.0][metrics["TD"] ?? "ND"] ?? 1
        return Self.round1((adjustedTemporal + (10 - adjustedTemporal) * cdp) * td)
    }
}
