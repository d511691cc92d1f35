import Foundation
import JSONSchema

/// Writes a `JSONValue` as pretty-printed JSON (two-space indent, keys in the value's own order, a
/// final newline): the same value always gives the same bytes, which reproducible exports rely on.
public enum JSONOutput {
    public static func pretty(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 0, into: &out)
        return out + "\n"
    }

    private static func write(_ value: JSONValue, indent: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: indent + 1)
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.description
        case .string(let s): out += JSONText.quote(s)
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                write(item, indent: indent + 1, into: &out)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: indent) + "]"
        case .object(let object):
            guard !object.isEmpty else { out += "{}"; return }
            out += "{\n"
            for (i, (key, item)) in object.enumerated() {
                out += pad + JSONText.quote(key) + ": "
                write(item, indent: indent + 1, into: &out)
                out += i + 1 < object.count ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: indent) + "}"
        }
    }
}

/// Building JSON objects in a fixed key order, leaving out absent values.
struct JSONBuilder {
    private(set) var pairs: [(String, JSONValue)] = []

    mutating func add(_ key: String, _ value: JSONValue?) {
        if let value { pairs.append((key, value)) }
    }

    mutating func add(_ key: String, _ text: String?) {
        if let text { pairs.append((key, .string(text))) }
    }

    /// Adds a list only when it has items.
    mutating func add(_ key: String, list: [JSONValue]) {
        if !list.isEmpty { pairs.append((key, .array(list))) }
    }

    mutating func add(_ key: String, strings: [String]) {
        add(key, list: strings.map(JSONValue.string))
    }

    var value: JSONValue { .object(JSONObject(pairs)) }
}

extension JSONValue {
    static func score(_ value: Double) -> JSONValue { .number(JSONNumber(value)) }
}
