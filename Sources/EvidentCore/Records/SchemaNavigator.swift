import Foundation
import JSONSchema

/// Reads evident's own record schemas as data, to explain a validation error in the schema's own
/// words: which fields an object may have (for "did you mean"), what a value's format, allowed
/// values and description are. Follows `$ref` (within and across the embedded files) and the
/// applicators `allOf`, `anyOf`, `oneOf`, `then`, `else`.
struct SchemaNavigator {
    /// A schema and the file its relative `$ref`s resolve from.
    struct Located {
        var schema: JSONValue
        var file: String
    }

    static let shared = SchemaNavigator()

    private let files: [String: JSONValue]

    init() {
        var files: [String: JSONValue] = [:]
        for schema in Templates.schemaFiles {
            if let value = try? JSONValue.parse(schema.data) { files[schema.name] = value }
        }
        self.files = files
    }

    /// The schemas applying at an instance location of a record of `kind` (pointer tokens, unescaped).
    func schemas(kind: String, at tokens: [String]) -> [Located] {
        guard let root = files["\(kind).schema.json"] else { return [] }
        var current = expand([Located(schema: root, file: "\(kind).schema.json")])
        for token in tokens {
            var next: [Located] = []
            for located in current {
                let schema = located.schema
                if let child = schema["properties"]?[token] {
                    next.append(Located(schema: child, file: located.file))
                } else if Int(token) != nil, let items = schema["items"], items.objectValue != nil {
                    next.append(Located(schema: items, file: located.file))
                } else if let additional = schema["additionalProperties"], additional.objectValue != nil {
                    next.append(Located(schema: additional, file: located.file))
                }
            }
            current = expand(next)
            if current.isEmpty { break }
        }
        return current
    }

    /// The field names an object at `tokens` may hold, sorted.
    func properties(kind: String, at tokens: [String]) -> [String] {
        var names = Set<String>()
        for located in schemas(kind: kind, at: tokens) {
            for (name, value) in located.schema["properties"]?.objectValue ?? JSONObject([]) where value.boolValue != false { names.insert(name) }
        }
        return names.sorted()
    }

    /// The schema plus everything it pulls in by reference or applicator, each once.
    private func expand(_ start: [Located]) -> [Located] {
        var out: [Located] = []
        var pending = start
        var seen = 0
        while !pending.isEmpty, seen < 256 {
            let located = pending.removeFirst()
            seen += 1
            guard located.schema.objectValue != nil else { continue }
            out.append(located)
            if let ref = located.schema["$ref"]?.stringValue, let target = resolve(ref, from: located.file) { pending.append(target) }
            for key in ["allOf", "anyOf", "oneOf"] {
                for item in located.schema[key]?.arrayValue ?? [] { pending.append(Located(schema: item, file: located.file)) }
            }
            for key in ["then", "else"] {
                if let item = located.schema[key] { pending.append(Located(schema: item, file: located.file)) }
            }
        }
        return out
    }

    private func resolve(_ ref: String, from file: String) -> Located? {
        let parts = ref.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        var target = parts.first ?? ""
        if target.hasPrefix(RecordSchemas.baseURI) { target = String(target.dropFirst(RecordSchemas.baseURI.count)) }
        let name = target.isEmpty ? file : target
        guard var value = files[name] else { return nil }
        let fragment = parts.count > 1 ? parts[1] : ""
        for token in fragment.split(separator: "/").map(String.init) {
            let unescaped = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let child = value[unescaped] else { return nil }
            value = child
        }
        return Located(schema: value, file: name)
    }
}
