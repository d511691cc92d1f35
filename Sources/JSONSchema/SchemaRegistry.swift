import Foundation

/// The JSON Schema dialects this validator implements.
public enum Dialect: String, CaseIterable, Sendable {
    case draft2020_12 = "2020-12"
    case draft7 = "draft-07"

    /// The `$schema` URI that names this dialect.
    public var metaschemaURI: String {
        switch self {
        case .draft2020_12: return "https://json-schema.org/draft/2020-12/schema"
        case .draft7: return "http://json-schema.org/draft-07/schema"
        }
    }

    /// The dialect a `$schema` value names, if it is one of ours.
    public init?(schemaURI: String) {
        var uri = schemaURI
        if uri.hasSuffix("#") { uri.removeLast() }
        if uri.hasPrefix("https://") { uri = "http://" + uri.dropFirst(8) }
        switch uri {
        case "http://json-schema.org/draft/2020-12/schema": self = .draft2020_12
        case "http://json-schema.org/draft-07/schema": self = .draft7
        default: return nil
        }
    }
}

/// A problem with a schema (not with an instance): unreadable, unresolvable, or malformed.
public struct SchemaError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    public let message: String
    public var description: String { message }
    public var errorDescription: String? { message }
    public init(_ message: String) { self.message = message }
}

/// Where a schema lives: a resource URI and a JSON pointer inside that resource.
struct SchemaLocation: Hashable {
    var resource: String
    var pointer: [String]

    var key: String { resource + "#" + JSONPointer.string(pointer) }
}

/// The effective dialect of a schema resource: its structure plus which vocabularies are on.
struct DialectInfo: Hashable {
    var dialect: Dialect
    var validation = true
}

/// Schema documents known to the validator, by URI. References resolve only against this registry.
public final class SchemaRegistry {
    /// The dialect used when a schema has no `$schema`.
    public let defaultDialect: Dialect

    struct Resource {
        let schema: JSONValue
        let dialect: Dialect
        let schemaKeyword: String?
    }

    var resources: [String: Resource] = [:]
    var anchors: [String: SchemaLocation] = [:]
    var dynamicAnchors: [String: [String: SchemaLocation]] = [:]
    var compiled: [String: CompiledSchema] = [:]
    var resourceIDs: [String: Int] = [:]
    private var anonymousCount = 0

    /// Creates a registry that already knows the metaschemas of both dialects.
    public init(defaultDialect: Dialect = .draft2020_12) {
        self.defaultDialect = defaultDialect
        for text in Metaschemas.all {
            if let value = try? JSONValue.parse(text) {
                _ = try? add(value)
            }
        }
    }

    /// Registers a schema document under its `$id`, and under `retrievalURI` when given.
    /// Returns the URI the schema is known by.
    @discardableResult
    public func add(_ schema: JSONValue, retrievalURI: String? = nil) throws -> String {
        let retrieval: String
        if let retrievalURI {
            retrieval = URIReference.splitFragment(retrievalURI).0
        } else {
            anonymousCount += 1
            retrieval = "urn:evident:schema:\(anonymousCount)"
        }
        let dialect = structuralDialect(of: schema, inherited: defaultDialect)
        var base = retrieval
        if let id = schema["$id"]?.stringValue, !(dialect == .draft7 && schema["$ref"] != nil) {
            base = URIReference.splitFragment(URIReference.resolve(id, against: retrieval)).0
        }
        if schema.objectValue == nil {
            resources[base] = Resource(schema: schema, dialect: dialect, schemaKeyword: nil)
        }
        if base != retrieval {
            resources[retrieval] = Resource(schema: schema, dialect: dialect, schemaKeyword: schema["$schema"]?.stringValue)
        }
        walk(schema, base: base, location: SchemaLocation(resource: base, pointer: []), dialect: dialect, isRoot: true)
        return base
    }

    /// Parses and registers a schema document.
    @discardableResult
    public func add(data: Data, retrievalURI: String? = nil) throws -> String {
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch let error as JSONParseError {
            throw SchemaError("schema \(retrievalURI ?? "") is not valid JSON: \(error)")
        }
        return try add(value, retrievalURI: retrievalURI)
    }

    /// Reads and registers a schema file; `retrievalURI` defaults to the file URL.
    @discardableResult
    public func add(fileAt url: URL, retrievalURI: String? = nil) throws -> String {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SchemaError("cannot read schema \(url.path): \(error.localizedDescription)")
        }
        return try add(data: data, retrievalURI: retrievalURI ?? url.absoluteString)
    }

    /// Registers every `.json` file under `url`, each at `baseURI` + its relative path.
    @discardableResult
    public func addDirectory(_ url: URL, baseURI: String) throws -> [String] {
        let base = baseURI.hasSuffix("/") ? baseURI : baseURI + "/"
        let root = url.standardizedFileURL.resolvingSymlinksInPath()
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw SchemaError("cannot read directory \(url.path)")
        }
        var files: [URL] = []
        for case let file as URL in enumerator where file.pathExtension == "json" {
            files.append(file.standardizedFileURL.resolvingSymlinksInPath())
        }
        var added: [String] = []
        for file in files.sorted(by: { $0.path < $1.path }) {
            var relative = String(file.path.dropFirst(root.path.count))
            while relative.hasPrefix("/") { relative.removeFirst() }
            added.append(try add(fileAt: file, retrievalURI: base + relative))
        }
        return added
    }

    /// True when a document or embedded resource is registered under `uri`.
    public func contains(_ uri: String) -> Bool {
        resources[URIReference.splitFragment(uri).0] != nil
    }

    func resourceID(_ uri: String) -> Int {
        if let id = resourceIDs[uri] { return id }
        let id = resourceIDs.count
        resourceIDs[uri] = id
        return id
    }

    // MARK: - Dialects

    func structuralDialect(of schema: JSONValue, inherited: Dialect) -> Dialect {
        guard let uri = schema["$schema"]?.stringValue else { return inherited }
        if let known = Dialect(schemaURI: uri) { return known }
        if let meta = resources[URIReference.splitFragment(uri).0] {
            return meta.dialect
        }
        return inherited
    }

    /// The dialect and vocabularies a resource uses, looking its metaschema up when it is not standard.
    func dialectInfo(schemaKeyword: String?, structural: Dialect) -> DialectInfo {
        var info = DialectInfo(dialect: structural)
        guard let uri = schemaKeyword, Dialect(schemaURI: uri) == nil,
              let meta = resources[URIReference.splitFragment(uri).0],
              let vocabularies = meta.schema["$vocabulary"]?.objectValue else { return info }
        info.validation = vocabularies.keys.contains { $0.hasSuffix("/vocab/validation") }
        return info
    }

    // MARK: - Discovering resources and anchors

    static let schemaKeywords: Set<String> = [
        "additionalProperties", "additionalItems", "items", "not", "if", "then", "else", "contains",
        "propertyNames", "unevaluatedItems", "unevaluatedProperties",
    ]
    static let schemaMapKeywords: Set<String> = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies"]
    static let schemaArrayKeywords: Set<String> = ["allOf", "anyOf", "oneOf", "prefixItems", "items"]

    static let keywordKinds: [String: (single: Bool, array: Bool, map: Bool)] = {
        var kinds: [String: (single: Bool, array: Bool, map: Bool)] = [:]
        for key in schemaKeywords.union(schemaMapKeywords).union(schemaArrayKeywords) {
            kinds[key] = (schemaKeywords.contains(key), schemaArrayKeywords.contains(key), schemaMapKeywords.contains(key))
        }
        return kinds
    }()

    private func walk(_ value: JSONValue, base: String, location: SchemaLocation, dialect: Dialect, isRoot: Bool) {
        guard case .object(let object) = value else { return }
        var base = base
        var location = location
        var dialect = dialect
        if !isRoot, object["$schema"] != nil, object["$id"] != nil {
            dialect = structuralDialect(of: value, inherited: dialect)
        }
        let refOverrides = dialect == .draft7 && object["$ref"] != nil
        if let id = object["$id"]?.stringValue, !refOverrides {
            if dialect == .draft7, id.hasPrefix("#") {
                anchors[base + id] = location
            } else {
                let resolved = URIReference.resolve(id, against: base)
                let (uri, fragment) = URIReference.splitFragment(resolved)
                base = uri
                location = SchemaLocation(resource: uri, pointer: [])
                resources[uri] = Resource(schema: value, dialect: dialect, schemaKeyword: object["$schema"]?.stringValue)
                if dialect == .draft7, let fragment, !fragment.isEmpty {
                    anchors[uri + "#" + fragment] = location
                }
            }
        } else if isRoot {
            resources[base] = Resource(schema: value, dialect: dialect, schemaKeyword: object["$schema"]?.stringValue)
        }
        if dialect == .draft2020_12 {
            if let anchor = object["$anchor"]?.stringValue {
                anchors[location.resource + "#" + anchor] = location
            }
            if let anchor = object["$dynamicAnchor"]?.stringValue {
                anchors[location.resource + "#" + anchor] = location
                dynamicAnchors[location.resource, default: [:]][anchor] = location
            }
        }
        for (key, child) in object {
            // One hash of the key, not one per keyword set: schemas are mostly other keywords.
            guard let kind = SchemaRegistry.keywordKinds[key] else { continue }
            if kind.single || (kind.array && child.arrayValue == nil) {
                walk(child, base: base, location: SchemaLocation(resource: location.resource, pointer: location.pointer + [key]), dialect: dialect, isRoot: false)
            } else if kind.array, let items = child.arrayValue {
                for (i, item) in items.enumerated() {
                    walk(item, base: base, location: SchemaLocation(resource: location.resource, pointer: location.pointer + [key, String(i)]), dialect: dialect, isRoot: false)
                }
            } else if kind.map, let map = child.objectValue {
                for (name, item) in map {
                    walk(item, base: base, location: SchemaLocation(resource: location.resource, pointer: location.pointer + [key, name]), dialect: dialect, isRoot: false)
                }
            }
        }
    }

    // MARK: - Resolving references

    /// Resolves an absolute URI (with optional fragment) to a schema location.
    func locate(_ uri: String) -> SchemaLocation? {
        let (resource, fragment) = URIReference.splitFragment(uri)
        guard resources[resource] != nil else { return nil }
        guard let fragment, !fragment.isEmpty else { return SchemaLocation(resource: resource, pointer: []) }
        let decoded = fragment.removingPercentEncoding ?? fragment
        if decoded.hasPrefix("/") {
            guard let tokens = JSONPointer.tokens(decoded) else { return nil }
            return SchemaLocation(resource: resource, pointer: tokens)
        }
        return anchors[resource + "#" + decoded]
    }

    /// The JSON at a location, with the location normalised to the innermost resource it is in.
    func schema(at location: SchemaLocation) -> (JSONValue, SchemaLocation, DialectInfo)? {
        guard let resource = resources[location.resource] else { return nil }
        var value = resource.schema
        var current = SchemaLocation(resource: location.resource, pointer: [])
        var dialect = resource.dialect
        var schemaKeyword = resource.schemaKeyword
        for token in location.pointer {
            switch value {
            case .object(let object):
                guard let next = object[token] else { return nil }
                value = next
            case .array(let array):
                guard let i = Int(token), i >= 0, i < array.count else { return nil }
                value = array[i]
            default:
                return nil
            }
            current.pointer.append(token)
            if case .object(let object) = value, let id = object["$id"]?.stringValue,
               !(dialect == .draft7 && (object["$ref"] != nil || id.hasPrefix("#"))) {
                let uri = URIReference.splitFragment(URIReference.resolve(id, against: current.resource)).0
                if let embedded = resources[uri] {
                    current = SchemaLocation(resource: uri, pointer: [])
                    dialect = embedded.dialect
                    schemaKeyword = embedded.schemaKeyword ?? schemaKeyword
                }
            }
        }
        return (value, current, dialectInfo(schemaKeyword: schemaKeyword, structural: dialect))
    }
}
