import Foundation

/// A `$ref` whose target is found on first use and then remembered.
final class RefSlot {
    let uri: String
    var target: CompiledSchema?
    var failed = false

    init(uri: String) { self.uri = uri }
}

/// JSON types as a bit set, for the `type` keyword.
struct TypeSet: OptionSet {
    let rawValue: UInt8
    static let null = TypeSet(rawValue: 1)
    static let boolean = TypeSet(rawValue: 2)
    static let integer = TypeSet(rawValue: 4)
    static let number = TypeSet(rawValue: 8)
    static let string = TypeSet(rawValue: 16)
    static let array = TypeSet(rawValue: 32)
    static let object = TypeSet(rawValue: 64)

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init?(name: String) {
        switch name {
        case "null": self = .null
        case "boolean": self = .boolean
        case "integer": self = .integer
        case "number": self = .number
        case "string": self = .string
        case "array": self = .array
        case "object": self = .object
        default: return nil
        }
    }

    func admits(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return contains(.null)
        case .bool: return contains(.boolean)
        case .number(let n): return contains(.number) || (contains(.integer) && n.isInteger)
        case .string: return contains(.string)
        case .array: return contains(.array)
        case .object: return contains(.object)
        }
    }
}

/// A subschema together with the keyword-path tokens that lead to it from its parent.
struct Child {
    let path: [String]
    let schema: CompiledSchema
}

/// One compiled keyword of a schema object.
enum Keyword {
    case ref(RefSlot)
    case dynamicRef(RefSlot, anchor: String?)
    case type(TypeSet, names: [String])
    case enumeration(Set<JSONValue>)
    case constant(JSONValue)
    case multipleOf(JSONNumber)
    case maximum(JSONNumber, exclusive: Bool)
    case minimum(JSONNumber, exclusive: Bool)
    case maxLength(Int)
    case minLength(Int)
    case pattern(ECMARegex?, String)
    case maxItems(Int)
    case minItems(Int)
    case uniqueItems
    case maxProperties(Int)
    case minProperties(Int)
    case required([String])
    case dependentRequired(keyword: String, [(String, [String])])
    case format(String)
    case allOf([Child])
    case anyOf([Child])
    case oneOf([Child])
    case not(Child)
    case conditional(if: Child, then: Child?, else: Child?)
    case dependentSchemas([(String, Child)])
    /// prefixItems (or draft-07 array `items`), then items (or `additionalItems`) for the rest.
    case items(prefix: [Child], rest: Child?)
    case contains(Child, min: Int, max: Int?)
    case properties(named: [String: Child], patterns: [(ECMARegex?, Child)], additional: Child?)
    case propertyNames(Child)
    case unevaluatedItems(Child)
    case unevaluatedProperties(Child)
}

/// A schema compiled once: its keywords in evaluation order, and where it sits.
final class CompiledSchema {
    /// Set for boolean schemas (and an empty object, which is `true`).
    var constant: Bool?
    var keywords: [(token: String, keyword: Keyword)] = []
    let location: SchemaLocation
    let resourceID: Int
    let dialect: DialectInfo
    var dynamicAnchor: String?
    var hasUnevaluated = false

    init(location: SchemaLocation, resourceID: Int, dialect: DialectInfo) {
        self.location = location
        self.resourceID = resourceID
        self.dialect = dialect
    }
}

/// Compiles schema JSON into `CompiledSchema` nodes, memoised in the registry by location.
struct SchemaCompiler {
    let registry: SchemaRegistry

    /// The compiled schema at an absolute URI, or nil when the registry cannot resolve it.
    func compile(uri: String) -> CompiledSchema? {
        guard let location = registry.locate(uri) else { return nil }
        return compile(location: location)
    }

    func compile(location: SchemaLocation) -> CompiledSchema? {
        if let done = registry.compiled[location.key] { return done }
        guard let (json, normalised, dialect) = registry.schema(at: location) else { return nil }
        if let done = registry.compiled[normalised.key] {
            registry.compiled[location.key] = done
            return done
        }
        let node = compileNode(json, location: normalised, dialect: dialect)
        registry.compiled[location.key] = node
        return node
    }

    private func child(_ json: JSONValue, _ parent: CompiledSchema, _ tokens: [String]) -> Child {
        var location = parent.location
        location.pointer += tokens
        var dialect = parent.dialect
        if case .object(let object) = json, let id = object["$id"]?.stringValue,
           !(dialect.dialect == .draft7 && (object["$ref"] != nil || id.hasPrefix("#"))) {
            let uri = URIReference.splitFragment(URIReference.resolve(id, against: parent.location.resource)).0
            if let resource = registry.resources[uri] {
                location = SchemaLocation(resource: uri, pointer: [])
                dialect = registry.dialectInfo(schemaKeyword: resource.schemaKeyword, structural: resource.dialect)
            }
        }
        if let done = registry.compiled[location.key] {
            return Child(path: tokens.map(JSONPointer.escape), schema: done)
        }
        return Child(path: tokens.map(JSONPointer.escape), schema: compileNode(json, location: location, dialect: dialect))
    }

    private func compileNode(_ json: JSONValue, location: SchemaLocation, dialect: DialectInfo) -> CompiledSchema {
        let node = CompiledSchema(location: location, resourceID: registry.resourceID(location.resource), dialect: dialect)
        registry.compiled[location.key] = node
        guard case .object(let object) = json else {
            node.constant = json.boolValue ?? true
            return node
        }
        let draft7 = dialect.dialect == .draft7
        let base = location.resource
        var keywords: [(String, Keyword)] = []

        if let ref = object["$ref"]?.stringValue {
            keywords.append(("$ref", .ref(RefSlot(uri: URIReference.resolve(ref, against: base)))))
            if draft7 {
                // In draft-07 `$ref` overrides its siblings.
                node.keywords = keywords
                return node
            }
        }
        if !draft7 {
            if let ref = object["$dynamicRef"]?.stringValue {
                let resolved = URIReference.resolve(ref, against: base)
                let fragment = URIReference.splitFragment(resolved).1
                let anchor = fragment.flatMap { $0.isEmpty || $0.hasPrefix("/") ? nil : $0 }
                keywords.append(("$dynamicRef", .dynamicRef(RefSlot(uri: resolved), anchor: anchor)))
            }
            node.dynamicAnchor = object["$dynamicAnchor"]?.stringValue
        }

        if dialect.validation {
            compileValidation(object, draft7: draft7, into: &keywords)
        }
        compileApplicators(object, node: node, draft7: draft7, into: &keywords)

        if !draft7 {
            if let s = object["unevaluatedItems"] {
                keywords.append(("unevaluatedItems", .unevaluatedItems(child(s, node, ["unevaluatedItems"]))))
                node.hasUnevaluated = true
            }
            if let s = object["unevaluatedProperties"] {
                keywords.append(("unevaluatedProperties", .unevaluatedProperties(child(s, node, ["unevaluatedProperties"]))))
                node.hasUnevaluated = true
            }
        }
        node.keywords = keywords
        return node
    }

    private func nonNegative(_ value: JSONValue?) -> Int? {
        guard let n = value?.numberValue, n.isInteger else { return nil }
        if let v = n.int64Value { return v < 0 ? nil : Int(clamping: v) }
        return n.double > 0 ? Int.max : nil
    }

    private func compileValidation(_ object: JSONObject, draft7: Bool, into keywords: inout [(String, Keyword)]) {
        if let type = object["type"] {
            var names: [String] = []
            if let name = type.stringValue { names = [name] }
            if let array = type.arrayValue { names = array.compactMap(\.stringValue) }
            var set = TypeSet(rawValue: 0)
            for name in names { if let t = TypeSet(name: name) { set.insert(t) } }
            keywords.append(("type", .type(set, names: names)))
        }
        if let values = object["enum"]?.arrayValue { keywords.append(("enum", .enumeration(Set(values)))) }
        if let value = object["const"] { keywords.append(("const", .constant(value))) }
        if let n = object["multipleOf"]?.numberValue, n.double > 0 {
            keywords.append(("multipleOf", .multipleOf(n)))
        }
        if let n = object["maximum"]?.numberValue { keywords.append(("maximum", .maximum(n, exclusive: false))) }
        if let n = object["exclusiveMaximum"]?.numberValue { keywords.append(("exclusiveMaximum", .maximum(n, exclusive: true))) }
        if let n = object["minimum"]?.numberValue { keywords.append(("minimum", .minimum(n, exclusive: false))) }
        if let n = object["exclusiveMinimum"]?.numberValue { keywords.append(("exclusiveMinimum", .minimum(n, exclusive: true))) }
        if let n = nonNegative(object["maxLength"]) { keywords.append(("maxLength", .maxLength(n))) }
        if let n = nonNegative(object["minLength"]) { keywords.append(("minLength", .minLength(n))) }
        if let p = object["pattern"]?.stringValue { keywords.append(("pattern", .pattern(try? ECMARegex(p), p))) }
        if let n = nonNegative(object["maxItems"]) { keywords.append(("maxItems", .maxItems(n))) }
        if let n = nonNegative(object["minItems"]) { keywords.append(("minItems", .minItems(n))) }
        if object["uniqueItems"]?.boolValue == true { keywords.append(("uniqueItems", .uniqueItems)) }
        if let n = nonNegative(object["maxProperties"]) { keywords.append(("maxProperties", .maxProperties(n))) }
        if let n = nonNegative(object["minProperties"]) { keywords.append(("minProperties", .minProperties(n))) }
        if let names = object["required"]?.arrayValue { keywords.append(("required", .required(names.compactMap(\.stringValue)))) }
        if let format = object["format"]?.stringValue { keywords.append(("format", .format(format))) }
        let dependentKeyword = draft7 ? "dependencies" : "dependentRequired"
        if let map = object[dependentKeyword]?.objectValue {
            var pairs: [(String, [String])] = []
            for (name, value) in map {
                if let names = value.arrayValue { pairs.append((name, names.compactMap(\.stringValue))) }
            }
            if !pairs.isEmpty { keywords.append((dependentKeyword, .dependentRequired(keyword: dependentKeyword, pairs))) }
        }
    }

    private func compileApplicators(_ object: JSONObject, node: CompiledSchema, draft7: Bool, into keywords: inout [(String, Keyword)]) {
        for name in ["allOf", "anyOf", "oneOf"] {
            guard let array = object[name]?.arrayValue else { continue }
            let children = array.enumerated().map { child($0.element, node, [name, String($0.offset)]) }
            switch name {
            case "allOf": keywords.append((name, .allOf(children)))
            case "anyOf": keywords.append((name, .anyOf(children)))
            default: keywords.append((name, .oneOf(children)))
            }
        }
        if let s = object["not"] { keywords.append(("not", .not(child(s, node, ["not"])))) }
        if let s = object["if"] {
            let thenChild = object["then"].map { child($0, node, ["then"]) }
            let elseChild = object["else"].map { child($0, node, ["else"]) }
            keywords.append(("if", .conditional(if: child(s, node, ["if"]), then: thenChild, else: elseChild)))
        }
        let dependentKeyword = draft7 ? "dependencies" : "dependentSchemas"
        if let map = object[dependentKeyword]?.objectValue {
            var pairs: [(String, Child)] = []
            for (name, value) in map where value.arrayValue == nil {
                pairs.append((name, child(value, node, [dependentKeyword, name])))
            }
            if !pairs.isEmpty { keywords.append((dependentKeyword, .dependentSchemas(pairs))) }
        }
        // Arrays.
        if draft7 {
            if let items = object["items"] {
                if let array = items.arrayValue {
                    let prefix = array.enumerated().map { child($0.element, node, ["items", String($0.offset)]) }
                    let rest = object["additionalItems"].map { child($0, node, ["additionalItems"]) }
                    keywords.append(("items", .items(prefix: prefix, rest: rest)))
                } else {
                    keywords.append(("items", .items(prefix: [], rest: child(items, node, ["items"]))))
                }
            }
            if let s = object["contains"] {
                keywords.append(("contains", .contains(child(s, node, ["contains"]), min: 1, max: nil)))
            }
        } else {
            let prefix = object["prefixItems"]?.arrayValue.map { array in
                array.enumerated().map { child($0.element, node, ["prefixItems", String($0.offset)]) }
            } ?? []
            let rest = object["items"].flatMap { $0.arrayValue == nil ? child($0, node, ["items"]) : nil }
            if !prefix.isEmpty || rest != nil {
                keywords.append((prefix.isEmpty ? "items" : "prefixItems", .items(prefix: prefix, rest: rest)))
            }
            if let s = object["contains"] {
                let min = nonNegative(object["minContains"]) ?? 1
                let max = nonNegative(object["maxContains"])
                keywords.append(("contains", .contains(child(s, node, ["contains"]), min: min, max: max)))
            }
        }
        // Objects.
        var named: [String: Child] = [:]
        if let map = object["properties"]?.objectValue {
            for (name, value) in map { named[name] = child(value, node, ["properties", name]) }
        }
        var patterns: [(ECMARegex?, Child)] = []
        if let map = object["patternProperties"]?.objectValue {
            for (pattern, value) in map {
                patterns.append((try? ECMARegex(pattern), child(value, node, ["patternProperties", pattern])))
            }
        }
        let additional = object["additionalProperties"].map { child($0, node, ["additionalProperties"]) }
        if !named.isEmpty || !patterns.isEmpty || additional != nil {
            keywords.append(("properties", .properties(named: named, patterns: patterns, additional: additional)))
        }
        if let s = object["propertyNames"] { keywords.append(("propertyNames", .propertyNames(child(s, node, ["propertyNames"])))) }
    }
}
