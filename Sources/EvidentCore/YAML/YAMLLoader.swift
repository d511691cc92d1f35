import CYaml
import Foundation
import GitKit

/// Limits that keep hostile YAML cheap: every one is a finding when exceeded, never a crash.
public struct YAMLLimits: Sendable, Equatable {
    /// Largest file read, in bytes.
    public var fileSize = 10 * 1024 * 1024
    /// Deepest nesting of lists and mappings.
    public var depth = 64
    /// Most nodes that aliases may add by expansion (a "billion laughs" document stops here).
    public var aliasExpansion = 10_000
    /// Longest scalar, in bytes.
    public var scalarLength = 1024 * 1024
    /// Most keys in one mapping.
    public var keys = 10_000

    public init() {}
}

/// Something wrong with a YAML file, with where it was noticed.
public struct YAMLProblem: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case syntax = "yaml-syntax"
        case duplicateKey = "duplicate-key"
        case encoding = "invalid-encoding"
        case limit = "resource-limit"
        case multipleDocuments = "multiple-documents"
        case empty = "empty-file"
    }

    public var kind: Kind
    public var message: String
    public var mark: Mark
    /// A second position worth naming (the first occurrence of a duplicate key, the context of a syntax error).
    public var related: Mark?
}

/// The result of reading one YAML file: its root node, if any could be built, and every problem found.
public struct YAMLDocument: Sendable {
    public var root: YAMLNode?
    public var problems: [YAMLProblem]
}

/// Reads YAML through libyaml's event parser, building `YAMLNode`s with positions. Iterative (no
/// recursion on input depth), reports every duplicate key at its second occurrence, bounds alias
/// expansion, and treats tags as plain data.
public enum YAMLLoader {
    public static func load(_ data: Data, limits: YAMLLimits = YAMLLimits()) -> YAMLDocument {
        WorkCounts.add(.yamlParsed)
        if data.count > limits.fileSize {
            return YAMLDocument(root: nil, problems: [YAMLProblem(
                kind: .limit, message: "file is \(data.count) bytes, over the limit of \(limits.fileSize) bytes (limits.file-size)",
                mark: Mark(line: 1, column: 1))])
        }
        if let problem = encodingProblem(data) {
            return YAMLDocument(root: nil, problems: [problem])
        }
        let text = stripBOM(data)
        if text.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return YAMLDocument(root: nil, problems: [YAMLProblem(kind: .empty, message: "file is empty", mark: Mark(line: 1, column: 1))])
        }
        var composer = Composer(limits: limits)
        text.withUnsafeBytes { buffer in composer.run(buffer) }
        if composer.root == nil, composer.problems.isEmpty {
            composer.problems.append(YAMLProblem(kind: .empty, message: "file holds no YAML document (only comments)", mark: Mark(line: 1, column: 1)))
        }
        return YAMLDocument(root: composer.root, problems: composer.problems)
    }

    private static func stripBOM(_ data: Data) -> Data {
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { return data.dropFirst(3) }
        return data
    }

    /// Invalid UTF-8 or NUL bytes (binary files), located by line and column.
    static func encodingProblem(_ data: Data) -> YAMLProblem? {
        data.withUnsafeBytes { encodingProblem(in: $0) }
    }

    private static func encodingProblem(in data: UnsafeRawBufferPointer) -> YAMLProblem? {
        var line = 1, column = 1
        var index = data.startIndex
        let end = data.endIndex
        while index < end {
            // Fast path: a printable ASCII byte (or tab) moves one column.
            let ascii = data[index]
            if ascii >= 0x20 && ascii < 0x80 || ascii == 0x09 {
                column += 1
                index += 1
                continue
            }
            let byte = data[index]
            if byte == 0 {
                return YAMLProblem(kind: .encoding, message: "file holds a NUL byte: binary data, not a YAML record", mark: Mark(line: line, column: column))
            }
            var length = 1
            if byte >= 0x80 {
                switch byte {
                case 0xC2...0xDF: length = 2
                case 0xE0...0xEF: length = 3
                case 0xF0...0xF4: length = 4
                default: length = 0
                }
                var valid = length > 0 && data.distance(from: index, to: end) >= length
                if valid {
                    for offset in 1..<length where data[index + offset] & 0xC0 != 0x80 { valid = false }
                }
                if valid, length == 3 {
                    let second = data[index + 1]
                    if byte == 0xE0 && second < 0xA0 { valid = false }
                    if byte == 0xED && second > 0x9F { valid = false }
                }
                if valid, length == 4 {
                    let second = data[index + 1]
                    if byte == 0xF0 && second < 0x90 { valid = false }
                    if byte == 0xF4 && second > 0x8F { valid = false }
                }
                if !valid {
                    return YAMLProblem(kind: .encoding, message: String(format: "invalid UTF-8 byte 0x%02X", byte), mark: Mark(line: line, column: column))
                }
            }
            if byte == 0x0A { line += 1; column = 1 } else { column += 1 }
            index += length
        }
        return nil
    }
}

private struct Composer {
    let limits: YAMLLimits
    var root: YAMLNode?
    var problems: [YAMLProblem] = []
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    private var expanded = 0
    private var documents = 0

    /// An open list or mapping. A class, so adding a child mutates it in place: with value frames
    /// every addition copied the children so far, and 10,000 keys cost seconds.
    private final class Frame {
        let isMapping: Bool
        let mark: Mark
        let anchor: String?
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        var key: YAMLNode?
        var keySize = 0
        /// Key names seen, once the mapping is large (a small one is searched instead: a
        /// dictionary per mapping was a tenth of parsing a record).
        var seen: [String: Mark]?
        var size = 1
        var dropNext = false

        init(isMapping: Bool, mark: Mark, anchor: String?) {
            self.isMapping = isMapping
            self.mark = mark
            self.anchor = anchor
        }

        static let searchLimit = 16

        /// Where a key of this name was first written in this mapping, if it was.
        func firstMark(of name: String) -> Mark? {
            if seen == nil, pairs.count >= Self.searchLimit {
                var index: [String: Mark] = [:]
                for pair in pairs { if let key = pair.key.string, index[key] == nil { index[key] = pair.key.mark } }
                seen = index
            }
            if let seen { return seen[name] }
            return pairs.first { $0.key.string == name }?.key.mark
        }
    }
    private var stack: [Frame] = []

    init(limits: YAMLLimits) { self.limits = limits }

    mutating func run(_ buffer: UnsafeRawBufferPointer) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            problems.append(YAMLProblem(kind: .syntax, message: "could not start the YAML parser", mark: Mark(line: 1, column: 1)))
            return
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), buffer.count)
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                problems.append(syntaxProblem(parser, buffer))
                return
            }
            let keepGoing = handle(&event)
            let done = event.type == YAML_STREAM_END_EVENT
            yaml_event_delete(&event)
            if !keepGoing || done { return }
        }
    }

    private func syntaxProblem(_ parser: yaml_parser_t, _ buffer: UnsafeRawBufferPointer) -> YAMLProblem {
        let problem = parser.problem.map { String(cString: $0) } ?? "malformed YAML"
        let mark = Mark(line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1)
        if Self.indentedWithTab(buffer, line: Int(parser.problem_mark.line), column: Int(parser.problem_mark.column)) {
            return YAMLProblem(kind: .syntax, message: "tabs cannot indent YAML; indent line \(mark.line) with spaces", mark: mark)
        }
        if problem.hasPrefix("Maximum nesting level") {
            // libyaml stops at its own nesting limit while scanning ahead, before the events reach ours.
            return YAMLProblem(kind: .limit, message: "nesting deeper than \(limits.depth) levels (limits.depth)", mark: mark)
        }
        var message = problem
        var related: Mark?
        if let context = parser.context.map({ String(cString: $0) }) {
            let contextMark = Mark(line: Int(parser.context_mark.line) + 1, column: Int(parser.context_mark.column) + 1)
            message = "\(context), \(problem)"
            if contextMark != mark {
                related = contextMark
                message += " (the construct began at \(contextMark))"
            }
        }
        return YAMLProblem(kind: .syntax, message: message, mark: mark, related: related)
    }

    /// Whether a tab sits in the indentation of `line` (0-based) at or before `column`: libyaml's
    /// "found character that cannot start any token" for what is, to the writer, indentation.
    static func indentedWithTab(_ buffer: UnsafeRawBufferPointer, line: Int, column: Int) -> Bool {
        var start = 0
        var newlines = 0
        while newlines < line, start < buffer.count {
            if buffer[start] == 0x0A { newlines += 1 }
            start += 1
        }
        guard newlines == line else { return false }
        var index = start
        var sawTab = false
        while index < buffer.count, buffer[index] == 0x20 || buffer[index] == 0x09 {
            if buffer[index] == 0x09 { sawTab = true }
            index += 1
        }
        return sawTab && column <= index - start
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    /// Handles one event; false stops parsing (a limit was hit).
    private mutating func handle(_ event: inout yaml_event_t) -> Bool {
        let mark = Mark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                problems.append(YAMLProblem(kind: .multipleDocuments, message: "file holds more than one YAML document; a record is one document", mark: mark))
                return false
            }
            return true
        case YAML_SCALAR_EVENT:
            let scalarData = event.data.scalar
            let length = Int(scalarData.length)
            if length > limits.scalarLength {
                problems.append(YAMLProblem(kind: .limit, message: "scalar of \(length) bytes is over the limit of \(limits.scalarLength) (limits.scalar-length)", mark: mark))
                return false
            }
            let value: String
            if let pointer = scalarData.value {
                value = String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
            } else {
                value = ""
            }
            let style: YAMLScalar.Style
            switch scalarData.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            let node = YAMLNode.scalar(YAMLScalar(value: value, style: style, tag: Self.string(scalarData.tag), mark: mark))
            if let anchor = Self.string(scalarData.anchor) { anchors[anchor] = (node, 1) }
            return add(node, size: 1)
        case YAML_ALIAS_EVENT:
            guard let name = Self.string(event.data.alias.anchor), let target = anchors[name] else {
                problems.append(YAMLProblem(kind: .syntax, message: "alias names an anchor that is not defined", mark: mark))
                return false
            }
            expanded += target.size
            if expanded > limits.aliasExpansion {
                problems.append(YAMLProblem(kind: .limit, message: "aliases expand to more than \(limits.aliasExpansion) nodes (limits.aliases): refusing what looks like an alias bomb", mark: mark))
                return false
            }
            return add(target.node, size: target.size)
        case YAML_SEQUENCE_START_EVENT:
            guard push(mark) else { return false }
            stack.append(Frame(isMapping: false, mark: mark, anchor: Self.string(event.data.sequence_start.anchor)))
            return true
        case YAML_MAPPING_START_EVENT:
            guard push(mark) else { return false }
            stack.append(Frame(isMapping: true, mark: mark, anchor: Self.string(event.data.mapping_start.anchor)))
            return true
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return true }
            let node = frame.isMapping ? YAMLNode.mapping(frame.pairs, frame.mark) : YAMLNode.sequence(frame.items, frame.mark)
            if let anchor = frame.anchor { anchors[anchor] = (node, frame.size) }
            return add(node, size: frame.size)
        default:
            return true
        }
    }

    private mutating func push(_ mark: Mark) -> Bool {
        if stack.count >= limits.depth {
            problems.append(YAMLProblem(kind: .limit, message: "nesting deeper than \(limits.depth) levels (limits.depth)", mark: mark))
            return false
        }
        return true
    }

    private mutating func add(_ node: YAMLNode, size: Int) -> Bool {
        guard let top = stack.last else {
            root = node
            return true
        }
        guard top.isMapping else {
            top.items.append(node)
            top.size += size
            return true
        }
        guard let key = top.key else {
            // This node is a key.
            var drop = false
            if let name = node.string {
                if let first = top.firstMark(of: name) {
                    problems.append(YAMLProblem(
                        kind: .duplicateKey,
                        message: "duplicate key '\(name)' (first defined at line \(first.line), column \(first.column)); YAML keys must be unique",
                        mark: node.mark, related: first))
                    drop = true
                } else {
                    top.seen?[name] = node.mark
                }
            }
            if top.pairs.count >= limits.keys {
                problems.append(YAMLProblem(kind: .limit, message: "mapping has more than \(limits.keys) keys (limits.keys)", mark: node.mark))
                return false
            }
            top.key = node
            top.keySize = size
            top.dropNext = drop
            return true
        }
        if !top.dropNext { top.pairs.append(YAMLPair(key: key, value: node)) }
        top.size += top.keySize + size
        top.key = nil
        top.keySize = 0
        top.dropNext = false
        return true
    }
}
