import JSONSchema

/// Writes YAML that evident generates (imported records): every string either a plain scalar that
/// reads back as the same string under YAML 1.2 core typing, or double-quoted with escapes, so
/// any value (`no`, `1.10`, `: `, `#`, newlines, control characters) survives a round trip.
public enum YAMLWriter {
    /// A value of a generated document.
    public indirect enum Value: Sendable, Equatable {
        case string(String)
        case number(String)
        case list([Value])
        case map([(String, Value)])

        public static func == (lhs: Value, rhs: Value) -> Bool {
            switch (lhs, rhs) {
            case (.string(let a), .string(let b)), (.number(let a), .number(let b)): return a == b
            case (.list(let a), .list(let b)): return a == b
            case (.map(let a), .map(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
            default: return false
            }
        }
    }

    /// The document text of a top-level mapping, keys in the given order.
    public static func document(_ pairs: [(String, Value)], header: [String] = []) -> String {
        var out = header.map { "# " + $0 + "\n" }.joined()
        write(pairs, indent: 0, into: &out)
        return out
    }

    static func write(_ pairs: [(String, Value)], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for (key, value) in pairs {
            switch value {
            case .string, .number:
                out += "\(pad)\(scalar(key)): \(inline(value))\n"
            case .list(let items) where items.isEmpty:
                out += "\(pad)\(scalar(key)): []\n"
            case .map(let inner) where inner.isEmpty:
                out += "\(pad)\(scalar(key)): {}\n"
            case .list(let items) where items.allSatisfy(isScalar) && items.map(inline).joined(separator: ", ").count <= 80:
                out += "\(pad)\(scalar(key)): [\(items.map(inline).joined(separator: ", "))]\n"
            case .list(let items):
                out += "\(pad)\(scalar(key)):\n"
                for item in items { writeItem(item, indent: indent + 2, into: &out) }
            case .map(let inner):
                out += "\(pad)\(scalar(key)):\n"
                write(inner, indent: indent + 2, into: &out)
            }
        }
    }

    static func writeItem(_ item: Value, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        switch item {
        case .map(let pairs) where !pairs.isEmpty:
            var nested = ""
            write(pairs, indent: indent + 2, into: &nested)
            out += pad + "- " + nested.dropFirst(indent + 2)
        case .list(let items) where !items.isEmpty:
            out += "\(pad)- [\(items.map(inline).joined(separator: ", "))]\n"
        default:
            out += "\(pad)- \(inline(item))\n"
        }
    }

    static func isScalar(_ value: Value) -> Bool {
        if case .string = value { return true }
        if case .number = value { return true }
        return false
    }

    static func inline(_ value: Value) -> String {
        switch value {
        case .string(let text): return scalar(text)
        case .number(let text): return text
        case .list(let items): return "[" + items.map(inline).joined(separator: ", ") + "]"
        case .map(let pairs): return "{" + pairs.map { "\(scalar($0.0)): \(inline($0.1))" }.joined(separator: ", ") + "}"
        }
    }

    /// A string as a YAML scalar: plain when that is unambiguous, double-quoted otherwise.
    public static func scalar(_ text: String) -> String {
        isSafePlain(text) ? text : quoted(text)
    }

    /// Plain only for a conservative set: letters, digits and `-._/@:+~%=` (no `: ` or ` #`, no
    /// leading indicator), and only when YAML 1.2 core typing reads it as a string.
    static func isSafePlain(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.utf8.count <= 200 else { return false }
        let isWordStart = ("A"..."Z").contains(first) || ("a"..."z").contains(first) || ("0"..."9").contains(first)
        guard isWordStart, !text.hasSuffix(":") else { return false }
        for scalar in text.unicodeScalars {
            let ok = ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || "-._/@:+~%=".unicodeScalars.contains(scalar)
            if !ok { return false }
        }
        if case .string = YAMLScalar.CoreValue.resolve(text) { return true }
        return false
    }

    /// Double-quoted: JSON's escapes (a JSON string literal is a YAML double-quoted scalar), plus
    /// the characters YAML reads as line breaks or drops (NEL, the C1 controls, U+2028/9, a BOM).
    public static func quoted(_ text: String) -> String {
        let json = JSONText.quote(text)
        guard json.unicodeScalars.contains(where: needsYAMLEscape) else { return json }
        var out = ""
        for scalar in json.unicodeScalars {
            if needsYAMLEscape(scalar) {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func needsYAMLEscape(_ scalar: Unicode.Scalar) -> Bool {
        (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF
    }
}
