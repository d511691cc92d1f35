import Foundation
import JSONSchema

/// CVSS and CWE tests (6.1.8 - 6.1.11): scores are recomputed from the vector with evident's CVSS code.
extension CSAFMandatoryTests {
    /// Each score object of the document: its pointer, the CVSS key (`cvss_v2`, `cvss_v3`) and its value.
    static func cvssObjects(_ c: CSAFDocumentContext) -> [(pointer: String, key: String, value: JSONValue)] {
        var out: [(String, String, JSONValue)] = []
        for (v, vulnerability) in c.vulnerabilities.enumerated() {
            for (s, score) in (vulnerability["scores"]?.arrayValue ?? []).enumerated() {
                for key in ["cvss_v2", "cvss_v3"] {
                    if let value = score[key] { out.append(("/vulnerabilities/\(v)/scores/\(s)/\(key)", key, value)) }
                }
            }
        }
        return out
    }

    static func invalidCVSS(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        guard let schemas = try? CSAFSchemas.shared() else { return [] }
        var out: [CSAFFinding] = []
        for object in cvssObjects(c) {
            let version = object.key == "cvss_v2" ? "2.0" : (object.value["version"]?.stringValue ?? "")
            guard let schema = schemas.cvss[version] else {
                out.append(finding("6.1.8", object.pointer + "/version", "unknown CVSS version '\(version)' in \(object.key)"))
                continue
            }
            for error in schemas.validator.validate(instance: object.value, against: schema).errors {
                out.append(finding("6.1.8", object.pointer + error.instanceLocation, "invalid CVSS \(version) object: \(error.message)"))
            }
        }
        return out
    }

    static func severityName(_ score: Double) -> String { CVSSVector.severity(of: score).uppercased() }

    static func invalidCVSSComputation(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        var out: [CSAFFinding] = []
        func compare(_ object: JSONValue, _ pointer: String, _ key: String, _ computed: Double?) {
            guard let given = object[key]?.numberValue?.double, let computed else { return }
            if abs(given - computed) > 0.0001 {
                out.append(finding("6.1.9", pointer + "/" + key, "\(key) is \(JSONNumber(given)), the vector gives \(JSONNumber(computed))"))
            }
        }
        func compareSeverity(_ object: JSONValue, _ pointer: String, _ key: String, _ computed: Double?) {
            guard let given = object[key]?.stringValue, let computed else { return }
            if given != severityName(computed) {
                out.append(finding("6.1.9", pointer + "/" + key, "\(key) is \(given), the vector's score \(JSONNumber(computed)) is \(severityName(computed))"))
            }
        }
        for object in cvssObjects(c) {
            guard let vector = object.value["vectorString"]?.stringValue else { continue }
            if object.key == "cvss_v2" {
                guard case .success(let parsed) = CVSS2Vector.parse(vector) else { continue }
                compare(object.value, object.pointer, "baseScore", parsed.baseScore)
                compare(object.value, object.pointer, "temporalScore", parsed.temporalScore)
                compare(object.value, object.pointer, "environmentalScore", parsed.environmentalScore)
            } else {
                guard case .success(let parsed) = CVSSVector.parse(vector), parsed.version != .v4_0 else { continue }
                compare(object.value, object.pointer, "baseScore", parsed.baseScore)
                compareSeverity(object.value, object.pointer, "baseSeverity", parsed.baseScore)
                compare(object.value, object.pointer, "temporalScore", parsed.temporalScore)
                compareSeverity(object.value, object.pointer, "temporalSeverity", parsed.temporalScore)
                compare(object.value, object.pointer, "environmentalScore", parsed.environmentalScore)
                compareSeverity(object.value, object.pointer, "environmentalSeverity", parsed.environmentalScore)
            }
        }
        return out
    }

    /// Property name -> (vector metric, vector value -> property value), as the FIRST JSON schemas name them.
    static let cvss3Properties: [String: (String, [String: String])] = {
        let av = ["N": "NETWORK", "A": "ADJACENT_NETWORK", "L": "LOCAL", "P": "PHYSICAL"]
        let lowHigh = ["L": "LOW", "H": "HIGH"]
        let pr = ["N": "NONE", "L": "LOW", "H": "HIGH"]
        let ui = ["N": "NONE", "R": "REQUIRED"]
        let scope = ["U": "UNCHANGED", "C": "CHANGED"]
        let cia = ["H": "HIGH", "L": "LOW", "N": "NONE"]
        let requirement = ["H": "HIGH", "M": "MEDIUM", "L": "LOW"]
        func optional(_ map: [String: String]) -> [String: String] { map.merging(["X": "NOT_DEFINED"]) { a, _ in a } }
        return [
            "attackVector": ("AV", av), "attackComplexity": ("AC", lowHigh), "privilegesRequired": ("PR", pr),
            "userInteraction": ("UI", ui), "scope": ("S", scope), "confidentialityImpact": ("C", cia),
            "integrityImpact": ("I", cia), "availabilityImpact": ("A", cia),
            "exploitCodeMaturity": ("E", optional(["H": "HIGH", "F": "FUNCTIONAL", "P": "PROOF_OF_CONCEPT", "U": "UNPROVEN"])),
            "remediationLevel": ("RL", optional(["U": "UNAVAILABLE", "W": "WORKAROUND", "T": "TEMPORARY_FIX", "O": "OFFICIAL_FIX"])),
            "reportConfidence": ("RC", optional(["C": "CONFIRMED", "R": "REASONABLE", "U": "UNKNOWN"])),
            "confidentialityRequirement": ("CR", optional(requirement)), "integrityRequirement": ("IR", optional(requirement)),
            "availabilityRequirement": ("AR", optional(requirement)),
            "modifiedAttackVector": ("MAV", optional(av)), "modifiedAttackComplexity": ("MAC", optional(lowHigh)),
            "modifiedPrivilegesRequired": ("MPR", optional(pr)), "modifiedUserInteraction": ("MUI", optional(ui)),
            "modifiedScope": ("MS", optional(scope)), "modifiedConfidentialityImpact": ("MC", optional(cia)),
            "modifiedIntegrityImpact": ("MI", optional(cia)), "modifiedAvailabilityImpact": ("MA", optional(cia)),
        ]
    }()

    static let cvss2Properties: [String: (String, [String: String])] = {
        let cia = ["N": "NONE", "P": "PARTIAL", "C": "COMPLETE"]
        let requirement = ["L": "LOW", "M": "MEDIUM", "H": "HIGH", "ND": "NOT_DEFINED"]
        return [
            "accessVector": ("AV", ["L": "LOCAL", "A": "ADJACENT_NETWORK", "N": "NETWORK"]),
            "accessComplexity": ("AC", ["H": "HIGH", "M": "MEDIUM", "L": "LOW"]),
            "authentication": ("Au", ["M": "MULTIPLE", "S": "SINGLE", "N": "NONE"]),
            "confidentialityImpact": ("C", cia), "integrityImpact": ("I", cia), "availabilityImpact": ("A", cia),
            "exploitability": ("E", ["U": "UNPROVEN", "POC": "PROOF_OF_CONCEPT", "F": "FUNCTIONAL", "H": "HIGH", "ND": "NOT_DEFINED"]),
            "remediationLevel": ("RL", ["OF": "OFFICIAL_FIX", "TF": "TEMPORARY_FIX", "W": "WORKAROUND", "U": "UNAVAILABLE", "ND": "NOT_DEFINED"]),
            "reportConfidence": ("RC", ["UC": "UNCONFIRMED", "UR": "UNCORROBORATED", "C": "CONFIRMED", "ND": "NOT_DEFINED"]),
            "collateralDamagePotential": ("CDP", ["N": "NONE", "L": "LOW", "LM": "LOW_MEDIUM", "MH": "MEDIUM_HIGH", "H": "HIGH", "ND": "NOT_DEFINED"]),
            "targetDistribution": ("TD", ["N": "NONE", "L": "LOW", "M": "MEDIUM", "H": "HIGH", "ND": "NOT_DEFINED"]),
            "confidentialityRequirement": ("CR", requirement), "integrityRequirement": ("IR", requirement),
            "availabilityRequirement": ("AR", requirement),
        ]
    }()

    static func inconsistentCVSS(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        var out: [CSAFFinding] = []
        for object in cvssObjects(c) {
            guard let vector = object.value["vectorString"]?.stringValue, let properties = object.value.objectValue else { continue }
            let metrics: [String: String]
            let table: [String: (String, [String: String])]
            let notDefined: String
            if object.key == "cvss_v2" {
                guard case .success(let parsed) = CVSS2Vector.parse(vector) else { continue }
                (metrics, table, notDefined) = (parsed.metrics, cvss2Properties, "ND")
            } else {
                guard case .success(let parsed) = CVSSVector.parse(vector), parsed.version != .v4_0 else { continue }
                if let version = object.value["version"]?.stringValue, version != parsed.version.rawValue {
                    out.append(finding("6.1.10", object.pointer + "/version", "version is \(version), the vector is CVSS \(parsed.version.rawValue)"))
                }
                (metrics, table, notDefined) = (parsed.metrics, cvss3Properties, "X")
            }
            for (name, value) in properties {
                guard let (metric, names) = table[name], let given = value.stringValue else { continue }
                let expected = names[metrics[metric] ?? notDefined]
                if given != expected {
                    out.append(finding("6.1.10", object.pointer + "/" + name,
                                       "\(name) is \(given), the vector says \(metric):\(metrics[metric] ?? notDefined) (\(expected ?? "not given"))"))
                }
            }
        }
        return out
    }

    static func invalidCWE(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        var out: [CSAFFinding] = []
        for (v, vulnerability) in c.vulnerabilities.enumerated() {
            guard let cwe = vulnerability["cwe"], let id = cwe["id"]?.stringValue else { continue }
            let pointer = "/vulnerabilities/\(v)/cwe"
            guard let entry = CWECatalog.entry(id) else {
                out.append(finding("6.1.11", pointer + "/id", "\(id) is not a CWE (CWE \(CWECatalog.version) and earlier)"))
                continue
            }
            if let name = cwe["name"]?.stringValue, name != entry.name {
                out.append(finding("6.1.11", pointer + "/name", "\(id) is named '\(entry.name)', not '\(name)'"))
            }
        }
        return out
    }
}
