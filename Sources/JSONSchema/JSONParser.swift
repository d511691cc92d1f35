import Foundation

/// A JSON syntax error with the 1-based line and column where it was noticed.
public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    public let message: String
    public let line: Int
    public let column: Int

    public var description: String { "line \(line), column \(column): \(message)" }
    public var errorDescription: String? { description }
}

/// A 1-based line and column in a source document.
public struct SourcePosition: Hashable, Sendable {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

extension JSONValue {
    /// Parses JSON text (RFC 8259). Nesting deeper than `maxDepth` is an error, never a stack overflow.
    public static func parse(_ data: Data, maxDepth: Int = 512) throws -> JSONValue {
        let bytes = [UInt8](data)
        return try bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer: buffer, maxDepth: maxDepth, recordPositions: false)
            return try parser.parseDocument()
        }
    }

    /// Parses JSON text from a string.
    public static func parse(_ text: String, maxDepth: Int = 512) throws -> JSONValue {
        try parse(Data(text.utf8), maxDepth: maxDepth)
    }

    /// Parses JSON and also returns where each value starts, keyed by JSON pointer.
    public static func parseWithPositions(_ data: Data, maxDepth: Int = 512) throws -> (JSONValue, [String: SourcePosition]) {
        let bytes = [UInt8](data)
        return try bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer: buffer, maxDepth: maxDepth, recordPositions: true)
            let value = try parser.parseDocument()
            return (value, parser.positions)
        }
    }
}

struct JSONParser {
    let buffer: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    let recordPositions: Bool
    var offset = 0
    var line = 1
    var lineStart = 0
    var depth = 0
    var pointer: [String] = []
    var positions: [String: SourcePosition] = [:]
    /// Members and items of the containers being parsed, shared by all levels: each container
    /// takes its slice as an exactly sized array when it closes, instead of growing its own.
    var scratchKeys: [String] = []
    var scratchValues: [JSONValue] = []

    init(buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int, recordPositions: Bool) {
        self.buffer = buffer
        self.maxDepth = maxDepth
        self.recordPositions = recordPositions
        // Skip a UTF-8 byte order mark.
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { offset = 3; lineStart = 3 }
    }

    mutating func parseDocument() throws -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if offset < buffer.count { throw error("unexpected content after the JSON value") }
        return value
    }

    func position(at location: Int) -> SourcePosition {
        // Column counts characters, not bytes: skip UTF-8 continuation bytes.
        var column = 1
        var i = lineStart
        while i < location, i < buffer.count {
            if buffer[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return SourcePosition(line: line, column: column)
    }

    func error(_ message: String) -> JSONParseError {
        let p = position(at: offset)
        return JSONParseError(message: message, line: p.line, column: p.column)
    }

    mutating func skipWhitespace() {
        while offset < buffer.count {
            switch buffer[offset] {
            case 0x20, 0x09, 0x0D:
                offset += 1
            case 0x0A:
                offset += 1
                line += 1
                lineStart = offset
            default:
                return
            }
        }
    }

    mutating func parseValue() throws -> JSONValue {
        guard offset < buffer.count else { throw error("unexpected end of input, expected a value") }
        if recordPositions {
            positions[pointerString()] = position(at: offset)
        }
        switch buffer[offset] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default:
            throw error("unexpected character '\(printable(buffer[offset]))', expected a value")
        }
    }

    func printable(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : String(format: "\\x%02X", byte)
    }

    func pointerString() -> String {
        pointer.isEmpty ? "" : "/" + pointer.map(JSONPointer.escape).joined(separator: "/")
    }

    mutating func expectLiteral(_ literal: StaticString) throws {
        let count = literal.utf8CodeUnitCount
        let start = literal.utf8Start
        guard offset + count <= buffer.count else { throw error("invalid literal") }
        for i in 0..<count where buffer[offset + i] != start[i] {
            throw error("invalid literal")
        }
        offset += count
    }

    mutating func enter() throws {
        depth += 1
        if depth > maxDepth { throw error("nesting deeper than \(maxDepth) levels") }
    }

    mutating func parseObject() throws -> JSONValue {
        try enter()
        offset += 1
        skipWhitespace()
        if offset < buffer.count, buffer[offset] == UInt8(ascii: "}") {
            offset += 1
            depth -= 1
            return .object(JSONObject(keys: [], values: []))
        }
        let keyBase = scratchKeys.count
        let valueBase = scratchValues.count
        while true {
            skipWhitespace()
            guard offset < buffer.count, buffer[offset] == UInt8(ascii: "\"") else {
                throw error("expected a string key in object")
            }
            let key = try parseString()
            skipWhitespace()
            guard offset < buffer.count, buffer[offset] == UInt8(ascii: ":") else {
                throw error("expected ':' after object key")
            }
            offset += 1
            skipWhitespace()
            if recordPositions { pointer.append(key) }
            let value = try parseValue()
            if recordPositions { pointer.removeLast() }
            scratchKeys.append(key)
            scratchValues.append(value)
            skipWhitespace()
            guard offset < buffer.count else { throw error("unexpected end of input in object") }
            if buffer[offset] == UInt8(ascii: ",") {
                offset += 1
                continue
            }
            if buffer[offset] == UInt8(ascii: "}") {
                offset += 1
                break
            }
            throw error("expected ',' or '}' in object")
        }
        depth -= 1
        let keys = Array(scratchKeys[keyBase...])
        let values = Array(scratchValues[valueBase...])
        scratchKeys.removeSubrange(keyBase...)
        scratchValues.removeSubrange(valueBase...)
        return .object(JSONObject(keys: keys, values: values))
    }

    mutating func parseArray() throws -> JSONValue {
        try enter()
        offset += 1
        skipWhitespace()
        if offset < buffer.count, buffer[offset] == UInt8(ascii: "]") {
            offset += 1
            depth -= 1
            return .array([])
        }
        let base = scratchValues.count
        while true {
            skipWhitespace()
            if recordPositions { pointer.append(String(scratchValues.count - base)) }
            let item = try parseValue()
            scratchValues.append(item)
            if recordPositions { pointer.removeLast() }
            skipWhitespace()
            guard offset < buffer.count else { throw error("unexpected end of input in array") }
            if buffer[offset] == UInt8(ascii: ",") {
                offset += 1
                continue
            }
            if buffer[offset] == UInt8(ascii: "]") {
                offset += 1
                break
            }
            throw error("expected ',' or ']' in array")
        }
        depth -= 1
        let items = Array(scratchValues[base...])
        scratchValues.removeSubrange(base...)
        return .array(items)
    }

    mutating func parseNumber() throws -> JSONNumber {
        let start = offset
        var simple = true
        if buffer[offset] == UInt8(ascii: "-") { offset += 1 }
        let digitsStart = offset
        while offset < buffer.count, buffer[offset] >= 48, buffer[offset] <= 57 { offset += 1 }
        let intDigits = offset - digitsStart
        if intDigits == 0 { throw error("invalid number") }
        if intDigits > 1, buffer[digitsStart] == 48 { throw error("invalid number: leading zero") }
        if offset < buffer.count, buffer[offset] == UInt8(ascii: ".") {
            simple = false
            offset += 1
            let fractionStart = offset
            while offset < buffer.count, buffer[offset] >= 48, buffer[offset] <= 57 { offset += 1 }
            if offset == fractionStart { throw error("invalid number: expected digits after '.'") }
        }
        if offset < buffer.count, buffer[offset] == UInt8(ascii: "e") || buffer[offset] == UInt8(ascii: "E") {
            simple = false
            offset += 1
            if offset < buffer.count, buffer[offset] == UInt8(ascii: "+") || buffer[offset] == UInt8(ascii: "-") { offset += 1 }
            let expStart = offset
            while offset < buffer.count, buffer[offset] >= 48, buffer[offset] <= 57 { offset += 1 }
            if offset == expStart { throw error("invalid number: expected exponent digits") }
        }
        if simple, intDigits <= 18 {
            var value: Int64 = 0
            for i in digitsStart..<offset { value = value * 10 + Int64(buffer[i] - 48) }
            return JSONNumber(int: buffer[start] == UInt8(ascii: "-") ? -value : value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<offset]), as: UTF8.self)
        guard let number = JSONNumber(text: text) else { throw error("invalid number") }
        return number
    }

    mutating func parseString() throws -> String {
        offset += 1
        let start = offset
        // Fast path: no escapes. Skip eight bytes at a time while none is '"', '\\' or a control.
        if let base = buffer.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while offset + 8 <= buffer.count {
                let v = UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
                let quote = v ^ (ones &* 0x22)
                let backslash = v ^ (ones &* 0x5C)
                let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((v &- ones &* 0x20) & ~v)
                if special & highs != 0 { break }
                offset += 8
            }
        }
        while offset < buffer.count {
            let b = buffer[offset]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<offset]), as: UTF8.self)
                offset += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("control character in string") }
            offset += 1
        }
        var bytes = [UInt8](UnsafeBufferPointer(rebasing: buffer[start..<offset]))
        while offset < buffer.count {
            let b = buffer[offset]
            if b == UInt8(ascii: "\"") {
                offset += 1
                return String(decoding: bytes, as: UTF8.self)
            }
            if b < 0x20 { throw error("control character in string") }
            if b != UInt8(ascii: "\\") {
                bytes.append(b)
                offset += 1
                continue
            }
            offset += 1
            guard offset < buffer.count else { break }
            let e = buffer[offset]
            offset += 1
            switch e {
            case UInt8(ascii: "\""): bytes.append(0x22)
            case UInt8(ascii: "\\"): bytes.append(0x5C)
            case UInt8(ascii: "/"): bytes.append(0x2F)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if (0xD800...0xDBFF).contains(scalar), offset + 1 < buffer.count,
                   buffer[offset] == UInt8(ascii: "\\"), buffer[offset + 1] == UInt8(ascii: "u") {
                    let saved = offset
                    offset += 2
                    let low = try parseHex4()
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        offset = saved
                    }
                }
                let unicode = UnicodeScalar(scalar) ?? "\u{FFFD}"
                bytes.append(contentsOf: Array(String(Character(unicode)).utf8))
            default:
                offset -= 1
                throw error("invalid escape '\\\(printable(e))' in string")
            }
        }
        throw error("unterminated string")
    }

    mutating func parseHex4() throws -> UInt32 {
        guard offset + 4 <= buffer.count else { throw error("invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = buffer[offset]
            let digit: UInt32
            switch b {
            case 48...57: digit = UInt32(b - 48)
            case 65...70: digit = UInt32(b - 55)
            case 97...102: digit = UInt32(b - 87)
            default: throw error("invalid \\u escape")
            }
            value = value * 16 + digit
            offset += 1
        }
        return value
    }
}

/// JSON Pointer (RFC 6901) helpers.
public enum JSONPointer {
    public static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == 0x7E || $0 == 0x2F }) else { return token }
        return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    public static func unescape(_ token: String) -> String {
        guard token.utf8.contains(0x7E) else { return token }
        return token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }

    /// Splits "/a/b~1c" into ["a", "b/c"]; nil when the text is not a pointer.
    public static func tokens(_ pointer: String) -> [String]? {
        if pointer.isEmpty { return [] }
        guard pointer.hasPrefix("/") else { return nil }
        return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { unescape(String($0)) }
    }

    public static func string(_ tokens: [String]) -> String {
        tokens.isEmpty ? "" : "/" + tokens.map(escape).joined(separator: "/")
    }
}
