import Foundation

/// CVSS v3.0/v3.1 temporal and environmental scores (FIRST CVSS v3.1 specification, sections 7.2
/// and 7.3; v3.0 section 8), beside the base score of `CVSSVector`.
extension CVSSVector {
    /// The temporal score: the base score weighted by exploit maturity, remediation level and report
    /// confidence (all 1 when absent or `X`). Nil for v4.0, which has no temporal score.
    public var temporalScore: Double? {
        guard version != .v4_0, let base = baseScore else { return nil }
        return CVSS3.roundUp(base * CVSS3.temporalFactor(metrics), version: version)
    }

    /// The environmental score: the modified base metrics (defaulting to the base values) with the
    /// security requirements, then the temporal factor. Nil for v4.0.
    public var environmentalScore: Double? {
        guard version != .v4_0 else { return nil }
        return CVSS3.environmentalScore(metrics, version: version)
    }
}

extension CVSS3 {
    static func temporalFactor(_ m: [String: String]) -> Double {
        let e: Double = ["H": 1.0, "F": 0.97, "P": 0.94, "U": 0.91][m["E"] ?? "X"] ?? 1
        let rl: Double = ["U": 1.0, "W": 0.97, "T": 0.96, "O": 0.95][m["RL"] ?? "X"] ?? 1
        let rc: Double = ["C": 1.0, "R": 0.96, "U": 0.92][m["RC"] ?? "X"] ?? 1
        return e * rl * rc
    }

    static func environmentalScore(_ m: [String: String], version: CVSSVector.Version) -> Double? {
        func modified(_ name: String) -> String? {
            if let value = m["M" + name], value != "X" { return value }
            return m[name]
        }
        let changed = modified("S") == "C"
        guard let av: Double = ["N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2][modified("AV") ?? ""],
              let ac: Double = ["L": 0.77, "H": 0.44][modified("AC") ?? ""],
              let pr = (changed ? ["N": 0.85, "L": 0.68, "H": 0.5] : ["N": 0.85, "L": 0.62, "H": 0.27])[modified("PR") ?? ""],
              let ui = ["N": 0.85, "R": 0.62][modified("UI") ?? ""] else { return nil }
        let cia = ["H": 0.56, "L": 0.22, "N": 0.0]
        guard let c = cia[modified("C") ?? ""], let i = cia[modified("I") ?? ""], let a = cia[modified("A") ?? ""] else { return nil }
        let requirement = ["H": 1.5, "M": 1.0, "L": 0.5]
        let cr = requirement[m["CR"] ?? "X"] ?? 1, ir = requirement[m["IR"] ?? "X"] ?? 1, ar = requirement[m["AR"] ?? "X"] ?? 1
        let miss = min(1 - (1 - cr * c) * (1 - ir * i) * (1 - ar * a), 0.915)
        let impact: Double
        if !changed {
            impact = 6.42 * miss
        } else if version == .v3_0 {
            impact = 7.52 * (miss - 0.029) - 3.25 * pow(miss - 0.02, 15)
        } else {
            impact = 7.52 * (miss - 0.029) - 3.25 * pow(miss * 0.9731 - 0.02, 13)
        }
        let exploitability = 8.22 * av * ac * pr * ui
        guard impact > 0 else { return 0 }
        let sum = changed ? min(1.08 * (impact + exploitability), 10) : min(impact + exploitability, 10)
        return roundUp(roundUp(sum, version: version) * temporalFactor(m), version: version)
    }
}
