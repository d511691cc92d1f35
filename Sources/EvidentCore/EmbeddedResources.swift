import Foundation

/// Read access to the data folders embedded at build time (catalog/, schema/, templates/, demo/).
public enum EmbeddedResources {
    /// The bytes of an embedded file, by its path relative to the package root (e.g. "schema/defect.schema.json").
    public static func data(_ path: String) -> Data? {
        guard let base64 = EmbeddedFiles.all[path] else { return nil }
        return Data(base64Encoded: base64)
    }

    /// The text of an embedded file, when it is UTF-8.
    public static func string(_ path: String) -> String? {
        data(path).flatMap { String(data: $0, encoding: .utf8) }
    }

    /// The embedded paths under a folder prefix, sorted.
    public static func paths(under prefix: String) -> [String] {
        let folder = prefix.hasSuffix("/") ? prefix : prefix + "/"
        return EmbeddedFiles.all.keys.filter { $0.hasPrefix(folder) }.sorted()
    }
}
