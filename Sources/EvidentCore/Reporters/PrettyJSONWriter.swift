import Foundation

/// Writes the same bytes as `JSONSerialization.data(withJSONObject:options: [.prettyPrinted, .sortedKeys,
/// .withoutEscapingSlashes])` for the values reporters build (dictionaries, arrays, strings, `Int`, `Bool`,
/// `NSNull`), without bridging every value to Foundation objects: on Linux that bridging, and a locale-aware
/// comparison per key pair, made a 60 MB coverage.json take half a minute.
///
/// Keys are ordered by the comparison `JSONSerialization` uses (numeric, case-insensitive, forced ordering,
/// system locale), computed once per distinct key set. Any other value type makes `write` return false,
/// and the caller falls back to `JSONSerialization` itself.
package struct PrettyJSONWriter {
    package private(set) var bytes: [UInt8] = []
    private var orders: [[String]: [String]] = [:]
    /// Where full chunks go when the writer streams (nil: everything stays in `bytes`).
    private let sink: (([UInt8]) -> Void)?
    private static let chunkSize = 1 << 20

    package init(sink: (([UInt8]) -> Void)? = nil) {
        self.sink = sink
        bytes.reserveCapacity(sink == nil ? 64 * 1024 : Self.chunkSize + 64 * 1024)
    }

    /// Hands what is written so far to the sink once a chunk is full (between values, any time).
    mutating func flushIfFull() {
        guard let sink, bytes.count >= Self.chunkSize else { return }
        sink(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    /// Hands everything still held to the sink.
    mutating func flush() {
        guard let sink, !bytes.isEmpty else { return }
        sink(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    /// Bytes another writer made for a value at the same depth (a repeated value written once).
    mutating func raw(_ made: [UInt8]) {
        bytes.append(contentsOf: made)
    }

    /// Appends `value`; false when it holds something this writer does not model.
    mutating func write(_ value: Any, depth: Int = 0) -> Bool {
        switch value {
        case let text as String:
            string(text)
        case let dictionary as [String: Any]:
            if dictionary.isEmpty {
                bytes.append(contentsOf: "{\n\n".utf8)
                indent(depth)
                bytes.append(UInt8(ascii: "}"))
                return true
            }
            bytes.append(contentsOf: "{\n".utf8)
            var first = true
            for key in ordered(Array(dictionary.keys)) {
                if !first { bytes.append(contentsOf: ",\n".utf8) }
                first = false
                indent(depth + 1)
                string(key)
                bytes.append(contentsOf: " : ".utf8)
                guard let item = dictionary[key], write(item, depth: depth + 1) else { return false }
            }
            bytes.append(UInt8(ascii: "\n"))
            indent(depth)
            bytes.append(UInt8(ascii: "}"))
        case let array as [Any]:
            bytes.append(contentsOf: "[\n".utf8)
            var first = true
            for item in array {
                if !first { bytes.append(contentsOf: ",\n".utf8) }
                first = false
                indent(depth + 1)
                guard write(item, depth: depth + 1) else { return false }
            }
            bytes.append(UInt8(ascii: "\n"))
            indent(depth)
            bytes.append(UInt8(ascii: "]"))
        case is NSNull:
            bytes.append(contentsOf: "null".utf8)
        default:
            // Exact dynamic types only: a boxed Bool must not pass for an Int, nor the reverse.
            if type(of: value) == Int.self, let number = value as? Int {
                bytes.append(contentsOf: String(number).utf8)
            } else if type(of: value) == Bool.self, let flag = value as? Bool {
                bytes.append(contentsOf: (flag ? "true" : "false").utf8)
            } else {
                return false
            }
        }
        return true
    }

    // Pieces for writers that know the shape of what they write (no `[String: Any]` to build and cast),
    // in the layout `write` gives: `key(_:first:depth:)` before each value of an object at `depth`,
    // `element(first:depth:)` before each item of an array at `depth`, keys in `keyOrder` order.

    /// Opens a non-empty object or array.
    package mutating func open(_ bracket: Character) {
        bytes.append(bracket == "[" ? UInt8(ascii: "[") : UInt8(ascii: "{"))
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Closes an object or array opened at `depth`; an empty one is `open` then `close` straight away.
    package mutating func close(_ bracket: Character, depth: Int) {
        bytes.append(UInt8(ascii: "\n"))
        indent(depth)
        bytes.append(bracket == "]" ? UInt8(ascii: "]") : UInt8(ascii: "}"))
    }

    package mutating func key(_ name: String, first: Bool, depth: Int) {
        element(first: first, depth: depth)
        string(name)
        bytes.append(contentsOf: " : ".utf8)
    }

    package mutating func element(first: Bool, depth: Int) {
        if !first { bytes.append(contentsOf: ",\n".utf8) }
        indent(depth + 1)
    }

    /// An array of strings, its items and closing bracket at `depth` as `element` and `close` take it.
    package mutating func strings(_ items: [String], depth: Int) {
        open("[")
        for (index, item) in items.enumerated() {
            element(first: index == 0, depth: depth)
            string(item)
        }
        close("]", depth: depth)
    }

    package mutating func value(_ number: Int) {
        bytes.append(contentsOf: String(number).utf8)
    }

    /// A number as JSON: whole values without a fraction ("14"), others in Swift's shortest form ("2.5").
    mutating func value(_ number: Double) {
        if number == number.rounded(), abs(number) < 1e15 { return value(Int(number)) }
        bytes.append(contentsOf: "\(number)".utf8)
    }

    package mutating func value(_ flag: Bool) {
        bytes.append(contentsOf: (flag ? "true" : "false").utf8)
    }

    package mutating func null() {
        bytes.append(contentsOf: "null".utf8)
    }

    /// The order `write` gives an object's keys.
    static func keyOrder(_ keys: [String]) -> [String] {
        let locale = NSLocale.system
        return keys.sorted().sorted { a, b in
            a.compare(b, options: [.numeric, .caseInsensitive, .forcedOrdering], range: a.startIndex..<a.endIndex, locale: locale) == .orderedAscending
        }
    }

    private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 128)

    private mutating func indent(_ depth: Int) {
        if depth <= 64 {
            bytes.append(contentsOf: Self.spaces[0..<(2 * depth)])
        } else {
            for _ in 0..<depth { bytes.append(contentsOf: "  ".utf8) }
        }
    }

    private mutating func ordered(_ keys: [String]) -> [String] {
        let plain = keys.sorted()
        if let known = orders[plain] { return known }
        let sorted = Self.keyOrder(plain)
        orders[plain] = sorted
        return sorted
    }

    package mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: text.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: "\\\\".utf8)
            case 0x08: bytes.append(contentsOf: "\\b".utf8)
            case 0x0C: bytes.append(contentsOf: "\\f".utf8)
            case 0x0A: bytes.append(contentsOf: "\\n".utf8)
            case 0x0D: bytes.append(contentsOf: "\\r".utf8)
            case 0x09: bytes.append(contentsOf: "\\t".utf8)
            case 0x00..<0x20: bytes.append(contentsOf: ("\\u00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)).utf8)
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
