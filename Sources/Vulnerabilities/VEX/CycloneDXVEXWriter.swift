import Foundation
import JSONSchema

/// CycloneDX 1.6 VEX: a BOM carrying the product and every product version it speaks of as components
/// (so Dependency-Track and other consumers can match it without the SBOM), and one vulnerability per
/// statement with its analysis (CycloneDX's own vocabulary, which evident's defects use) and the
/// product versions it affects.
public enum CycloneDXVEXWriter {
    /// `serialNumber` is a `urn:uuid:` the caller derives from the exported commit (same commit, same bytes).
    public static func render(_ document: VEXDocument, serialNumber: String) -> String {
        var components: [VEXDocument.Product] = []
        for statement in document.statements {
            for product in statement.products where !components.contains(product) { components.append(product) }
        }
        components.sort { $0.purl < $1.purl }
        var root = JSONBuilder()
        root.add("bomFormat", "CycloneDX")
        root.add("specVersion", "1.6")
        root.add("serialNumber", serialNumber)
        root.add("version", .number(JSONNumber(1)))
        var metadata = JSONBuilder()
        metadata.add("timestamp", document.timestamp)
        metadata.add("tools", .object(JSONObject([("components", .array([.object(JSONObject([
            ("type", .string("application")), ("name", .string("evident")), ("version", .string(document.toolVersion)),
        ]))]))])))
        metadata.add("component", component(document.product, ref: "product"))
        metadata.add("supplier", .object(JSONObject([("name", .string(document.author))])))
        root.add("metadata", metadata.value)
        root.add("components", list: components.map { component($0, ref: $0.purl) })
        root.add("vulnerabilities", list: document.statements.enumerated().map { vulnerability($1, index: $0) })
        return JSONOutput.pretty(root.value)
    }

    static func component(_ product: VEXDocument.Product, ref: String) -> JSONValue {
        var c = JSONBuilder()
        c.add("type", "firmware")
        c.add("bom-ref", ref)
        c.add("name", product.name)
        if !product.version.isEmpty { c.add("version", product.version) }
        c.add("purl", product.purl)
        return c.value
    }

    static func analysisState(_ status: VEXDocument.Status) -> String {
        switch status {
        case .affected: return "exploitable"
        case .fixed: return "resolved"
        case .notAffected: return "not_affected"
        case .underInvestigation: return "in_triage"
        }
    }

    static func vulnerability(_ s: VEXDocument.Statement, index: Int) -> JSONValue {
        var v = JSONBuilder()
        v.add("bom-ref", "vex-\(index + 1)-\(s.vulnerability)")
        v.add("id", s.vulnerability)
        if s.vulnerability.hasPrefix("CVE-") {
            v.add("source", .object(JSONObject([("name", .string("NVD")), ("url", .string("https://nvd.nist.gov/vuln/detail/\(s.vulnerability)"))])))
        }
        if let cvss = s.cvss {
            v.add("ratings", .array([.object(JSONObject([
                ("score", .score(cvss.score)), ("severity", .string(CVSSVector.severity(of: cvss.score).lowercased())),
                ("method", .string(cvss.method)), ("vector", .string(cvss.vector)),
            ]))]))
        }
        if let cwe = s.cwe { v.add("cwes", .array([.number(JSONNumber(cwe))])) }
        v.add("description", s.description)
        var analysis = JSONBuilder()
        analysis.add("state", analysisState(s.status))
        if s.status == .notAffected { analysis.add("justification", s.justification?.rawValue) }
        analysis.add("response", strings: s.responses)
        let detail = [s.detail, s.status == .affected ? s.actionStatement : nil, s.status == .notAffected ? s.impactStatement : nil]
            .compactMap { $0 }.joined(separator: " ")
        if !detail.isEmpty { analysis.add("detail", detail) }
        v.add("analysis", analysis.value)
        v.add("affects", .array(s.products.map { product in
            .object(JSONObject([("ref", .string(product.purl)), ("versions", .array([.object(JSONObject([
                ("version", .string(product.version)),
                ("status", .string(s.status == .affected ? "affected" : (s.status == .underInvestigation ? "unknown" : "unaffected"))),
            ]))]))]))
        }))
        return v.value
    }
}
