import Foundation

/// Checks of the `format` keyword, used when format assertion is switched on.
public enum FormatChecker {
    /// The formats that are checked; any other format is accepted.
    public static let knownFormats: Set<String> = [
        "date", "date-time", "time", "duration", "email", "idn-email", "hostname", "idn-hostname",
        "uri", "uri-reference", "iri", "iri-reference", "uuid", "ipv4", "ipv6", "regex",
        "json-pointer", "relative-json-pointer",
    ]

    /// True when `value` conforms to `format`, or when the format is unknown.
    public static func check(_ format: String, _ value: String) -> Bool {
        switch format {
        case "date": return isDate(value)
        case "time": return isTime(value)
        case "date-time": return isDateTime(value)
        case "duration": return isDuration(value)
        case "email", "idn-email": return isEmail(value)
        case "hostname": return isHostname(value)
        case "idn-hostname": return !value.isEmpty && value.count <= 253
        case "uri", "iri": return isURI(value, requireScheme: true, allowNonASCII: format == "iri")
        case "uri-reference", "iri-reference": return isURI(value, requireScheme: false, allowNonASCII: format == "iri-reference")
        case "uuid": return isUUID(value)
        case "ipv4": return isIPv4(value)
        case "ipv6": return isIPv6(value)
        case "regex": return (try? ECMARegex(value)) != nil
        case "json-pointer": return isJSONPointer(value)
        case "relative-json-pointer": return isRelativeJSONPointer(value)
        default: return true
        }
    }

    static func digits(_ s: Substring, _ count: Int) -> Int? {
        guard s.count == count, s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(s)
    }

    static func isDate(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let y = digits(parts[0], 4), let m = digits(parts[1], 2), let d = digits(parts[2], 2) else { return false }
        guard (1...12).contains(m), d >= 1 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return d <= days[m - 1]
    }

    static func isTime(_ value: String) -> Bool {
        let chars = Array(value)
        guard chars.count >= 9, chars[2] == ":", chars[5] == ":" else { return false }
        guard let h = digits(Substring(String(chars[0..<2])), 2), let mi = digits(Substring(String(chars[3..<5])), 2),
              let s = digits(Substring(String(chars[6..<8])), 2) else { return false }
        var i = 8
        if i < chars.count, chars[i] == "." {
            i += 1
            let start = i
            while i < chars.count, chars[i].isASCII, chars[i].isNumber { i += 1 }
            if i == start { return false }
        }
        guard i < chars.count else { return false }
        var offsetMinutes = 0
        if chars[i] == "Z" || chars[i] == "z" {
            guard i + 1 == chars.count else { return false }
        } else if chars[i] == "+" || chars[i] == "-" {
            let rest = String(chars[(i + 1)...])
            guard rest.count == 5, Array(rest)[2] == ":",
                  let oh = digits(Substring(rest.prefix(2)), 2), let om = digits(Substring(rest.suffix(2)), 2),
                  oh <= 23, om <= 59 else { return false }
            offsetMinutes = (oh * 60 + om) * (chars[i] == "+" ? 1 : -1)
        } else {
            return false
        }
        guard h <= 23, mi <= 59, s <= 60 else { return false }
        if s == 60 {
            // A leap second is only valid at 23:59:60 UTC.
            let utc = ((h * 60 + mi - offsetMinutes) % 1440 + 1440) % 1440
            return utc == 23 * 60 + 59
        }
        return true
    }

    static func isDateTime(_ value: String) -> Bool {
        guard let t = value.firstIndex(where: { $0 == "T" || $0 == "t" }) else { return false }
        return isDate(String(value[..<t])) && isTime(String(value[value.index(after: t)...]))
    }

    static func isDuration(_ value: String) -> Bool {
        let pattern = #"^P(?!$)((\d+W)|(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?)$"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
        guard value.allSatisfy({ $0.isASCII }) else { return false }
        return regex.firstMatch(in: value, range: NSRange(location: 0, length: (value as NSString).length)) != nil
    }

    static func isEmail(_ value: String) -> Bool {
        // ASCII with a host name domain (nearly every address) byte by byte, the same tests as below.
        if value.utf8.allSatisfy({ $0 < 0x80 }), let at = value.utf8.lastIndex(of: UInt8(ascii: "@")), value.utf8.last != UInt8(ascii: "]") {
            let local = value.utf8[..<at]
            let domain = value.utf8[value.utf8.index(after: at)...]
            guard !local.isEmpty, !domain.isEmpty else { return false }
            if !(local.count >= 2 && local.first == UInt8(ascii: "\"") && local.last == UInt8(ascii: "\"")) {
                guard local.first != UInt8(ascii: "."), local.last != UInt8(ascii: "."), local.allSatisfy(isLocalPartByte) else { return false }
                guard !zip(local, local.dropFirst()).contains(where: { $0 == UInt8(ascii: ".") && $1 == UInt8(ascii: ".") }) else { return false }
            }
            return isASCIIHostname(domain)
        }
        return isEmailByCharacters(value)
    }

    /// `isEmail` for any text, Character by Character.
    static func isEmailByCharacters(_ value: String) -> Bool {
        guard let at = value.lastIndex(of: "@") else { return false }
        let local = value[..<at]
        let domain = value[value.index(after: at)...]
        guard !local.isEmpty, !domain.isEmpty else { return false }
        if local.hasPrefix("\""), local.hasSuffix("\""), local.count >= 2 {
            // quoted local part
        } else {
            if local.hasPrefix(".") || local.hasSuffix(".") || local.contains("..") { return false }
            guard local.utf8.allSatisfy({ $0 < 0x80 }) ? local.utf8.allSatisfy(isLocalPartByte)
                    : local.allSatisfy({ $0.isLetter || $0.isNumber || localPartSymbols.contains($0) }) else { return false }
        }
        if domain.hasPrefix("["), domain.hasSuffix("]") {
            let inner = domain.dropFirst().dropLast()
            if inner.lowercased().hasPrefix("ipv6:") { return isIPv6(String(inner.dropFirst(5))) }
            return isIPv4(String(inner))
        }
        return isHostnameByCharacters(String(domain)) || domain.contains(where: { !$0.isASCII })
    }

    /// The symbols an unquoted local part may hold besides letters and digits (RFC 5322 atext, and dots).
    static let localPartSymbols = Set("!#$%&'*+-/=?^_`{|}~.")
    static let localPartSymbolBytes = Set("!#$%&'*+-/=?^_`{|}~.".utf8)

    /// An ASCII byte of an unquoted local part (the ASCII case of the Character test above).
    static func isLocalPartByte(_ byte: UInt8) -> Bool {
        isASCIIAlphanumeric(byte) || localPartSymbolBytes.contains(byte)
    }

    /// An ASCII digit or letter (`| 0x20` folds an upper-case letter to lower case).
    static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }

    static func isHostname(_ value: String) -> Bool {
        value.utf8.allSatisfy({ $0 < 0x80 }) ? isASCIIHostname(value.utf8[...]) : isHostnameByCharacters(value)
    }

    /// `isHostname` for any text, Character by Character.
    static func isHostnameByCharacters(_ value: String) -> Bool {
        let host = value.hasSuffix(".") ? String(value.dropLast()) : value
        guard !host.isEmpty, host.utf8.count <= 253 else { return false }
        for label in host.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.utf8.count <= 63, !label.hasPrefix("-"), !label.hasSuffix("-") else { return false }
            guard label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return false }
            if label.count >= 4, Array(label)[2] == "-", Array(label)[3] == "-", !label.lowercased().hasPrefix("xn--") { return false }
        }
        return true
    }

    /// `isHostname` of ASCII text, byte by byte.
    static func isASCIIHostname(_ value: Substring.UTF8View) -> Bool {
        let host = value.last == UInt8(ascii: ".") ? value.dropLast() : value
        guard !host.isEmpty, host.count <= 253 else { return false }
        for label in host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.count <= 63, label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else { return false }
            guard label.allSatisfy({ isASCIIAlphanumeric($0) || $0 == UInt8(ascii: "-") }) else { return false }
            let bytes = Array(label)
            if bytes.count >= 4, bytes[2] == UInt8(ascii: "-"), bytes[3] == UInt8(ascii: "-"),
               !(bytes[0] | 0x20 == UInt8(ascii: "x") && bytes[1] | 0x20 == UInt8(ascii: "n")) { return false }
        }
        return true
    }

    static func isUUID(_ value: String) -> Bool {
        let groups = value.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy { $0.isHexDigit && $0.isASCII } }
    }

    static func isIPv4(_ value: String) -> Bool {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            if part.count > 1, part.hasPrefix("0") { return false }
            guard let n = Int(part), n <= 255 else { return false }
        }
        return true
    }

    static func isIPv6(_ value: String) -> Bool {
        guard value.allSatisfy({ $0.isASCII }), !value.isEmpty else { return false }
        var text = value
        var groupsNeeded = 8
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard isIPv4(String(text[text.index(after: lastColon)...])) else { return false }
            text = String(text[...lastColon]) + "0:0"
            groupsNeeded = 8
        }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ s: String) -> [Substring]? {
            if s.isEmpty { return [] }
            let g = s.split(separator: ":", omittingEmptySubsequences: false)
            for part in g {
                guard (1...4).contains(part.count), part.allSatisfy({ $0.isHexDigit }) else { return nil }
            }
            return g
        }
        guard let first = groups(halves[0]) else { return false }
        if halves.count == 2 {
            guard let second = groups(halves[1]) else { return false }
            return first.count + second.count < groupsNeeded
        }
        return first.count == groupsNeeded
    }

    static func isURI(_ value: String, requireScheme: Bool, allowNonASCII: Bool) -> Bool {
        let forbidden = Set(" <>\"{}|\\^`")
        let chars = Array(value)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if forbidden.contains(c) || c.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return false }
            if !c.isASCII, !allowNonASCII { return false }
            if c == "%" {
                guard i + 2 < chars.count, chars[i + 1].isHexDigit, chars[i + 2].isHexDigit else { return false }
            }
            i += 1
        }
        let parts = URIReference.Parts(value)
        if requireScheme, parts.scheme == nil { return false }
        if parts.scheme == nil, let colon = parts.path.firstIndex(of: ":"),
           !parts.path[..<colon].contains("/") { return false }
        if let authority = parts.authority {
            let hostPort = authority.split(separator: "@").last.map(String.init) ?? ""
            if hostPort.hasPrefix("[") { return hostPort.contains("]") }
            if let colon = hostPort.lastIndex(of: ":") {
                let port = hostPort[hostPort.index(after: colon)...]
                guard port.allSatisfy({ $0.isNumber }) else { return false }
            }
        }
        if let fragment = parts.fragment, fragment.contains("#") { return false }
        return true
    }

    static func isJSONPointer(_ value: String) -> Bool {
        if value.isEmpty { return true }
        guard value.hasPrefix("/") else { return false }
        let chars = Array(value)
        for (i, c) in chars.enumerated() where c == "~" {
            guard i + 1 < chars.count, chars[i + 1] == "0" || chars[i + 1] == "1" else { return false }
        }
        return true
    }

    static func isRelativeJSONPointer(_ value: String) -> Bool {
        let digitsPrefix = value.prefix { $0.isASCII && $0.isNumber }
        guard !digitsPrefix.isEmpty else { return false }
        if digitsPrefix.count > 1, digitsPrefix.hasPrefix("0") { return false }
        let rest = String(value.dropFirst(digitsPrefix.count))
        return rest == "#" || isJSONPointer(rest)
    }
}
