import Foundation
import JSONSchema

/// Turns the schema validator's errors for one record into findings a newcomer can act on: one per
/// mistake, in the schema's own vocabulary (an unknown field with "did you mean", a number YAML
/// read where text was meant, the date format expected, the allowed values), never a regular
/// expression or "the schema is false".
struct SchemaFindingText {
    let record: Record
    let kind: String
    let navigator = SchemaNavigator.shared

    /// One message per instance location, in the order the validator met them: (pointer, message).
    func messages(for errors: [ValidationError]) -> [(pointer: String, message: String)] {
        var order: [String] = []
        var byLocation: [String: [ValidationError]] = [:]
        for error in errors {
            let location = Self.location(of: error)
            if byLocation[location] == nil { order.append(location) }
            byLocation[location, default: []].append(error)
        }
        // A combinator's summary ("does not match any of the schemas in anyOf") adds nothing when a
        // precise error sits at the same place or below it.
        let precise = Set(order.filter { location in byLocation[location]?.contains { !Self.isSummary($0) } ?? false })
        // A misspelt required field is one mistake: "unknown field 'trust-boundries'; did you mean
        // 'trust-boundaries'?" says it all, so the missing 'trust-boundaries' is not reported again.
        var suggested = Set<String>()
        for location in order where byLocation[location]?.contains(where: Self.isUnknownField) ?? false {
            let tokens = Self.tokens(location)
            guard let name = tokens.last else { continue }
            let parent = Array(tokens.dropLast())
            if let best = Self.closest(name, in: navigator.properties(kind: kind, at: parent)) {
                suggested.insert(Self.pointer(parent) + "|" + best)
            }
        }
        var out: [(String, String)] = []
        for location in order {
            var group = byLocation[location] ?? []
            group.removeAll { error in
                guard error.keywordLocation.hasSuffix("/required"), let name = Self.quoted(in: error.message, after: "required property '") else { return false }
                return suggested.contains(location + "|" + name)
            }
            if group.isEmpty { continue }
            let specific = group.filter { !Self.isSummary($0) }
            if specific.isEmpty, precise.contains(where: { $0 == location || $0.hasPrefix(location + "/") }) { continue }
            out.append((location, message(at: location, errors: specific.isEmpty ? group : specific)))
        }
        return out
    }

    /// Where an error is about: an unknown field is about the key itself.
    static func location(of error: ValidationError) -> String {
        if let name = quoted(in: error.message, after: "additional property '") { return error.instanceLocation + "/" + JSONPointer.escape(name) }
        if error.keywordLocation.contains("/propertyNames"), let name = quoted(in: error.message, after: "property name '") {
            return error.instanceLocation + "/" + JSONPointer.escape(name)
        }
        return error.instanceLocation
    }

    static func isSummary(_ error: ValidationError) -> Bool {
        error.message.hasPrefix("value does not match any of the") || error.message.hasPrefix("value matches more than one schema")
            || error.message == "value does not match the schema" || error.message.hasPrefix("value must not match")
    }

    static func isUnknownField(_ error: ValidationError) -> Bool {
        (error.message.hasPrefix("no value is allowed here") && (error.keywordLocation.contains("unevaluatedProperties") || error.keywordLocation.contains("additionalProperties")))
            || error.message.hasPrefix("additional property '")
    }

    static func quoted(in text: String, after prefix: String) -> String? {
        guard let start = text.range(of: prefix), let end = text[start.upperBound...].firstIndex(of: "'") else { return nil }
        return String(text[start.upperBound..<end])
    }

    static func tokens(_ pointer: String) -> [String] {
        pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    static func pointer(_ tokens: [String]) -> String {
        tokens.map { "/" + JSONPointer.escape($0) }.joined()
    }

    /// The field as a reader names it: `owner`, `threats[2].title`.
    static func fieldName(_ tokens: [String]) -> String {
        var out = ""
        for token in tokens {
            if let index = Int(token) { out += "[\(index + 1)]" } else { out += (out.isEmpty ? "" : ".") + token }
        }
        return out.isEmpty ? "the record" : out
    }

    private func message(at location: String, errors: [ValidationError]) -> String {
        let tokens = Self.tokens(location)
        let field = Self.fieldName(tokens)
        if errors.contains(where: Self.isUnknownField), let name = tokens.last {
            let parent = Array(tokens.dropLast())
            let known = navigator.properties(kind: kind, at: parent).filter { !$0.hasPrefix("x-") }
            var text = "unknown field '\(name)'"
            if let best = Self.closest(name, in: known) {
                text += "; did you mean '\(best)'?"
            } else if !known.isEmpty {
                text += " (fields here: \(known.joined(separator: ", ")); keys starting with x- are free for your own use)"
            }
            return text
        }
        let node = record.node.node(atPointerTokens: tokens)
        let schemas = navigator.schemas(kind: kind, at: tokens)
        if let typeError = errors.first(where: { $0.message.hasPrefix("expected ") && $0.message.contains(", found ") }) {
            if case .scalar(let scalar)? = node, scalar.style == .plain {
                switch scalar.coreValue {
                case .int, .float:
                    let shown = RecordJSON.scalarValue(scalar).numberDescription ?? scalar.value
                    return "\(field): YAML read \(scalar.value) as the number \(shown); quote it (\"\(scalar.value)\") to keep it as text"
                case .bool:
                    return "\(field): YAML read \(scalar.value) as a boolean (true/false); quote it (\"\(scalar.value)\") to keep it as text"
                case .null:
                    return "\(field) is empty; \(Self.expected(from: typeError.message))"
                case .string:
                    break
                }
            }
            return "\(field): \(typeError.message)"
        }
        let value = node.flatMap(\.scalarString)
        let shown = value.map { "'\($0.count > 60 ? String($0.prefix(57)) + "..." : $0)'" } ?? "the value"
        if errors.contains(where: { $0.keywordLocation.hasSuffix("/enum") }) {
            let allowed = schemas.compactMap { $0.schema["enum"]?.arrayValue }.first?.compactMap(\.stringValue) ?? []
            guard !allowed.isEmpty else { return "\(field): \(shown) is not one of the allowed values" }
            var text = "\(field): \(shown) is not allowed; use one of \(allowed.joined(separator: ", "))"
            if let value, let best = Self.closest(value, in: allowed) { text += " (did you mean '\(best)'?)" }
            return text
        }
        if errors.contains(where: { $0.keywordLocation.hasSuffix("/pattern") || $0.keywordLocation.hasSuffix("/format") }) {
            let format = schemas.compactMap { $0.schema["format"]?.stringValue }.first
                ?? errors.compactMap { Self.quoted(in: $0.message + "'", after: "is not a valid ") }.first
            switch format {
            case "date": return "\(field): \(shown) is not a date; write it as YYYY-MM-DD (e.g. 2026-11-10)"
            case "email": return "\(field): \(shown) is not an email address; write it as name@example.com"
            case "uri": return "\(field): \(shown) is not an absolute URI (e.g. https://example.com/advisory)"
            case "date-time": return "\(field): \(shown) is not a date and time; write it as 2026-11-10T09:30:00Z"
            default: break
            }
            if let description = schemas.compactMap({ $0.schema["description"]?.stringValue }).first {
                return "\(field): \(shown) is not of the expected form: \(description)"
            }
            return "\(field): \(shown) is not of the expected form"
        }
        if let required = errors.first(where: { $0.keywordLocation.hasSuffix("/required") }),
           let name = Self.quoted(in: required.message, after: "required property '") {
            let names = errors.compactMap { Self.quoted(in: $0.message, after: "required property '") }
            let listed = names.count > 1 ? "fields \(names.map { "'\($0)'" }.joined(separator: ", ")) are" : "field '\(name)' is"
            return tokens.isEmpty ? "required \(listed) missing" : "\(field): required \(listed) missing"
        }
        return "\(field): " + errors.map(\.message).joined(separator: "; ")
    }

    /// "expected string" from "expected string, found null".
    static func expected(from message: String) -> String {
        message.components(separatedBy: ", found").first ?? message
    }

    /// The closest name within a small edit distance (a typo), or nil.
    static func closest(_ name: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, Catalog.distance(name.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }) else { return nil }
        return best.1 <= max(2, name.count / 3) && best.1 < name.count ? best.0 : nil
    }
}

extension YAMLNode {
    /// The node at JSON pointer tokens (mapping keys and 0-based list indexes), if present.
    func node(atPointerTokens tokens: [String]) -> YAMLNode? {
        var current: YAMLNode = self
        for token in tokens {
            switch current {
            case .mapping(let pairs, _):
                guard let pair = pairs.first(where: { $0.key.string == token }) else { return nil }
                current = pair.value
            case .sequence(let items, _):
                guard let index = Int(token), items.indices.contains(index) else { return nil }
                current = items[index]
            case .scalar:
                return nil
            }
        }
        return current
    }
}

extension JSONValue {
    /// A number as JSON writes it (1.10 → "1.1"), nil for other values.
    var numberDescription: String? {
        if case .number(let number) = self { return number.description }
        return nil
    }
}
