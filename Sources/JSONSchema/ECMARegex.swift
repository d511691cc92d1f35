import Foundation

/// An ECMA-262 regular expression (as JSON Schema's `pattern` requires), run by ICU.
final class ECMARegex: @unchecked Sendable {
    let source: String
    /// The fast matcher, when the pattern is within its subset; ICU otherwise.
    private let simple: SimpleRegex?
    private let regex: NSRegularExpression?

    /// Compiles `pattern`; throws a message when it is not a valid regular expression.
    init(_ pattern: String) throws {
        source = pattern
        if let simple = SimpleRegex(pattern) {
            self.simple = simple
            regex = nil
            return
        }
        simple = nil
        do {
            regex = try NSRegularExpression(pattern: ECMARegex.translate(pattern), options: [])
        } catch {
            throw RegexError(pattern: pattern)
        }
    }

    struct RegexError: Error {
        let pattern: String
    }

    func matches(_ string: String) -> Bool {
        if let simple { return simple.matches(string) }
        guard let regex else { return false }
        let ns = string as NSString
        return regex.firstMatch(in: string, options: [], range: NSRange(location: 0, length: ns.length)) != nil
    }

    static let asciiDigit = "0-9"
    static let asciiWord = "a-zA-Z0-9_"
    static let ecmaSpace = "\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}"

    /// Rewrites the ECMA-262 constructs whose meaning differs in ICU: \d \w \s are ASCII/ECMA sets,
    /// `$` is the end of input, `\u{...}` is a code point, and `[` or `&` inside a class are literal.
    static func translate(_ pattern: String) -> String {
        var out = ""
        var chars = Array(pattern)[...]
        var inClass = false
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "\\" {
                guard let e = chars.first else { out.append("\\\\"); break }
                chars = chars.dropFirst()
                switch e {
                case "d": out += inClass ? asciiDigit : "[\(asciiDigit)]"
                case "D": out += "[^\(asciiDigit)]"
                case "w": out += inClass ? asciiWord : "[\(asciiWord)]"
                case "W": out += "[^\(asciiWord)]"
                case "s": out += inClass ? ecmaSpace : "[\(ecmaSpace)]"
                case "S": out += "[^\(ecmaSpace)]"
                case "u" where chars.first == "{":
                    let hex = chars.dropFirst().prefix { $0 != "}" }
                    out += "\\x{\(String(hex))}"
                    chars = chars.dropFirst(hex.count + 2)
                default:
                    out.append("\\")
                    out.append(e)
                }
                continue
            }
            if inClass {
                switch c {
                case "]": inClass = false; out.append(c)
                case "[", "&": out += "\\\(c)"
                default: out.append(c)
                }
                continue
            }
            switch c {
            case "[":
                inClass = true
                out.append(c)
                if chars.first == "^" { out.append("^"); chars = chars.dropFirst() }
                if chars.first == "]" {
                    // "[]" matches nothing and "[^]" anything in ECMA-262.
                    chars = chars.dropFirst()
                    inClass = false
                    if out.hasSuffix("[^") {
                        out.removeLast(2)
                        out += "[\\s\\S]"
                    } else {
                        out.removeLast()
                        out += "(?!)"
                    }
                }
            case "$": out += "(?!(?s:.))"
            default: out.append(c)
            }
        }
        return out
    }
}
