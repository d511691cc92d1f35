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
        var out = ""
        out.reserveCapacity(2_048)
        for line in header {
            out += "# "
            out += line
            out += "\n"
        }
        write(pairs, indent: 0, into: &out)
        return out
    }

    /// The pairs of a mapping at `indent`, appended to `out` (the first key unpadded when it follows a `- `).
    static func write(_ pairs: [(String, Value)], indent: Int, into out: inout String, padFirst: Bool = true) {
        for (index, (key, value)) in pairs.enumerated() {
            if padFirst || index > 0 { pad(indent, into: &out) }
            out += scalar(key)
            switch value {
            case .string(let text):
                out += ": "
                out += scalar(text)
                out += "\n"
            case .number(let text):
                out += ": "
                out += text
                out += "\n"
            case .list(let items) where items.isEmpty:
                out += ": []\n"
            case .map(let inner) where inner.isEmpty:
                out += ": {}\n"
            case .list(let items):
                if items.allSatisfy(isScalar) {
                    let flow = items.map(inline).joined(separator: ", ")
                    if flow.count <= 80 {
                        out += ": ["
                        out += flow
                        out += "]\n"
                        continue
                    }
                }
                out += ":\n"
                for item in items { writeItem(item, indent: indent + 2, into: &out) }
            case .map(let inner):
                out += ":\n"
                write(inner, indent: indent + 2, into: &out)
            }
        }
    }

    static func writeItem(_ item: Value, indent: Int, into out: inout String) {
        pad(indent, into: &out)
        out += "- "
        switch item {
        case .map(let pairs) where !pairs.isEmpty:
            write(pairs, indent: indent + 2, into: &out, padFirst: false)
        case .list(let items) where !items.isEmpty:
            out += "["
            out += items.map(inline).joined(separator: ", ")
            out += "]\n"
        default:
            out += inline(item)
            out += "\n"
        }
    }

    static func pad(_ count: Int, into out: inout String) {
        for _ in 0..<count { out += " " }
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
        let utf8 = text.utf8
        guard let first = utf8.first, utf8.count <= 200, isAlphanumeric(first), utf8.last != UInt8(ascii: ":") else { return false }
        guard utf8.allSatisfy({ isAlphanumeric($0) || plainSymbols.contains($0) }) else { return false }
        if case .string = YAMLScalar.CoreValue.resolve(text) { return true }
        return false
    }

    /// The symbols a plain scalar may hold besides ASCII letters and digits.
    static let plainSymbols = Set("-._/@:+~%=".utf8)

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
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
