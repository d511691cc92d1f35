import Foundation

/// Options of `evident schema check`: which schema, where its references live, how to validate.
public struct SchemaCheckOptions: Sendable {
    public var schema: URL
    public var referenceDirectories: [URL]
    /// Base URI under which the reference directories (and the schema file) are registered.
    public var baseURI: String?
    public var defaultDialect: Dialect
    public var assertFormat: Bool

    public init(schema: URL, referenceDirectories: [URL] = [], baseURI: String? = nil,
                defaultDialect: Dialect = .draft2020_12, assertFormat: Bool = false) {
        self.schema = schema
        self.referenceDirectories = referenceDirectories
        self.baseURI = baseURI
        self.defaultDialect = defaultDialect
        self.assertFormat = assertFormat
    }
}

/// A document to check: a JSON file to read, or a value already parsed (from YAML, say).
public enum SchemaCheckDocument: Sendable {
    case file(URL)
    /// `positions` maps JSON pointers to where the values start, when the parser knows.
    case parsed(path: String, value: JSONValue, positions: [String: SourcePosition]?)
}

/// A validation error placed in its document.
public struct LocatedValidationError: Hashable, Sendable {
    public let instanceLocation: String
    public let keywordLocation: String
    public let message: String
    public let line: Int?
    public let column: Int?

    public init(instanceLocation: String, keywordLocation: String, message: String, line: Int?, column: Int?) {
        self.instanceLocation = instanceLocation
        self.keywordLocation = keywordLocation
        self.message = message
        self.line = line
        self.column = column
    }
}

/// The verdict on one document.
public struct DocumentCheckResult: Sendable {
    public let path: String
    public let errors: [LocatedValidationError]
    public var valid: Bool { errors.isEmpty }

    public init(path: String, errors: [LocatedValidationError]) {
        self.path = path
        self.errors = errors
    }
}

/// The verdicts on all documents of one `schema check` run.
public struct SchemaCheckReport: Sendable {
    public let results: [DocumentCheckResult]
    public var allValid: Bool { results.allSatisfy(\.valid) }

    public init(results: [DocumentCheckResult]) { self.results = results }
}

/// `evident schema check` as a library function: build a registry, compile the schema once,
/// validate each document. Throws `SchemaError` when the schema itself cannot be used.
public enum SchemaCheck {
    public static func run(_ options: SchemaCheckOptions, documents: [SchemaCheckDocument]) throws -> SchemaCheckReport {
        let registry = SchemaRegistry(defaultDialect: options.defaultDialect)
        for directory in options.referenceDirectories {
            try registry.addDirectory(directory, baseURI: options.baseURI ?? directory.standardizedFileURL.absoluteString)
        }
        let retrieval = options.baseURI.map { base in
            (base.hasSuffix("/") ? base : base + "/") + options.schema.lastPathComponent
        }
        let uri = try registry.add(fileAt: options.schema, retrievalURI: retrieval)
        let validator = Validator(registry: registry, options: ValidationOptions(assertFormat: options.assertFormat))
        let schema = try validator.schema(uri)
        return SchemaCheckReport(results: documents.map { check($0, validator: validator, schema: schema) })
    }

    static func check(_ document: SchemaCheckDocument, validator: Validator, schema: Schema) -> DocumentCheckResult {
        switch document {
        case .parsed(let path, let value, let positions):
            let result = validator.validate(instance: value, against: schema)
            return DocumentCheckResult(path: path, errors: locate(result.errors, positions))
        case .file(let url):
            let data: Data
            do {
                data = try Data(contentsOf: url)
            } catch {
                return DocumentCheckResult(path: url.path, errors: [LocatedValidationError(
                    instanceLocation: "", keywordLocation: "", message: "cannot read file: \(error.localizedDescription)",
                    line: nil, column: nil)])
            }
            do {
                let value = try JSONValue.parse(data)
                let result = validator.validate(instance: value, against: schema)
                guard !result.isValid else { return DocumentCheckResult(path: url.path, errors: []) }
                // Positions are only worth a second pass when there is something to point at.
                let positions = try? JSONValue.parseWithPositions(data).1
                return DocumentCheckResult(path: url.path, errors: locate(result.errors, positions))
            } catch let error as JSONParseError {
                return DocumentCheckResult(path: url.path, errors: [LocatedValidationError(
                    instanceLocation: "", keywordLocation: "", message: "invalid JSON: \(error.message)",
                    line: error.line, column: error.column)])
            } catch {
                return DocumentCheckResult(path: url.path, errors: [LocatedValidationError(
                    instanceLocation: "", keywordLocation: "", message: "\(error)", line: nil, column: nil)])
            }
        }
    }

    /// Places each error at its instance location, or the nearest enclosing value that has a position.
    static func locate(_ errors: [ValidationError], _ positions: [String: SourcePosition]?) -> [LocatedValidationError] {
        errors.map { error in
            var pointer = error.instanceLocation
            var position = positions?[pointer]
            while position == nil, let positions, let slash = pointer.lastIndex(of: "/") {
                pointer = String(pointer[..<slash])
                position = positions[pointer]
            }
            return LocatedValidationError(instanceLocation: error.instanceLocation, keywordLocation: error.keywordLocation,
                                          message: error.message, line: position?.line, column: position?.column)
        }
    }
}

extension SchemaCheckReport {
    /// `{"version":1,"results":[{"path","valid","errors":[{instanceLocation,keywordLocation,message,line,column}]}]}`
    public func renderJSON() -> String {
        var out = "{\"version\":1,\"results\":["
        for (i, result) in results.enumerated() {
            if i > 0 { out += "," }
            out += "{\"path\":\(JSONText.quote(result.path)),\"valid\":\(result.valid),\"errors\":["
            for (j, error) in result.errors.enumerated() {
                if j > 0 { out += "," }
                out += "{\"instanceLocation\":\(JSONText.quote(error.instanceLocation))"
                out += ",\"keywordLocation\":\(JSONText.quote(error.keywordLocation))"
                out += ",\"message\":\(JSONText.quote(error.message))"
                out += ",\"line\":\(error.line.map(String.init) ?? "null")"
                out += ",\"column\":\(error.column.map(String.init) ?? "null")}"
            }
            out += "]}"
        }
        return out + "]}\n"
    }

    /// One line per error (`path:line:column: message [instance at keyword]`), and per valid document.
    public func renderText() -> String {
        var out = ""
        for result in results {
            if result.valid {
                out += "\(result.path): valid\n"
                continue
            }
            for error in result.errors {
                let place = [error.line, error.column].compactMap { $0 }.map(String.init).joined(separator: ":")
                let instance = error.instanceLocation.isEmpty ? "/" : error.instanceLocation
                out += "\(result.path)\(place.isEmpty ? "" : ":" + place): \(error.message) [\(instance) at \(error.keywordLocation.isEmpty ? "/" : error.keywordLocation)]\n"
            }
        }
        return out
    }
}

/// Writing JSON text: a string as a JSON string literal (RFC 8259 escapes).
public enum JSONText {
    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
