import Foundation
import JSONSchema

/// A compiled SBOM schema: the one `.evident.yml` names under `sbom-schemas`, or evident's own.
struct SBOMSchema {
    let validator: Validator
    let schema: Schema
    /// For messages: the repository path of the schema, or evident's built-in name.
    let name: String
}

/// Compiles the SBOM schemas of one check run, each at most once.
final class SBOMSchemas {
    /// evident's own minimal schemas: the fields evident relies on (embedded from `schema/`).
    static func builtinName(_ format: SBOMDocument.Format) -> String { "sbom-document-\(format.rawValue).schema.json" }

    /// At most this many `.json` files of the schema's folder are registered for `$ref`s.
    static let maxReferenceFiles = 500

    private let source: any EvidenceSource
    private var compiled: [String: Result<SBOMSchema, SchemaError>] = [:]

    init(source: any EvidenceSource) {
        self.source = source
    }

    /// The configured schema at a repository path, compiled with its folder registered so relative
    /// `$ref`s resolve; the base URI is the directory of the schema's `$id` (or of its path).
    func external(_ path: String) -> Result<SBOMSchema, SchemaError> {
        if let cached = compiled[path] { return cached }
        let result = Result { try compile(path) }.mapError { $0 as? SchemaError ?? SchemaError("\($0)") }
        compiled[path] = result
        return result
    }

    private func compile(_ raw: String) throws -> SBOMSchema {
        guard !raw.hasPrefix("/"), !raw.split(separator: "/").contains(".."), let path = RepositoryPath.normalize(raw), !path.isEmpty else {
            throw SchemaError("the schema path '\(raw)' must be inside the repository, without '..'")
        }
        let data: Data
        do {
            data = try source.read(path)
        } catch {
            throw SchemaError("cannot read the schema: \(PlainError.describe(error))")
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch {
            throw SchemaError("the schema is not valid JSON: \(error)")
        }
        let folder = path.split(separator: "/").dropLast().joined(separator: "/")
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        var base = "file:///" + (folder.isEmpty ? "" : folder + "/")
        if let id = value["$id"]?.stringValue {
            let withoutFragment = id.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? id
            if withoutFragment.contains(":"), let slash = withoutFragment.lastIndex(of: "/") {
                base = String(withoutFragment[...slash])
            }
        }
        let registry = SchemaRegistry(defaultDialect: .draft2020_12)
        let siblings = ((try? source.files(under: folder)) ?? [])
            .filter { $0.kind == .regular && $0.path.lowercased().hasSuffix(".json") && $0.path != path }
            .prefix(Self.maxReferenceFiles)
        for file in siblings {
            guard let sibling = try? source.read(file.path) else { continue }
            let relative = folder.isEmpty ? file.path : String(file.path.dropFirst(folder.count + 1))
            _ = try? registry.add(data: sibling, retrievalURI: base + relative)
        }
        let uri = try registry.add(value, retrievalURI: base + fileName)
        // Format is an annotation, as in Python jsonschema's default: verdicts agree with it.
        let validator = Validator(registry: registry, options: ValidationOptions(assertFormat: false))
        return SBOMSchema(validator: validator, schema: try validator.schema(uri), name: path)
    }

    /// evident's own schema for a format, from the embedded record schemas.
    func builtin(_ format: SBOMDocument.Format) -> Result<SBOMSchema, SchemaError> {
        let key = "builtin:" + format.rawValue
        if let cached = compiled[key] { return cached }
        let result = Result<SBOMSchema, any Error> {
            let registry = SchemaRegistry(defaultDialect: .draft2020_12)
            let name = Self.builtinName(format)
            guard let data = Templates.schemaFiles.first(where: { $0.name == name })?.data else {
                throw SchemaError("evident's schema \(name) is not built in")
            }
            let uri = try registry.add(data: data, retrievalURI: RecordSchemas.baseURI + name)
            let validator = Validator(registry: registry, options: ValidationOptions(assertFormat: false))
            return SBOMSchema(validator: validator, schema: try validator.schema(uri), name: "evident's \(name)")
        }.mapError { $0 as? SchemaError ?? SchemaError("\($0)") }
        compiled[key] = result
        return result
    }
}
