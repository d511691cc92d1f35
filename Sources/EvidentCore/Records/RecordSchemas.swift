import Foundation
import JSONSchema

/// The embedded record schemas, registered and compiled once per process.
public final class RecordSchemas: @unchecked Sendable {
    public static let baseURI = "https://schemas.evident.dev/v1/"

    private let validator: Validator?
    public let loadError: String?
    private var compiled: [String: Schema] = [:]
    private let lock = NSLock()

    /// The shared instance over the schemas built into evident.
    public static let shared = RecordSchemas()

    init() {
        let registry = SchemaRegistry(defaultDialect: .draft2020_12)
        var failure: String?
        for schema in Templates.schemaFiles {
            do {
                _ = try registry.add(data: schema.data, retrievalURI: Self.baseURI + schema.name)
            } catch {
                failure = "schema/\(schema.name): \(error)"
            }
        }
        loadError = failure
        validator = Validator(registry: registry, options: ValidationOptions(assertFormat: true, maxDepth: 256))
    }

    /// Validates a record against its kind's schema; nil when the kind has no schema.
    public func validate(_ json: JSONValue, kind: String) -> [ValidationError]? {
        validate([(json, kind)])[0]
    }

    /// Validates many records, each against its kind's schema, in one batch (one large-stack
    /// thread for all); nil where the kind has no schema.
    public func validate(_ items: [(json: JSONValue, kind: String)]) -> [[ValidationError]?] {
        guard let validator else { return items.map { _ in nil } }
        lock.lock()
        defer { lock.unlock() }
        var batch: [(instance: JSONValue, schema: Schema)] = []
        var positions: [Int?] = []
        for item in items {
            if let schema = schema(for: item.kind, validator) {
                positions.append(batch.count)
                batch.append((item.json, schema))
            } else {
                positions.append(nil)
            }
        }
        let results = batch.isEmpty ? [] : validator.validate(batch)
        return positions.map { position in position.map { results[$0].errors } }
    }

    /// The compiled schema of a kind (caller holds the lock).
    private func schema(for kind: String, _ validator: Validator) -> Schema? {
        if let cached = compiled[kind] { return cached }
        guard let loaded = try? validator.schema(Self.baseURI + "\(kind).schema.json") else { return nil }
        compiled[kind] = loaded
        return loaded
    }
}
