import Foundation

/// `evident init` and `evident new`: the commands that create files (`approve` and `reopen` are in Approvals.swift).
public enum ProjectSetupError: Error, CustomStringConvertible, Equatable {
    case exists([String])
    case unknownKind(String, [String])
    case idTaken(String, String)
    case invalidID(String)
    case recordNotFound(String)
    case approvalFailed(String)

    public var description: String {
        switch self {
        case .exists(let paths): return "\(paths.joined(separator: ", ")) already exist\(paths.count == 1 ? "s" : ""); use --force to overwrite"
        case .unknownKind(let kind, let kinds): return "unknown kind '\(kind)'; kinds: \(kinds.joined(separator: ", "))"
        case .idTaken(let id, let path): return "id \(id) is already used by \(path)"
        case .invalidID(let id): return "'\(id)' is not a valid record id (PREFIX-NUMBER, e.g. DEF-2026-004)"
        case .recordNotFound(let id): return "no record with id or path '\(id)'"
        case .approvalFailed(let reason): return "cannot approve: \(reason)"
        }
    }
}

public struct ProjectSetup {
    public let root: URL
    public init(root: URL) { self.root = root }

    /// Writes `.evident.yml`, the records folder with a README, and the schemas under `.evident/schemas/`.
    /// Returns the paths written. Refuses to overwrite without `force`.
    public func initialize(product: String, recordsRoot: String = "security", force: Bool) throws -> [String] {
        var files: [(String, Data)] = []
        let config = Templates.fill(EmbeddedResources.string("templates/evident.yml") ?? "version: 1\nproduct: {{product}}\nrecords: {{records}}/\n",
                                    ["product": product, "records": recordsRoot])
        files.append((Configuration.fileName, Data(config.utf8)))
        if let readme = EmbeddedResources.data("templates/README.md") {
            files.append(("\(recordsRoot)/README.md", readme))
        }
        for schema in Templates.schemaFiles {
            files.append((".evident/schemas/\(schema.name)", schema.data))
        }
        let existing = files.map(\.0).filter { FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path) }
        if !existing.isEmpty && !force {
            throw ProjectSetupError.exists(existing.filter { !$0.hasPrefix(".evident/") }.isEmpty ? existing : existing.filter { !$0.hasPrefix(".evident/") })
        }
        for (path, data) in files { try AtomicFile.write(data, to: root.appendingPathComponent(path)) }
        return files.map(\.0)
    }

    /// Creates a record of a kind from its template with the next free ID; returns its repository path.
    public func newRecord(kind: String, id: String?, title: String?, owner: String, today: String, project: Project) throws -> String {
        guard let info = project.catalog.kinds[kind], let template = Templates.template(for: kind) else {
            throw ProjectSetupError.unknownKind(kind, project.catalog.kindNames)
        }
        let existing = Dictionary(project.records.compactMap { r in r.id.map { ($0, r.path) } }, uniquingKeysWith: { a, _ in a })
        let recordID: String
        if let id {
            guard EnvelopeRule.isWellFormedID(id) else { throw ProjectSetupError.invalidID(id) }
            if let path = existing[id] { throw ProjectSetupError.idTaken(id, path) }
            recordID = id
        } else {
            let numbers = existing.keys.compactMap { key -> Int? in
                guard key.hasPrefix(info.prefix + "-") else { return nil }
                return Int(key.dropFirst(info.prefix.count + 1).split(separator: "-").last ?? "")
            }
            recordID = String(format: "%@-%03d", info.prefix, (numbers.max() ?? 0) + 1)
        }
        let folder = "\(project.configuration.recordsRoot)/\(info.folder)"
        let path = "\(folder)/\(recordID).yaml"
        let url = root.appendingPathComponent(path)
        if FileManager.default.fileExists(atPath: url.path) { throw ProjectSetupError.exists([path]) }
        let depth = folder.split(separator: "/").count
        let schemaDir = String(repeating: "../", count: depth) + ".evident/schemas"
        let text = Templates.fill(template, [
            "id": recordID, "title": title ?? "New \(kind)", "owner": owner, "date": today, "schema-dir": schemaDir,
        ])
        try AtomicFile.write(Data(text.utf8), to: url)
        return path
    }
}

/// Places an approval block in a record's text without touching any other byte.
public enum ApprovalWriter {
    /// The record text with its approval block set, and the digest approved.
    public static func apply(to text: String, by: String, date: String) throws -> (String, String) {
        let original = YAMLLoader.load(Data(text.utf8))
        guard original.problems.isEmpty, let node = original.root, case .mapping = node else {
            throw ProjectSetupError.approvalFailed("the record has YAML problems; run 'evident check' and fix them first")
        }
        let digest = RecordDigest.digest(of: node)
        let newline = text.contains("\r\n") ? "\r\n" : "\n"
        let block = ["approval:", "  by: \(by)", "  date: \(date)", "  digest: \(digest)"]
        var lines = text.components(separatedBy: newline)
        let trailingNewline = lines.last == ""
        if trailingNewline { lines.removeLast() }
        if let start = lines.firstIndex(where: { $0.hasPrefix("approval:") }) {
            var end = start + 1
            while end < lines.count, lines[end].hasPrefix(" ") || lines[end].hasPrefix("\t") { end += 1 }
            lines.replaceSubrange(start..<end, with: block)
        } else {
            lines.append(contentsOf: block)
        }
        // A file without a final newline keeps it that way.
        let updated = lines.joined(separator: newline) + (trailingNewline ? newline : "")
        let check = YAMLLoader.load(Data(updated.utf8))
        guard check.problems.isEmpty, let updatedNode = check.root, updatedNode["approval"]?["digest"]?.scalarString == digest,
              RecordDigest.digest(of: updatedNode) == digest else {
            throw ProjectSetupError.approvalFailed("the record's layout is unusual (the approval block could not be placed safely; write the record in block style, one key per line); nothing was written")
        }
        return (updated, digest)
    }
}
