import Foundation
import JSONSchema

/// `evident schema check`: validates JSON or YAML documents against a schema file, resolving
/// references only from local files (never the network).
public struct SchemaCheck {
    /// One document's verdict.
    public struct Result {
        public var path: String
        public var errors: [(error: ValidationError, mark: Mark?)]
        public var problem: String?
        public var valid: Bool { errors.isEmpty && problem == nil }
    }

    public var schema: URL
    public var referenceDirectories: [URL] = []
    public var baseURI: String?
    public var dialect: Dialect = .draft2020_12
    public var assertFormat = false

    public init(schema: URL) { self.schema = schema }

    /// Loads the schema and its reference folders, then validates each document; schema problems throw.
    public func run(documents: [URL]) throws -> [Result] {
        let registry = SchemaRegistry(defaultDialect: dialect)
        for directory in referenceDirectories {
            _ = try registry.addDirectory(directory, baseURI: baseURI ?? directory.absoluteURL.absoluteString)
        }
        let schemaData = try Data(contentsOf: schema)
        let retrieval = baseURI.map { $0.hasSuffix("/") ? $0 + schema.lastPathComponent : $0 + "/" + schema.lastPathComponent }
        let uri = try registry.add(data: schemaData, retrievalURI: retrieval ?? schema.absoluteURL.absoluteString)
        let validator = Validator(registry: registry, options: ValidationOptions(assertFormat: assertFormat))
        let compiled = try validator.schema(uri)
        return documents.map { url in
            guard let data = FileManager.default.contents(atPath: url.path) else {
                return Result(path: url.path, errors: [], problem: "cannot read the file")
            }
            let lower = url.pathExtension.lowercased()
            if lower == "yaml" || lower == "yml" {
                let document = YAMLLoader.load(data)
                if let problem = document.problems.first { return Result(path: url.path, errors: [], problem: "\(problem.mark): \(problem.message)") }
                guard let root = document.root else { return Result(path: url.path, errors: [], problem: "empty document") }
                let json = RecordJSON(root)
                let errors = validator.validate(instance: json.value, against: compiled).errors
                return Result(path: url.path, errors: errors.map { ($0, json.mark(for: $0.instanceLocation)) }, problem: nil)
            }
            do {
                let (value, positions) = try JSONValue.parseWithPositions(data)
                let errors = validator.validate(instance: value, against: compiled).errors
                return Result(path: url.path, errors: errors.map { error in
                    (error, positions[error.instanceLocation].map { Mark(line: $0.line, column: $0.column) })
                }, problem: nil)
            } catch {
                return Result(path: url.path, errors: [], problem: "not valid JSON: \(error)")
            }
        }
    }

    /// `{"version":1,"results":[{"path","valid","errors":[...]}]}`.
    public static func json(_ results: [Result]) -> String {
        let items: [[String: Any]] = results.map { result in
            var errors: [[String: Any]] = result.errors.map { item in
                ["instanceLocation": item.error.instanceLocation, "keywordLocation": item.error.keywordLocation,
                 "message": item.error.message, "line": item.mark?.line ?? NSNull(), "column": item.mark?.column ?? NSNull()]
            }
            if let problem = result.problem {
                errors.append(["instanceLocation": "", "keywordLocation": "", "message": problem, "line": NSNull(), "column": NSNull()])
            }
            return ["path": result.path, "valid": result.valid, "errors": errors]
        }
        return JSONOutput.string(["version": 1, "results": items] as [String: Any])
    }

    public static func text(_ results: [Result]) -> String {
        var out = ""
        for result in results {
            if let problem = result.problem { out += "\(result.path): error: \(problem)\n" }
            for item in result.errors {
                let position = item.mark.map { ":\($0.line):\($0.column)" } ?? ""
                out += "\(result.path)\(position): error: \(item.error.message) (at '\(item.error.instanceLocation)', keyword \(item.error.keywordLocation))\n"
            }
            if result.valid { out += "\(result.path): valid\n" }
        }
        return out
    }
}
