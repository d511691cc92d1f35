import JSONSchema

/// A record's YAML tree as a JSON value for schema validation, with the position of every JSON
/// pointer so schema errors land on the YAML line and column of the offending value.
public struct RecordJSON: Sendable {
    public var value: JSONValue
    /// JSON pointer -> position (the key's position for mapping members, the item's for list items).
    public var marks: [String: Mark]

    public init(_ node: YAMLNode) {
        var marks: [String: Mark] = [:]
        value = Self.convert(node, pointer: "", marks: &marks)
        self.marks = marks
    }

    /// The JSON value alone, without positions (cheaper; positions are only needed for errors).
    public static func value(of node: YAMLNode) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return scalarValue(scalar)
        case .sequence(let items, _):
            return .array(items.map(value(of:)))
        case .mapping(let pairs, _):
            return .object(JSONObject(pairs.map { pair in (pair.key.string ?? RecordDigest.canonicalJSON(pair.key), value(of: pair.value)) }))
        }
    }

    /// A scalar under the YAML 1.2 core schema as JSON: numbers JSON can hold stay numbers; `.inf`,
    /// `.nan` and out-of-range integers stay the text they were written as.
    static func scalarValue(_ scalar: YAMLScalar) -> JSONValue {
        switch scalar.coreValue {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .int(let text): return JSONNumber(text: text.hasPrefix("+") ? String(text.dropFirst()) : text).map(JSONValue.number) ?? .string(text)
        case .float(let value): return value.isFinite ? .number(JSONNumber(value)) : .string(scalar.value)
        case .string(let text): return .string(text)
        }
    }

    private static func convert(_ node: YAMLNode, pointer: String, marks: inout [String: Mark]) -> JSONValue {
        if marks[pointer] == nil { marks[pointer] = node.mark }
        switch node {
        case .scalar(let scalar):
            return scalarValue(scalar)
        case .sequence(let items, _):
            return .array(items.enumerated().map { index, item in
                convert(item, pointer: pointer + "/\(index)", marks: &marks)
            })
        case .mapping(let pairs, _):
            var members: [(String, JSONValue)] = []
            for pair in pairs {
                let key = pair.key.string ?? RecordDigest.canonicalJSON(pair.key)
                let child = pointer + "/" + JSONPointer.escape(key)
                marks[child] = pair.key.mark
                members.append((key, convert(pair.value, pointer: child, marks: &marks)))
            }
            return .object(JSONObject(members))
        }
    }

    /// The position for a pointer, or of its nearest ancestor that has one.
    public func mark(for pointer: String) -> Mark {
        var current = pointer
        while true {
            if let mark = marks[current] { return mark }
            guard let slash = current.lastIndex(of: "/") else { return marks[""] ?? Mark(line: 1, column: 1) }
            current = String(current[..<slash])
        }
    }
}
