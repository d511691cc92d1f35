import Foundation
import JSONSchema

/// One problem a CSAF document has: the test of CSAF 2.0 section 6.1 it fails (or `schema`, or
/// `json` when it is not JSON at all), where (a JSON pointer and, when known, line and column).
public struct CSAFFinding: Sendable, Hashable, CustomStringConvertible {
    /// `json`, `schema`, or a mandatory test: `6.1.1` ... `6.1.33`, `6.1.27.1` ... `6.1.27.11`.
    public var test: String
    public var pointer: String
    public var message: String
    public var line: Int?
    public var column: Int?

    public init(test: String, pointer: String, message: String, line: Int? = nil, column: Int? = nil) {
        self.test = test
        self.pointer = pointer
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String {
        let place = [line, column].compactMap { $0 }.map(String.init).joined(separator: ":")
        return "\(place.isEmpty ? "" : place + ": ")[\(test)] \(message) (\(pointer.isEmpty ? "/" : pointer))"
    }
}

/// The CSAF 2.0 checker: the official JSON schema (with the FIRST CVSS schemas it references, all
/// embedded) and every mandatory test of section 6.1, offline. Findings are gathered, never stopping at
/// the first, and placed at the line and column of the value they concern.
public struct CSAFChecker: Sendable {
    public init() {}

    /// Every mandatory test id, in the order of the standard.
    public static let mandatoryTests: [String] = (1...33).flatMap { n -> [String] in
        n == 27 ? (1...11).map { "6.1.27.\($0)" } : ["6.1.\(n)"]
    }

    /// Checks a file's bytes.
    public func check(data: Data) -> [CSAFFinding] {
        let document: JSONValue
        let positions: [String: SourcePosition]
        do {
            (document, positions) = try JSONValue.parseWithPositions(data)
        } catch let error as JSONParseError {
            return [CSAFFinding(test: "json", pointer: "", message: "not JSON: \(error.message)", line: error.line, column: error.column)]
        } catch {
            return [CSAFFinding(test: "json", pointer: "", message: "not JSON: \(error)")]
        }
        return check(document, positions: positions)
    }

    /// Checks a parsed document; `positions` (JSON pointer -> where the value starts) places findings.
    public func check(_ document: JSONValue, positions: [String: SourcePosition] = [:]) -> [CSAFFinding] {
        var findings: [CSAFFinding] = []
        do {
            let schemas = try CSAFSchemas.shared()
            let result = schemas.validator.validate(instance: document, against: schemas.csaf)
            findings += result.errors.map { CSAFFinding(test: "schema", pointer: $0.instanceLocation, message: $0.message) }
        } catch {
            findings.append(CSAFFinding(test: "schema", pointer: "", message: "the embedded CSAF schema cannot be used: \(error)"))
        }
        let context = CSAFDocumentContext(document)
        findings += CSAFMandatoryTests.run(context)
        return findings.map { finding in
            var placed = finding
            var pointer = finding.pointer
            var position = positions[pointer]
            while position == nil, let slash = pointer.lastIndex(of: "/") {
                pointer = String(pointer[..<slash])
                position = positions[pointer]
            }
            if position == nil { position = positions[""] }
            placed.line = position?.line
            placed.column = position?.column
            return placed
        }
    }
}

/// The compiled CSAF 2.0 schema and the FIRST CVSS schemas, registered under their canonical URLs
/// (the CSAF schema refers to `https://www.first.org/cvss/cvss-v3.1.json`; the FIRST files' own ids
/// carry a query, so they are registered by retrieval URI). Compiled once per process.
final class CSAFSchemas: @unchecked Sendable {
    let validator: Validator
    let csaf: Schema
    let cvss: [String: Schema]

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cached: Result<CSAFSchemas, Error>?

    static func shared() throws -> CSAFSchemas {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return try cached.get() }
        let result = Result { try CSAFSchemas() }
        cached = result
        return try result.get()
    }

    private init() throws {
        let registry = SchemaRegistry()
        var cvss: [String: String] = [:]
        for (key, text) in [("2.0", CSAFSchemaData.cvss20), ("3.0", CSAFSchemaData.cvss30), ("3.1", CSAFSchemaData.cvss31)] {
            cvss[key] = try registry.add(data: Data(text.utf8), retrievalURI: "https://www.first.org/cvss/cvss-v\(key).json")
        }
        let uri = try registry.add(data: Data(CSAFSchemaData.csaf.utf8),
                                   retrievalURI: "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json")
        validator = Validator(registry: registry)
        csaf = try validator.schema(uri)
        var compiled: [String: Schema] = [:]
        for (key, id) in cvss { compiled[key] = try validator.schema(id) }
        self.cvss = compiled
    }
}
