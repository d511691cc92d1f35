import Foundation
import JSONSchema

/// OpenVEX 0.2.0 (https://openvex.dev/ns/v0.2.0): one statement per vulnerability and status.
public enum OpenVEXWriter {
    public static func render(_ document: VEXDocument) -> String {
        var root = JSONBuilder()
        root.add("@context", "https://openvex.dev/ns/v0.2.0")
        root.add("@id", document.id)
        root.add("author", document.author)
        root.add("role", "Document Creator")
        root.add("timestamp", document.timestamp)
        root.add("version", .number(JSONNumber(1)))
        root.add("tooling", "evident \(document.toolVersion)")
        root.add("statements", .array(document.statements.map(statement)))
        return JSONOutput.pretty(root.value)
    }

    static func statement(_ s: VEXDocument.Statement) -> JSONValue {
        var b = JSONBuilder()
        var vulnerability = JSONBuilder()
        vulnerability.add("name", s.vulnerability)
        vulnerability.add("description", s.description)
        b.add("vulnerability", vulnerability.value)
        b.add("timestamp", s.timestamp)
        b.add("products", .array(s.products.map { product in
            var p = JSONBuilder()
            p.add("@id", product.purl)
            p.add("identifiers", .object(JSONObject([("purl", .string(product.purl))])))
            if let sub = s.subcomponent, sub != product.purl {
                p.add("subcomponents", .array([.object(JSONObject([("@id", .string(sub)), ("identifiers", .object(JSONObject([("purl", .string(sub))])))]))]))
            }
            return p.value
        }))
        b.add("status", s.status.rawValue)
        b.add("status_notes", s.detail)
        if s.status == .notAffected {
            b.add("justification", s.justification?.openVEX)
            b.add("impact_statement", s.impactStatement)
        }
        if s.status == .affected { b.add("action_statement", s.actionStatement) }
        return b.value
    }
}
