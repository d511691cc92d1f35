import Foundation

/// An allowed-signers file in git's and ssh-keygen's format (ssh-keygen(1) "ALLOWED SIGNERS"):
/// `PRINCIPALS [OPTIONS] KEYTYPE BASE64 [COMMENT]`, options `namespaces=`, `valid-after=`, `valid-before=`.
/// `cert-authority` lines are refused (SSH certificates are not supported), reported with their line.
public struct AllowedSigners: Sendable {
    /// One usable line.
    public struct Entry: Sendable, Equatable {
        public var line: Int
        /// The principals field as written (comma-separated patterns with `*`, `?` and `!`).
        public var principals: String
        public var namespaces: String?
        public var validAfter: Date?
        public var validBefore: Date?
        public var key: SSHPublicKey

        /// Whether `identity` matches the principal patterns (OpenSSH's match_pattern_list, `!` negates).
        public func allows(principal identity: String, caseInsensitive: Bool = false) -> Bool {
            AllowedSigners.matches(principal: identity, patterns: principals, caseInsensitive: caseInsensitive)
        }

        public func allows(namespace: String) -> Bool {
            namespaces.map { Pattern.matchList(namespace, $0) } ?? true
        }

        /// Whether the line is valid at `time`: nil when it is, else why not.
        public func validity(at time: Date) -> String? {
            if let validAfter, time < validAfter { return "the allowed-signers entry (line \(line)) is valid only after \(Self.format(validAfter))" }
            if let validBefore, time > validBefore { return "the allowed-signers entry (line \(line)) expired on \(Self.format(validBefore))" }
            return nil
        }

        static func format(_ date: Date) -> String {
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(identifier: "UTC")
            return formatter.string(from: date)
        }
    }

    /// A line that could not be used.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    public var entries: [Entry] = []
    public var problems: [Problem] = []

    public init(entries: [Entry] = [], problems: [Problem] = []) {
        self.entries = entries
        self.problems = problems
    }

    /// Parses the file's text; every bad line becomes a problem and is skipped, the rest are kept.
    /// `timeZone` reads timestamps without `Z` (ssh-keygen uses the machine's local time).
    public init(text: String, timeZone: TimeZone = .current) {
        var number = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            do {
                entries.append(try Self.parse(line: line, number: number, timeZone: timeZone))
            } catch let problem as Problem {
                problems.append(problem)
            } catch {
                problems.append(Problem(line: number, message: "\(error)"))
            }
        }
    }

    /// Whether `identity` matches a principals pattern list (OpenSSH's match_pattern_list: `*`, `?`, `!` excludes).
    public static func matches(principal identity: String, patterns: String, caseInsensitive: Bool = false) -> Bool {
        Pattern.matchList(caseInsensitive ? identity.lowercased() : identity, caseInsensitive ? patterns.lowercased() : patterns)
    }

    /// The entries whose key is `key` and that allow `namespace`.
    public func entries(for key: SSHPublicKey, namespace: String) -> [Entry] {
        entries.filter { $0.key == key && $0.allows(namespace: namespace) }
    }

    static func parse(line: String, number: Int, timeZone: TimeZone) throws -> Entry {
        var rest = Substring(line)
        func problem(_ message: String) -> Problem { Problem(line: number, message: message) }
        guard let principals = token(&rest), !principals.isEmpty else { throw problem("no principals") }
        var fields = rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard !fields.isEmpty else { throw problem("no key after the principals") }
        var options: String?
        if SSHPublicKey.KeyType(rawValue: fields[0]) == nil, !looksLikeKeyType(fields[0]) {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            options = token(&rest, stopAtWhitespaceOnly: true)
            fields = rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        }
        guard fields.count >= 2 else { throw problem("expected 'KEYTYPE BASE64' after the principals\(options == nil ? "" : " and options")") }
        var entry = Entry(line: number, principals: unquote(principals), namespaces: nil, validAfter: nil, validBefore: nil,
                          key: try key(type: fields[0], base64: fields[1], line: number))
        for option in splitOptions(options ?? "") {
            let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts[0].lowercased()
            let value = parts.count == 2 ? unquote(parts[1]) : nil
            switch (name, value) {
            case ("cert-authority", nil):
                throw problem("cert-authority (SSH certificates) is not supported: list each signer's own public key instead")
            case ("namespaces", let value?):
                entry.namespaces = value
            case ("valid-after", let value?):
                guard let date = timestamp(value, timeZone: timeZone) else { throw problem("valid-after '\(value)' is not YYYYMMDD[HHMM[SS]][Z]") }
                entry.validAfter = date
            case ("valid-before", let value?):
                guard let date = timestamp(value, timeZone: timeZone) else { throw problem("valid-before '\(value)' is not YYYYMMDD[HHMM[SS]][Z]") }
                entry.validBefore = date
            default:
                throw problem("unknown option '\(option)' (namespaces=, valid-after=, valid-before=)")
            }
        }
        return entry
    }

    static func looksLikeKeyType(_ field: String) -> Bool {
        field.hasPrefix("ssh-") || field.hasPrefix("ecdsa-") || field.hasPrefix("sk-") || field.hasSuffix("@openssh.com")
    }

    static func key(type: String, base64: String, line: Int) throws -> SSHPublicKey {
        guard let data = Data(base64Encoded: base64) else { throw Problem(line: line, message: "the \(type) key is not base64") }
        let key: SSHPublicKey
        do {
            key = try SSHPublicKey(blob: data)
        } catch {
            throw Problem(line: line, message: "\(error)")
        }
        guard key.type.rawValue == type else { throw Problem(line: line, message: "the line says '\(type)' but the key is \(key.type.rawValue)") }
        return key
    }

    /// Reads one field: a double-quoted string, or text up to whitespace (quotes inside kept).
    static func token(_ text: inout Substring, stopAtWhitespaceOnly: Bool = false) -> String? {
        text = text.drop { $0 == " " || $0 == "\t" }
        guard !text.isEmpty else { return nil }
        var out = ""
        var quoted = false
        while let character = text.first {
            if character == "\"" { quoted.toggle() }
            if !quoted, character == " " || character == "\t" { break }
            out.append(character)
            text = text.dropFirst()
        }
        return out
    }

    static func unquote(_ text: String) -> String {
        text.count >= 2 && text.hasPrefix("\"") && text.hasSuffix("\"") ? String(text.dropFirst().dropLast()) : text
    }

    /// Splits `a,b="x,y",c` at commas outside quotes.
    static func splitOptions(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if character == ",", !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { parts.append(current) }
        return parts.filter { !$0.isEmpty }
    }

    /// `YYYYMMDD`, `YYYYMMDDHHMM` or `YYYYMMDDHHMMSS`, `Z` for UTC, else `timeZone`.
    static func timestamp(_ text: String, timeZone: TimeZone) -> Date? {
        var digits = text
        var zone = timeZone
        if digits.hasSuffix("Z") || digits.hasSuffix("z") {
            digits.removeLast()
            zone = TimeZone(identifier: "UTC") ?? timeZone
        }
        guard [8, 12, 14].contains(digits.count), digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        let numbers = Array(digits)
        func number(_ from: Int, _ count: Int) -> Int { Int(String(numbers[from..<from + count])) ?? -1 }
        var components = DateComponents()
        components.year = number(0, 4)
        components.month = number(4, 2)
        components.day = number(6, 2)
        components.hour = digits.count >= 12 ? number(8, 2) : 0
        components.minute = digits.count >= 12 ? number(10, 2) : 0
        components.second = digits.count == 14 ? number(12, 2) : 0
        guard (1...12).contains(components.month ?? 0), (1...31).contains(components.day ?? 0), (0...23).contains(components.hour ?? 0),
              (0...59).contains(components.minute ?? 0), (0...60).contains(components.second ?? 0) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == components.day else { return nil }
        return date
    }
}

/// OpenSSH's wildcard patterns (match.c): `*` any run, `?` one character; lists are comma-separated and a
/// `!pattern` that matches excludes.
enum Pattern {
    static func matchList(_ text: String, _ list: String) -> Bool {
        var matched = false
        for raw in list.split(separator: ",") {
            let pattern = raw.trimmingCharacters(in: .whitespaces)
            if pattern.hasPrefix("!") {
                if match(Array(text), Array(pattern.dropFirst())) { return false }
            } else if match(Array(text), Array(pattern)) {
                matched = true
            }
        }
        return matched
    }

    static func match(_ text: [Character], _ pattern: [Character]) -> Bool {
        // Iterative glob with backtracking to the last '*': linear in practice, never exponential.
        var t = 0, p = 0, star = -1, mark = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                t += 1; p += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p; mark = t; p += 1
            } else if star >= 0 {
                p = star + 1; mark += 1; t = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}

extension AllowedSigners.Problem: Error {}
