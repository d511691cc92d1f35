/// Writes a string as one YAML scalar that reads back as exactly that string (YAML 1.2 core schema,
/// as `YAMLLoader` types it). Values typed on the command line go into templates through here, so a
/// title with `: `, `#`, a newline or a leading `-` can neither break the record nor inject keys.
public enum YAMLScalarWriter {
    /// `value` as a plain scalar when that is unambiguous, otherwise double-quoted with escapes.
    public static func scalar(_ value: String) -> String {
        isSafePlain(value) ? value : doubleQuoted(value)
    }

    /// `value` double-quoted: `\` and `"` escaped, and every character that is not printable in a
    /// YAML double-quoted scalar (C0 and C1 controls, DEL, line and paragraph separators, the
    /// byte-order mark) written as an escape.
    public static func doubleQuoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\0": out += "\\0"
            case "\u{85}": out += "\\N"
            case "\u{2028}": out += "\\L"
            case "\u{2029}": out += "\\P"
            default:
                let code = scalar.value
                if code < 0x20 || code == 0x7F || (0x80...0x9F).contains(code) {
                    out += "\\x" + hex(code, width: 2)
                } else if code == 0xFEFF || (0xD800...0xDFFF).contains(code) || code == 0xFFFE || code == 0xFFFF {
                    out += "\\u" + hex(code, width: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Plain only for the plainest text: letters, digits and a few punctuation marks that cannot
    /// start or end a YAML construct, not starting with an indicator, and typed as a string by the
    /// core schema (so `true`, `1.10`, `null` and the empty string are quoted).
    static func isSafePlain(_ value: String) -> Bool {
        guard let first = value.unicodeScalars.first, let last = value.unicodeScalars.last else { return false }
        guard first != " ", last != " " else { return false }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", " ", ".", "_", "/", "@", "+", "(", ")", "-": continue
            default: return false
            }
        }
        // A plain scalar may not start with `-` followed by a space (a list item), and `- ` inside
        // is harmless only after the first character; be strict and quote any leading `-`.
        if first == "-" || first == "." || first == "+" || first == "@" { return false }
        guard case .string = YAMLScalar.CoreValue.resolve(value) else { return false }
        return true
    }
}
