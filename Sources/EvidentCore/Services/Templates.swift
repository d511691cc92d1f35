import Foundation

/// Starter records and the project skeleton, from the embedded `templates/` and `schema/` folders.
public enum Templates {
    /// The template text of a kind, placeholders unfilled.
    public static func template(for kind: String) -> String? {
        EmbeddedResources.string("templates/\(kind).yaml")
    }

    /// Fills `{{name}}` placeholders.
    public static func fill(_ text: String, _ values: [String: String]) -> String {
        var out = text
        for (key, value) in values { out = out.replacingOccurrences(of: "{{\(key)}}", with: value) }
        return out
    }

    /// Embedded schema files by file name (e.g. "defect.schema.json").
    public static var schemaFiles: [(name: String, data: Data)] {
        EmbeddedResources.paths(under: "schema").compactMap { path in
            guard path.hasSuffix(".json"), let data = EmbeddedResources.data(path) else { return nil }
            return (String(path.dropFirst("schema/".count)), data)
        }
    }
}

/// Writes files atomically (temporary file then rename), so an interrupted write never leaves half a file.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL, permissions: Int? = nil) throws {
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).evident-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8)).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data,
                                             attributes: permissions.map { [.posixPermissions: $0] }) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        if rename(temporary.path, url.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
    }
}
