import Foundation
import JSONSchema

/// The profile tests (6.1.27.1 - 6.1.27.11): what each document category requires.
extension CSAFMandatoryTests {
    static let notAffectedLabels: Set<String> = [
        "component_not_present", "inline_mitigations_already_exist", "vulnerable_code_cannot_be_controlled_by_adversary",
        "vulnerable_code_not_in_execute_path", "vulnerable_code_not_present",
    ]

    static func profileTests(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        let category = c.category
        let document = c.document["document"]
        var out: [CSAFFinding] = []
        if category == "csaf_informational_advisory" || category == "csaf_security_incident_response" {
            let notes = document?["notes"]?.arrayValue ?? []
            if !notes.contains(where: { ["description", "details", "general", "summary"].contains($0["category"]?.stringValue ?? "") }) {
                out.append(finding("6.1.27.1", "/document/notes", "a \(category) needs a document note of category description, details, general or summary"))
            }
            let references = document?["references"]?.arrayValue ?? []
            if !references.contains(where: { $0["category"]?.stringValue == "external" }) {
                out.append(finding("6.1.27.2", "/document/references", "a \(category) needs a document reference of category external"))
            }
        }
        if category == "csaf_informational_advisory", c.document["vulnerabilities"] != nil {
            out.append(finding("6.1.27.3", "/vulnerabilities", "a csaf_informational_advisory has no vulnerabilities (use csaf_security_advisory)"))
        }
        guard category == "csaf_security_advisory" || category == "csaf_vex" else { return out }
        if c.document["product_tree"] == nil {
            out.append(finding("6.1.27.4", "", "a \(category) needs a product_tree"))
        }
        if c.document["vulnerabilities"] == nil {
            out.append(finding("6.1.27.11", "", "a \(category) needs vulnerabilities"))
        }
        for (v, vulnerability) in c.vulnerabilities.enumerated() {
            let base = "/vulnerabilities/\(v)"
            if vulnerability["notes"] == nil {
                out.append(finding("6.1.27.5", base, "each vulnerability of a \(category) needs notes"))
            }
            if category == "csaf_security_advisory", vulnerability["product_status"] == nil {
                out.append(finding("6.1.27.6", base, "each vulnerability of a csaf_security_advisory needs a product_status"))
            }
            guard category == "csaf_vex" else { continue }
            let status = vulnerability["product_status"]
            if !["fixed", "known_affected", "known_not_affected", "under_investigation"].contains(where: { status?[$0] != nil }) {
                out.append(finding("6.1.27.7", base + "/product_status",
                                   "a VEX vulnerability needs fixed, known_affected, known_not_affected or under_investigation"))
            }
            if vulnerability["cve"] == nil && vulnerability["ids"] == nil {
                out.append(finding("6.1.27.8", base, "a VEX vulnerability needs a cve or ids"))
            }
            let flagged = Set((vulnerability["flags"]?.arrayValue ?? []).filter { notAffectedLabels.contains($0["label"]?.stringValue ?? "") }
                .flatMap(c.products(of:)))
            let impacts = Set((vulnerability["threats"]?.arrayValue ?? []).filter { $0["category"]?.stringValue == "impact" }
                .flatMap(c.products(of:)))
            for (i, id) in (status?["known_not_affected"]?.arrayValue ?? []).enumerated() {
                guard let id = id.stringValue, !flagged.contains(id), !impacts.contains(id) else { continue }
                out.append(finding("6.1.27.9", base + "/product_status/known_not_affected/\(i)",
                                   "product '\(id)' is known_not_affected without a flag or an impact statement saying why"))
            }
            let remedied = Set((vulnerability["remediations"]?.arrayValue ?? []).flatMap(c.products(of:)))
            for (i, id) in (status?["known_affected"]?.arrayValue ?? []).enumerated() {
                guard let id = id.stringValue, !remedied.contains(id) else { continue }
                out.append(finding("6.1.27.10", base + "/product_status/known_affected/\(i)",
                                   "product '\(id)' is known_affected without a remediation (action statement)"))
            }
        }
        return out
    }
}
