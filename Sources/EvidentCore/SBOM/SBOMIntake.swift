import Foundation
import JSONSchema

/// What `evident new sbom --document FILE` learns from an SBOM to fill the record: the format and
/// spec version, when and by what it was generated, the product it describes, and the components
/// a risk decision can name (those with a purl).
public struct SBOMFacts: Equatable, Sendable {
    public var path: String
    public var format: String
    public var specVersion: String
    public var generated: String?
    public var generator: String?
    public var productName: String?
    public var productVersion: String?
    public var componentPurls: [String]
    public var componentCount: Int
}

/// Why an SBOM could not be used for a new record, in words that say what to do.
public enum SBOMIntakeError: Error, CustomStringConvertible, Equatable {
    case needsDocument(found: [String])
    case outside(String)
    case unreadable(String, String)
    case notSBOM(String, String)

    public var description: String {
        switch self {
        case .needsDocument(let found) where found.isEmpty:
            return "new sbom needs --document FILE, the SBOM the record describes; no CycloneDX or SPDX JSON file was found in the repository: generate one (e.g. 'syft dir:. -o cyclonedx-json=sbom.cdx.json'), commit it, and pass its path"
        case .needsDocument(let found):
            let shown = found.prefix(10).joined(separator: "\n  ")
            return "new sbom needs --document FILE, the SBOM the record describes; found in the repository:\n  \(shown)\(found.count > 10 ? "\n  and \(found.count - 10) more" : "")\npass one, e.g. evident new sbom --document \(found[0])"
        case .outside(let path): return "the SBOM \(path) is outside the repository; copy it into the repository (the record names it by a repository path) and pass that path"
        case .unreadable(_, let reason): return reason
        case .notSBOM(let path, let reason): return "\(path) \(reason)"
        }
    }
}

extension SBOMFacts {
    /// Reads the SBOM at a repository path through `source`.
    static func read(_ path: String, from source: any EvidenceSource) throws -> SBOMFacts {
        let document: SBOMDocument
        switch SBOMDocument.read(path, from: source) {
        case .failure(.unreadable(let message)): throw SBOMIntakeError.unreadable(path, message)
        case .failure(.invalidJSON(let mark, let message)): throw SBOMIntakeError.notSBOM(path, "is not valid JSON (\(mark): \(message))")
        case .success(let loaded): document = loaded
        }
        guard let format = document.format else {
            throw SBOMIntakeError.notSBOM(path, "is neither CycloneDX (bomFormat \"CycloneDX\" with specVersion) nor SPDX (spdxVersion)")
        }
        let supported = format == .cyclonedx ? SBOMDocument.cycloneDXVersions : SBOMDocument.spdxVersions
        guard let version = document.version, supported.contains(version), let short = document.shortVersion else {
            throw SBOMIntakeError.notSBOM(path, "is \(format.displayName) \(document.version ?? "without a version"); evident reads \(supported.joined(separator: ", "))")
        }
        let object = document.value
        var facts = SBOMFacts(path: path, format: format.rawValue, specVersion: short, generated: nil, generator: nil,
                              productName: nil, productVersion: nil, componentPurls: [], componentCount: 0)
        switch format {
        case .cyclonedx:
            let metadata = object["metadata"]
            facts.generated = metadata?["timestamp"]?.stringValue.flatMap(Self.date)
            let tools = metadata?["tools"]
            // 1.4: tools is a list of {vendor, name, version}; 1.5+: {components: [...]} (the list is deprecated).
            let tool = tools?.arrayValue?.first ?? tools?["components"]?.arrayValue?.first
            facts.generator = tool.flatMap { Self.toolName($0["name"]?.stringValue, $0["version"]?.stringValue) }
            facts.productName = metadata?["component"]?["name"]?.stringValue
            facts.productVersion = metadata?["component"]?["version"]?.stringValue
        case .spdx:
            let creation = object["creationInfo"]
            facts.generated = creation?["created"]?.stringValue.flatMap(Self.date)
            let creators = (creation?["creators"]?.arrayValue ?? []).compactMap { (item: JSONValue) in item.stringValue }
            facts.generator = creators.first { $0.hasPrefix("Tool:") }.map { String($0.dropFirst(5)).trimmingCharacters(in: .whitespaces) }
            let described = Set((object["documentDescribes"]?.arrayValue ?? []).compactMap { (item: JSONValue) in item.stringValue })
            let product = (object["packages"]?.arrayValue ?? []).first { (package: JSONValue) in described.contains(package["SPDXID"]?.stringValue ?? "") }
            facts.productName = product?["name"]?.stringValue ?? object["name"]?.stringValue
            facts.productVersion = product?["versionInfo"]?.stringValue
        }
        let components = document.components
        facts.componentCount = components.count
        var seen = Set<String>()
        facts.componentPurls = components.compactMap(\.purl).filter { !$0.isEmpty && seen.insert($0).inserted }
        return facts
    }

    static func date(_ timestamp: String) -> String? {
        let day = String(timestamp.prefix(10))
        return DateText.isDate(day) ? day : nil
    }

    static func toolName(_ name: String?, _ version: String?) -> String? {
        guard let name, !name.isEmpty else { return nil }
        return version.map { "\(name) \($0)" } ?? name
    }

    /// JSON files in the working tree that declare themselves CycloneDX or SPDX (read only as far
    /// as the first 64 KiB), repository paths sorted; `.git`, `.evident` (evident's own schemas),
    /// `.build`, `node_modules` and symlinks are skipped.
    public static func candidates(in root: URL, limit: Int = 20_000) -> [String] {
        var found: [String] = []
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var visited = 0
        while let relative = walker.nextObject() as? String {
            visited += 1
            if visited > limit { break }
            let name = (relative as NSString).lastPathComponent
            if name == ".git" || name == ".build" || name == "node_modules" || relative == ".evident" {
                walker.skipDescendants()
                continue
            }
            guard name.lowercased().hasSuffix(".json") else { continue }
            let full = root.appendingPathComponent(relative).path
            var info = stat()
            guard lstat(full, &info) == 0, info.st_mode & S_IFMT == S_IFREG, let handle = FileHandle(forReadingAtPath: full) else { continue }
            let head = (try? handle.read(upToCount: 65_536)) ?? Data()
            try? handle.close()
            let text = String(decoding: head, as: UTF8.self)
            // The declaration itself (a schema merely mentioning bomFormat is not an SBOM).
            if text.range(of: #""bomFormat"\s*:\s*"CycloneDX""#, options: .regularExpression) != nil
                || text.range(of: #""spdxVersion"\s*:\s*"SPDX-"#, options: .regularExpression) != nil {
                found.append(relative)
            }
        }
        return found.sorted()
    }
}
