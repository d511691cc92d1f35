import Crypto
import Foundation
import JSONSchema

/// The content digest an approval pins: SHA-256 over a canonical JSON rendering of the record
/// without its `approval` block (keys sorted, YAML 1.2 core typing, no insignificant whitespace), so
/// reformatting or comments do not make an approval stale, but any change of content does.
public enum RecordDigest {
    public static func digest(of node: YAMLNode) -> String {
        var text = ""
        canonical(node, into: &text, dropApproval: true)
        let hash = SHA256.hash(data: Data(text.utf8))
        return "sha256:" + Hex.lowercase(hash)
    }

    /// Canonical JSON text of a node (for digests and for JSON exports of records).
    public static func canonicalJSON(_ node: YAMLNode) -> String {
        var text = ""
        canonical(node, into: &text, dropApproval: false)
        return text
    }

    private static func canonical(_ node: YAMLNode, into text: inout String, dropApproval: Bool) {
        switch node {
        case .scalar(let scalar):
            switch scalar.coreValue {
            case .null: text += "null"
            case .bool(let value): text += value ? "true" : "false"
            case .int(let digits): text += digits.hasPrefix("+") ? String(digits.dropFirst()) : digits
            case .float(let value): text += value.isFinite ? "\(value)" : quoted("\(value)")
            case .string(let value): text += quoted(value)
            }
        case .sequence(let items, _):
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += "," }
                canonical(item, into: &text, dropApproval: false)
            }
            text += "]"
        case .mapping(let pairs, _):
            let entries = pairs
                .map { (key: $0.key.string ?? RecordDigest.canonicalJSON($0.key), value: $0.value) }
                .filter { !(dropApproval && $0.key == "approval") }
                .sorted { $0.key < $1.key }
            text += "{"
            for (index, entry) in entries.enumerated() {
                if index > 0 { text += "," }
                text += quoted(entry.key)
                text += ":"
                canonical(entry.value, into: &text, dropApproval: false)
            }
            text += "}"
        }
    }

    static func quoted(_ string: String) -> String {
        JSONText.quote(string)
    }
}
