import Foundation

/// A 1-based position in a text file.
public struct Mark: Hashable, Sendable, Comparable, CustomStringConvertible {
    // Stored in 32 bits each: every node of every record carries a mark, and files stop at
    // limits.file-size long before 2^31 lines.
    private var storedLine: Int32
    private var storedColumn: Int32

    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = Int32(clamping: newValue) }
    }

    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = Int32(clamping: newValue) }
    }

    public init(line: Int, column: Int) {
        storedLine = Int32(clamping: line)
        storedColumn = Int32(clamping: column)
    }

    public static func < (lhs: Mark, rhs: Mark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// A YAML node with the position it came from. Scalars keep their text: evident types them itself
/// (YAML 1.2 core schema), so `no` stays a string and `2026-03-01` is not turned into a date.
/// Not `indirect`: lists and mappings hold their children in arrays already, so a node lives inline
/// in its parent's array instead of in a heap box of its own (a large check holds millions).
public enum YAMLNode: Sendable {
    case scalar(YAMLScalar)
    case sequence([YAMLNode], Mark)
    case mapping([YAMLPair], Mark)

    public var mark: Mark {
        switch self {
        case .scalar(let scalar): return scalar.mark
        case .sequence(_, let mark), .mapping(_, let mark): return mark
        }
    }

    /// The scalar's text, when this is a scalar.
    public var string: String? {
        if case .scalar(let scalar) = self { return scalar.value }
        return nil
    }

    /// The value of a mapping key, when this is a mapping holding it (first occurrence).
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs, _) = self else { return nil }
        return pairs.first { $0.key.string == key }?.value
    }

    /// The pair of a mapping key, for its key's position.
    public func pair(_ key: String) -> YAMLPair? {
        guard case .mapping(let pairs, _) = self else { return nil }
        return pairs.first { $0.key.string == key }
    }

    /// A short name for the node's type, for messages.
    public var typeName: String {
        switch self {
        case .scalar(let scalar):
            switch scalar.coreValue {
            case .null: return "null"
            case .bool: return "boolean"
            case .int, .float: return "number"
            case .string: return "string"
            }
        case .sequence: return "list"
        case .mapping: return "mapping"
        }
    }
}

/// One key and value of a YAML mapping.
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode
}

/// A YAML scalar: its text, how it was written, its explicit tag if any, and where.
public struct YAMLScalar: Sendable {
    public enum Style: UInt32, Sendable { case plain, singleQuoted, doubleQuoted, literal, folded }

    /// An explicit tag's text, held once per distinct text for the life of the process (tags are
    /// rare, and bounded by the input read), so a scalar keeps a plain pointer to it: no reference
    /// counting when nodes are copied, and the pointer's spare bits hold the node's case.
    private final class Tag: Sendable {
        let text: String?
        init(_ text: String?) { self.text = text }

        static let none = Tag(nil)
        private static let lock = NSLock()
        nonisolated(unsafe) private static var interned: [String: Tag] = [:]

        static func named(_ text: String?) -> Tag {
            guard let text else { return none }
            lock.lock()
            defer { lock.unlock() }
            if let known = interned[text] { return known }
            let tag = Tag(text)
            interned[text] = tag
            return tag
        }
    }

    // 32 bytes: the style shares a word with the column, and the tag pointer comes first, where a
    // list's or mapping's array reference sits in the other cases, so the node's case fits in the
    // pointers' spare bits: a node (and a list item) is 32 bytes and a mapping pair 64.
    private unowned(unsafe) var storedTag: Tag
    public var value: String
    private var line: Int32
    /// The column in the low 29 bits (files stop at limits.file-size long before), the style above.
    private var columnAndStyle: UInt32

    private static let columnBits: UInt32 = 29
    private static let columnMask: UInt32 = (1 << columnBits) - 1

    public var tag: String? {
        get { storedTag.text }
        set { storedTag = Tag.named(newValue) }
    }

    public var mark: Mark {
        get { Mark(line: Int(line), column: Int(columnAndStyle & Self.columnMask)) }
        set {
            line = Int32(clamping: newValue.line)
            columnAndStyle = (columnAndStyle & ~Self.columnMask) | UInt32(clamping: min(newValue.column, Int(Self.columnMask)))
        }
    }

    public var style: Style {
        get { Style(rawValue: columnAndStyle >> Self.columnBits) ?? .plain }
        set { columnAndStyle = (columnAndStyle & Self.columnMask) | (newValue.rawValue << Self.columnBits) }
    }

    public init(value: String, style: Style, tag: String?, mark: Mark) {
        self.value = value
        storedTag = Tag.named(tag)
        line = Int32(clamping: mark.line)
        columnAndStyle = UInt32(clamping: min(max(mark.column, 0), Int(Self.columnMask))) | (style.rawValue << Self.columnBits)
    }

    /// The scalar's value under the YAML 1.2 core schema: only plain scalars are typed, and explicit
    /// tags are treated as plain data (never as instructions to build objects).
    public var coreValue: CoreValue {
        guard style == .plain else { return .string(value) }
        if let tag, tag == "tag:yaml.org,2002:str" { return .string(value) }
        return CoreValue.resolve(value)
    }

    /// The YAML 1.2 core schema's scalar types.
    public enum CoreValue: Equatable, Sendable {
        case null
        case bool(Bool)
        case int(String)
        case float(Double)
        case string(String)

        static func resolve(_ text: String) -> CoreValue {
            // Most scalars are words: only these first bytes can start a null, boolean or number.
            guard let first = text.utf8.first else { return .null }
            switch first {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "~"),
                 UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"):
                break
            default:
                return .string(text)
            }
            switch text {
            case "", "~", "null", "Null", "NULL": return .null
            case "true", "True", "TRUE": return .bool(true)
            case "false", "False", "FALSE": return .bool(false)
            case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
            case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
            case ".nan", ".NaN", ".NAN": return .float(.nan)
            default: break
            }
            if isInteger(text) { return .int(text) }
            if isFloat(text), let double = Double(text) { return .float(double) }
            return .string(text)
        }

        private static func isInteger(_ text: String) -> Bool {
            var bytes = Substring(text).utf8[...]
            if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            return !bytes.isEmpty && bytes.allSatisfy { $0 >= 48 && $0 <= 57 }
        }

        private static func isFloat(_ text: String) -> Bool {
            // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
            var bytes = Array(text.utf8)
            if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { bytes.removeFirst() }
            var index = 0
            func digits() -> Int {
                let start = index
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
                return index - start
            }
            let whole = digits()
            var fraction = 0
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                fraction = digits()
            }
            guard whole + fraction > 0 else { return false }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
                guard digits() > 0 else { return false }
            }
            return index == bytes.count
        }
    }
}
