import Foundation

/// `evident init` and `evident new`: the commands that create files (`approve` and `reopen` are in Approvals.swift).
public enum ProjectSetupError: Error, CustomStringConvertible, Equatable {
    case exists([String])
    case unknownKind(String, [String])
    case idTaken(String, String)
    case invalidID(String)
    case recordNotFound(String)
    case approvalFailed(String)
    case recordsOutside(String)
    case documentNotForKind(String)
    case tracked([String])

    public var description: String {
        switch self {
        case .exists(let paths): return "\(paths.joined(separator: ", ")) already exist\(paths.count == 1 ? "s" : ""); use --force to overwrite"
        case .unknownKind(let kind, let kinds): return "unknown kind '\(kind)'; kinds: \(kinds.joined(separator: ", "))"
        case .idTaken(let id, let path): return "id \(id) is already used by \(path)"
        case .invalidID(let id): return "'\(id)' is not a valid record id (PREFIX-NUMBER, e.g. DEF-2026-004)"
        case .recordNotFound(let id): return "no record with id or path '\(id)'"
        case .approvalFailed(let reason): return "cannot approve: \(reason)"
        case .documentNotForKind(let kind): return "--document is for 'new sbom' only, not for '\(kind)'"
        case .recordsOutside(let folder):
            return "the records folder must be a relative path inside the repository, not '\(folder)' (e.g. --records security)"
        case .tracked(let paths):
            return "\(paths.joined(separator: ", ")) \(paths.count == 1 ? "is" : "are") tracked in git; init never overwrites a tracked file (edit \(paths.count == 1 ? "it" : "them"), or delete \(paths.count == 1 ? "it" : "them") first to have init write \(paths.count == 1 ? "it" : "them") afresh)"
        }
    }
}

public struct ProjectSetup {
    public let root: URL
    /// Repository paths git tracks (the index): `init` never overwrites one of these.
    public let tracked: Set<String>
    public init(root: URL, tracked: Set<String> = []) {
        self.root = root
        self.tracked = tracked
    }

    /// The working tree of `workspace`, with the paths its index tracks.
    public init(workspace: Workspace) throws {
        guard let root = workspace.root else { throw WorkspaceError.bareNeedsRevision }
        let contents = try? workspace.repository.indexContents()
        self.init(root: root, tracked: Set((contents?.files.map(\.path) ?? []) + (contents?.conflictedPaths ?? [])))
    }

    /// `evident init`: writes the skeleton and says what it wrote and what to do next.
    public static func initialize(at path: String, product: String, recordsRoot: String, force: Bool) throws -> String {
        let written = try ProjectSetup(workspace: try Workspace.open(at: path)).initialize(product: product, recordsRoot: recordsRoot, force: force)
        let shown = written.filter { !$0.hasPrefix(".evident/") }.joined(separator: ", ")
        return "Wrote \(shown) and \(written.filter { $0.hasPrefix(".evident/") }.count) schemas under .evident/schemas/.\n"
            + "Next: evident new threat-model --title \"...\"; evident check; evident coverage\n"
    }

    /// Writes `.evident.yml`, the records folder with a README, and the schemas under `.evident/schemas/`.
    /// Returns the paths written. A file that already holds exactly what init would write is left as
    /// it is; any other existing file is refused without `force`, and a file git tracks always is.
    public func initialize(product: String, recordsRoot: String = "security", force: Bool) throws -> [String] {
        let folder = try Self.recordsFolder(recordsRoot)
        var files: [(String, Data)] = []
        let config = Templates.fill(EmbeddedResources.string("templates/evident.yml") ?? "version: 1\nproduct: {{product}}\nrecords: {{records}}\n",
                                    ["product": product, "records": folder + "/"])
        files.append((Configuration.fileName, Data(config.utf8)))
        if let readme = EmbeddedResources.data("templates/README.md") {
            files.append(("\(folder)/README.md", readme))
        }
        for schema in Templates.schemaFiles {
            files.append((".evident/schemas/\(schema.name)", schema.data))
        }
        for (path, _) in files { try AtomicFile.ensureInside(root.appendingPathComponent(path), boundaries: [root], shown: path) }
        // Files already there with the same bytes need no writing (running init twice is running it once).
        let toWrite = files.filter { FileManager.default.contents(atPath: root.appendingPathComponent($0.0).path) != $0.1 }
        let existing = toWrite.map(\.0).filter { path in
            var info = stat()
            return lstat(root.appendingPathComponent(path).path, &info) == 0
        }
        let trackedExisting = existing.filter(tracked.contains)
        if !trackedExisting.isEmpty { throw ProjectSetupError.tracked(trackedExisting) }
        if !existing.isEmpty && !force {
            throw ProjectSetupError.exists(existing.filter { !$0.hasPrefix(".evident/") }.isEmpty ? existing : existing.filter { !$0.hasPrefix(".evident/") })
        }
        for (path, data) in toWrite { try AtomicFile.write(data, to: root.appendingPathComponent(path), within: [root], shown: path) }
        return files.map(\.0)
    }

    /// The records folder as `.evident.yml` holds it (no leading `./`, no trailing `/`), refused when
    /// it is absolute, climbs with `..`, or is empty.
    static func recordsFolder(_ text: String) throws -> String {
        let parts = text.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        guard !text.hasPrefix("/"), !text.hasPrefix("~"), !parts.isEmpty, !parts.contains(".."),
              !text.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw ProjectSetupError.recordsOutside(text)
        }
        return parts.joined(separator: "/")
    }

    /// `evident new`: opens the repository at `path`, loads its project and writes the record; the
    /// owner defaults to the identity git commits with (as `approve` reads it); `document` (for an sbom) is a path as the user typed it.
    public static func newRecord(at path: String, kind: String, id: String?, title: String?, owner: String?, document: String?, today: String) throws -> String {
        let workspace = try Workspace.open(at: path)
        guard let root = workspace.root else { throw WorkspaceError.bareNeedsRevision }
        let source = WorkingTreeSource(root: root)
        let project = try Project.load(from: source, catalog: try Catalog.standard(), today: today)
        let email = owner ?? workspace.defaultApprover(environment: ProcessInfo.processInfo.environment) ?? TemplatePlaceholderRule.unknownOwner
        var sbom: SBOMFacts?
        if kind == "sbom" {
            guard let document else { throw SBOMIntakeError.needsDocument(found: SBOMFacts.candidates(in: root)) }
            guard let repositoryPath = workspace.repositoryPath(ofUserPath: document), !repositoryPath.isEmpty else { throw SBOMIntakeError.outside(document) }
            sbom = try SBOMFacts.read(repositoryPath, from: source)
        } else if document != nil {
            throw ProjectSetupError.documentNotForKind(kind)
        }
        return try ProjectSetup(root: root).newRecord(kind: kind, id: id, title: title, owner: email, today: today, project: project, sbom: sbom)
    }

    /// Creates a record of a kind from its template with the next free ID; returns its repository path.
    public func newRecord(kind: String, id: String?, title: String?, owner: String, today: String, project: Project, sbom: SBOMFacts? = nil) throws -> String {
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
        var values = ["id": recordID, "title": title ?? sbom.map(Self.sbomTitle) ?? "New \(kind)", "owner": owner, "date": today]
        var raw = ["schema-dir": schemaDir]
        if kind == "sbom" {
            let facts = sbom ?? SBOMFacts(path: "security/sbom/replace-me.cdx.json", format: "cyclonedx", specVersion: "1.5", generated: today,
                                          componentPurls: ["pkg:generic/replace-me@1.0.0"], componentCount: 1)
            values["document"] = facts.path
            values["format"] = facts.format
            values["spec-version"] = facts.specVersion
            raw["details"] = Self.sbomDetails(facts)
            raw["risk-handling"] = Self.riskHandling(facts)
        }
        let text = Templates.fill(template, values, raw: raw)
        try AtomicFile.write(Data(text.utf8), to: url, within: [root], shown: path)
        return path
    }

    static func sbomTitle(_ facts: SBOMFacts) -> String {
        let product = [facts.productName, facts.productVersion].compactMap { $0 }.joined(separator: " ")
        return product.isEmpty ? "SBOM \(facts.path)" : "SBOM of \(product)"
    }

    /// The optional lines an SBOM provides: generation date, generator, product version.
    static func sbomDetails(_ facts: SBOMFacts) -> String {
        var lines: [String] = []
        if let generated = facts.generated { lines.append("generated: \(YAMLScalarWriter.scalar(generated))") }
        if let generator = facts.generator, !generator.isEmpty { lines.append("generator: \(YAMLScalarWriter.scalar(generator))") }
        if let version = facts.productVersion, isVersion(version) { lines.append("product-version: \(YAMLScalarWriter.scalar(version))") }
        return lines.map { $0 + "\n" }.joined()
    }

    /// A `product-version` the record schema accepts (envelope `$defs/version`).
    static func isVersion(_ text: String) -> Bool {
        func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) || ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) }
        guard let first = text.unicodeScalars.first, text.unicodeScalars.count <= 64, isAlphanumeric(first) else { return false }
        return text.unicodeScalars.allSatisfy { isAlphanumeric($0) || ".+_~-".unicodeScalars.contains($0) }
    }

    /// One risk-handling entry per component with a purl, each "monitor" until the team decides.
    static func riskHandling(_ facts: SBOMFacts) -> String {
        let purls = facts.componentPurls.isEmpty ? ["pkg:generic/replace-me@1.0.0"] : facts.componentPurls
        let rationale = YAMLScalarWriter.scalar("Not assessed yet (listed from the SBOM by evident new); record the decision and why.")
        return purls.map { purl in
            "  - component: \(YAMLScalarWriter.scalar(purl))\n    decision: monitor      # accept | mitigate | update | replace | remove | monitor\n    rationale: \(rationale)\n"
        }.joined()
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
