import Foundation

/// Starter records and the project skeleton, from the embedded `templates/` and `schema/` folders.
public enum Templates {
    /// The template text of a kind, placeholders unfilled.
    public static func template(for kind: String) -> String? {
        EmbeddedResources.string("templates/\(kind).yaml")
    }

    /// Fills `{{name}}` placeholders: each of `values` as a YAML scalar that reads back as exactly
    /// that string (quoted and escaped when needed), each of `raw` as it is (for text evident made
    /// itself, such as the schema folder in the first comment line).
    public static func fill(_ text: String, _ values: [String: String], raw: [String: String] = [:]) -> String {
        var out = text
        for (key, value) in values { out = out.replacingOccurrences(of: "{{\(key)}}", with: YAMLScalarWriter.scalar(value)) }
        for (key, value) in raw { out = out.replacingOccurrences(of: "{{\(key)}}", with: value) }
        return out
    }

    /// Embedded schema files by file name (e.g. "defect.schema.json"), decoded once per process
    /// (half a dozen readers ask for them in a run).
    public static let schemaFiles: [(name: String, data: Data)] =
        EmbeddedResources.paths(under: "schema").compactMap { path in
            guard path.hasSuffix(".json"), let data = EmbeddedResources.data(path) else { return nil }
            return (String(path.dropFirst("schema/".count)), data)
        }
}
