/// A matcher for the common subset of ECMA-262 patterns used in schemas: literals, `.`, classes
/// (with ranges and `\d \w \s`), groups, alternation, greedy or lazy quantifiers, `^` and `$`.
/// It runs straight on a string's UTF-8 bytes without bridging to `NSString`; `ECMARegex` falls
/// back to ICU for anything outside the subset (back-references, lookaround, `\b`, `\p`, ...).
///
/// The pattern is compiled to a small backtracking program. Only a yes/no answer is needed (no
/// captures), so a (instruction, position) state that failed once fails always: when a match takes
/// many steps, the search restarts remembering failed states, which bounds it by program × input.
struct SimpleRegex {
    enum Op {
        case scalar(UInt32)
        case set(Int)
        /// Exactly `count` scalars of a set.
        case setRun(Int, count: Int)
        case any
        /// Try `x` first, then `y`.
        case split(Int, Int)
        case jump(Int)
        case start
        case end
        case match
    }

    struct CharSet {
        var ascii: (UInt64, UInt64) = (0, 0)
        var ranges: [ClosedRange<UInt32>] = []
        var negated = false

        mutating func add(_ r: ClosedRange<UInt32>) {
            var lo = r.lowerBound
            while lo <= r.upperBound, lo < 128 {
                if lo < 64 { ascii.0 |= 1 << UInt64(lo) } else { ascii.1 |= 1 << UInt64(lo - 64) }
                lo += 1
            }
            if r.upperBound >= 128 { ranges.append(max(r.lowerBound, 128)...r.upperBound) }
        }

        @inline(__always)
        func contains(_ c: UInt32) -> Bool {
            let inside: Bool
            if c < 64 {
                inside = ascii.0 & (1 << UInt64(c)) != 0
            } else if c < 128 {
                inside = ascii.1 & (1 << UInt64(c - 64)) != 0
            } else {
                inside = ranges.contains { $0.contains(c) }
            }
            return inside != negated
        }
    }

    let program: [Op]
    let sets: [CharSet]
    /// Each set's ASCII bitmap (two words) and negation, flat so that matching does not copy sets.
    private let asciiBits: [UInt64]
    /// The pattern starts with `^` on every path: only try position 0.
    let anchoredStart: Bool

    // MARK: - Parsing

    private indirect enum Node {
        case scalar(UInt32)
        case set(CharSet)
        case any
        case start
        case end
        case sequence([Node])
        case alternation([Node])
        case repeated(Node, min: Int, max: Int?)
    }

    private struct Unsupported: Error {}

    /// Nil when the pattern uses anything outside the supported subset (or is not valid).
    init?(_ pattern: String) {
        var parser = Parser(scalars: Array(pattern.unicodeScalars.map(\.value)))
        guard let node = try? parser.parseAlternation(), parser.index == parser.scalars.count else { return nil }
        var builder = Builder()
        guard (try? builder.emit(node)) != nil else { return nil }
        builder.program.append(.match)
        program = builder.program
        sets = builder.sets
        var bits: [UInt64] = []
        for set in sets {
            bits.append(set.ascii.0)
            bits.append(set.ascii.1)
            // 0: ASCII members only; 1: negated; 2: members beyond ASCII too.
            bits.append(set.negated ? 1 : (set.ranges.isEmpty ? 0 : 2))
        }
        asciiBits = bits
        anchoredStart = SimpleRegex.startsAnchored(node)
    }

    private static func startsAnchored(_ node: Node) -> Bool {
        switch node {
        case .start: return true
        case .sequence(let items): return items.first.map(startsAnchored) ?? false
        case .alternation(let items): return !items.isEmpty && items.allSatisfy(startsAnchored)
        default: return false
        }
    }

    private struct Parser {
        let scalars: [UInt32]
        var index = 0

        var peek: UInt32? { index < scalars.count ? scalars[index] : nil }

        mutating func parseAlternation() throws -> Node {
            var branches = [try parseSequence()]
            while peek == 0x7C { // |
                index += 1
                branches.append(try parseSequence())
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        mutating func parseSequence() throws -> Node {
            var items: [Node] = []
            while let c = peek, c != 0x7C, c != 0x29 { // | )
                var atom = try parseAtom()
                if let (min, max) = try parseQuantifier() {
                    switch atom {
                    case .start, .end: throw Unsupported()
                    default: break
                    }
                    if let max, max < min { throw Unsupported() }
                    atom = .repeated(atom, min: min, max: max)
                }
                items.append(atom)
            }
            return items.count == 1 ? items[0] : .sequence(items)
        }

        mutating func parseNumber() -> Int? {
            var value = 0
            var digits = 0
            while let c = peek, c >= 0x30, c <= 0x39 {
                value = value * 10 + Int(c - 0x30)
                digits += 1
                index += 1
                if value > 1000 { return nil }
            }
            return digits > 0 ? value : nil
        }

        mutating func parseQuantifier() throws -> (Int, Int?)? {
            guard let c = peek else { return nil }
            var result: (Int, Int?)
            switch c {
            case 0x2A: result = (0, nil); index += 1 // *
            case 0x2B: result = (1, nil); index += 1 // +
            case 0x3F: result = (0, 1); index += 1 // ?
            case 0x7B: // {
                index += 1
                guard let min = parseNumber() else { throw Unsupported() }
                if peek == 0x7D {
                    result = (min, min)
                } else {
                    guard peek == 0x2C else { throw Unsupported() } // ,
                    index += 1
                    if peek == 0x7D {
                        result = (min, nil)
                    } else {
                        guard let max = parseNumber() else { throw Unsupported() }
                        result = (min, max)
                    }
                }
                guard peek == 0x7D else { throw Unsupported() }
                index += 1
            default:
                return nil
            }
            if peek == 0x3F { index += 1 } // lazy: the same yes/no answer
            if let next = peek, next == 0x2A || next == 0x2B || next == 0x3F || next == 0x7B { throw Unsupported() }
            return result
        }

        mutating func parseAtom() throws -> Node {
            let c = scalars[index]
            index += 1
            switch c {
            case 0x5E: return .start // ^
            case 0x24: return .end // $
            case 0x2E: return .any // .
            case 0x28: // (
                if peek == 0x3F { // (?
                    guard index + 1 < scalars.count, scalars[index + 1] == 0x3A else { throw Unsupported() } // (?:
                    index += 2
                }
                let inner = try parseAlternation()
                guard peek == 0x29 else { throw Unsupported() }
                index += 1
                return inner
            case 0x5B: return .set(try parseClass()) // [
            case 0x5C: // backslash
                guard let e = peek else { throw Unsupported() }
                index += 1
                if let set = SimpleRegex.classEscape(e) { return .set(set) }
                return .scalar(try SimpleRegex.literalEscape(e))
            case 0x2A, 0x2B, 0x3F, 0x7B, 0x7D, 0x5D, 0x29: // * + ? { } ] ) out of place
                throw Unsupported()
            default:
                return .scalar(c)
            }
        }

        mutating func parseClass() throws -> CharSet {
            var set = CharSet()
            if peek == 0x5E { set.negated = true; index += 1 }
            if peek == 0x5D { throw Unsupported() } // [] and [^]
            while true {
                guard let c = peek else { throw Unsupported() }
                index += 1
                if c == 0x5D { return set }
                let low: UInt32
                if c == 0x5C {
                    guard let e = peek else { throw Unsupported() }
                    index += 1
                    if let escaped = SimpleRegex.classEscape(e) {
                        guard !escaped.negated else { throw Unsupported() }
                        for r in SimpleRegex.ranges(of: e) { set.add(r) }
                        if peek == 0x2D, index + 1 < scalars.count, scalars[index + 1] != 0x5D { throw Unsupported() }
                        continue
                    }
                    low = try SimpleRegex.literalEscape(e)
                } else {
                    low = c
                }
                if peek == 0x2D, index + 1 < scalars.count, scalars[index + 1] != 0x5D { // a range
                    index += 1
                    var high = scalars[index]
                    index += 1
                    if high == 0x5C {
                        guard let e = peek else { throw Unsupported() }
                        index += 1
                        if SimpleRegex.classEscape(e) != nil { throw Unsupported() }
                        high = try SimpleRegex.literalEscape(e)
                    } else if high == 0x5B {
                        throw Unsupported()
                    }
                    guard low <= high else { throw Unsupported() }
                    set.add(low...high)
                    continue
                }
                set.add(low...low)
            }
        }
    }

    static let spaceRanges: [ClosedRange<UInt32>] = [
        0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A,
        0x2028...0x2029, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
    ]

    static func ranges(of escape: UInt32) -> [ClosedRange<UInt32>] {
        switch escape {
        case 0x64, 0x44: return [0x30...0x39] // d D
        case 0x77, 0x57: return [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A] // w W
        default: return spaceRanges // s S
        }
    }

    /// `\d \D \w \W \s \S` as a set; nil for other escapes.
    static func classEscape(_ e: UInt32) -> CharSet? {
        switch e {
        case 0x64, 0x44, 0x77, 0x57, 0x73, 0x53:
            var set = CharSet()
            for r in ranges(of: e) { set.add(r) }
            set.negated = e == 0x44 || e == 0x57 || e == 0x53
            return set
        default:
            return nil
        }
    }

    /// The scalar an identity or control escape stands for; unsupported for letters and digits
    /// with other meanings (`\b`, `\1`, `\u`, `\x`, `\c`, `\p`, `\k`, ...).
    static func literalEscape(_ e: UInt32) throws -> UInt32 {
        switch e {
        case 0x74: return 0x09 // t
        case 0x6E: return 0x0A // n
        case 0x76: return 0x0B // v
        case 0x66: return 0x0C // f
        case 0x72: return 0x0D // r
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F: throw Unsupported()
        case 0x80...: throw Unsupported()
        default: return e // punctuation
        }
    }

    private struct Builder {
        var program: [Op] = []
        var sets: [CharSet] = []

        mutating func emit(_ node: Node) throws {
            if program.count > 4_000 { throw Unsupported() }
            switch node {
            case .scalar(let c): program.append(.scalar(c))
            case .set(let s):
                sets.append(s)
                program.append(.set(sets.count - 1))
            case .any: program.append(.any)
            case .start: program.append(.start)
            case .end: program.append(.end)
            case .sequence(let items):
                for item in items { try emit(item) }
            case .alternation(let branches):
                var jumps: [Int] = []
                for (i, branch) in branches.enumerated() {
                    if i < branches.count - 1 {
                        let split = program.count
                        program.append(.match) // placeholder
                        try emit(branch)
                        jumps.append(program.count)
                        program.append(.match) // placeholder
                        program[split] = .split(split + 1, program.count)
                    } else {
                        try emit(branch)
                    }
                }
                for j in jumps { program[j] = .jump(program.count) }
            case .repeated(let inner, let min, let max):
                if case .set(let s) = inner, min > 1 {
                    sets.append(s)
                    program.append(.setRun(sets.count - 1, count: min))
                } else {
                    for _ in 0..<min { try emit(inner) }
                }
                if let max {
                    // Each optional copy: split(take, skip-all).
                    var splits: [Int] = []
                    for _ in min..<max {
                        splits.append(program.count)
                        program.append(.match) // placeholder
                        try emit(inner)
                    }
                    for s in splits { program[s] = .split(s + 1, program.count) }
                } else {
                    let loop = program.count
                    program.append(.match) // placeholder
                    let bodyStart = program.count
                    try emit(inner)
                    if program.count == bodyStart { throw Unsupported() }
                    if SimpleRegex.canBeEmpty(inner) { throw Unsupported() }
                    program.append(.jump(loop))
                    program[loop] = .split(loop + 1, program.count)
                }
            }
        }
    }

    /// Whether a node can match the empty string (such loops need ECMA's empty-check; left to ICU).
    private static func canBeEmpty(_ node: Node) -> Bool {
        switch node {
        case .scalar, .set, .any: return false
        case .start, .end: return true
        case .sequence(let items): return items.allSatisfy(canBeEmpty)
        case .alternation(let items): return items.contains(where: canBeEmpty)
        case .repeated(let inner, let min, _): return min == 0 || canBeEmpty(inner)
        }
    }

    // MARK: - Matching

    /// Whether the pattern matches somewhere in `string` (ECMA-262 `test` semantics).
    func matches(_ string: String) -> Bool {
        var s = string
        return s.withUTF8 { matches(utf8: $0) }
    }

    func matches(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if let result = run(bytes, budget: 10_000, visited: nil) { return result }
        let width = bytes.count + 1
        var visited = [UInt64](repeating: 0, count: (program.count * width + 63) / 64)
        return visited.withUnsafeMutableBufferPointer { run(bytes, budget: .max, visited: $0, width: width) } ?? false
    }

    @inline(__always)
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
        let b0 = UInt32(bytes[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 { return ((b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F), 3) }
        return ((b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F), 4)
    }

    /// Backtracking search from every start position; nil when the step budget runs out.
    private func run(_ bytes: UnsafeBufferPointer<UInt8>, budget: Int, visited: UnsafeMutableBufferPointer<UInt64>?, width: Int = 0) -> Bool? {
        var steps = 0
        var stack: [(pc: Int, pos: Int)] = []
        var start = 0
        return program.withUnsafeBufferPointer { program in asciiBits.withUnsafeBufferPointer { bits in
            while true {
                stack.removeAll(keepingCapacity: true)
                stack.append((0, start))
                while let (initialPC, initialPos) = stack.popLast() {
                    var pc = initialPC
                    var pos = initialPos
                    thread: while true {
                        steps += 1
                        if steps > budget { return nil }
                        if let visited {
                            let bit = pc * width + pos
                            let word = visited[bit >> 6]
                            let mask: UInt64 = 1 << UInt64(bit & 63)
                            if word & mask != 0 { break thread }
                            visited[bit >> 6] = word | mask
                        }
                        switch program[pc] {
                        case .scalar(let c):
                            guard pos < bytes.count else { break thread }
                            let (scalar, length) = SimpleRegex.decode(bytes, pos)
                            guard scalar == c else { break thread }
                            pos += length
                            pc += 1
                        case .set(let index):
                            guard pos < bytes.count else { break thread }
                            let (scalar, length) = SimpleRegex.decode(bytes, pos)
                            guard inSet(index, scalar, bits) else { break thread }
                            pos += length
                            pc += 1
                        case .setRun(let index, let count):
                            if bits[index * 3 + 2] == 0 {
                                // Only ASCII members: every byte must be one (a multi-byte scalar never is).
                                guard pos + count <= bytes.count else { break thread }
                                let low = bits[index * 3], high = bits[index * 3 + 1]
                                var i = pos
                                while i < pos + count {
                                    let b = UInt64(bytes[i])
                                    let word = b < 64 ? low : (b < 128 ? high : 0)
                                    guard word & (1 << (b & 63)) != 0 else { break thread }
                                    i += 1
                                }
                                pos = i
                                pc += 1
                                continue thread
                            }
                            var n = 0
                            while n < count {
                                guard pos < bytes.count else { break thread }
                                let (scalar, length) = SimpleRegex.decode(bytes, pos)
                                guard inSet(index, scalar, bits) else { break thread }
                                pos += length
                                n += 1
                            }
                            pc += 1
                        case .any:
                            guard pos < bytes.count else { break thread }
                            let (scalar, length) = SimpleRegex.decode(bytes, pos)
                            if scalar == 0x0A || scalar == 0x0D || scalar == 0x2028 || scalar == 0x2029 { break thread }
                            pos += length
                            pc += 1
                        case .split(let x, let y):
                            stack.append((y, pos))
                            pc = x
                        case .jump(let x):
                            pc = x
                        case .start:
                            guard pos == 0 else { break thread }
                            pc += 1
                        case .end:
                            guard pos == bytes.count else { break thread }
                            pc += 1
                        case .match:
                            return true
                        }
                    }
                }
                if anchoredStart || start >= bytes.count { return false }
                // Next start: the next scalar boundary.
                start += SimpleRegex.decode(bytes, start).1
            }
        } }
    }

    @inline(__always)
    private func inSet(_ index: Int, _ c: UInt32, _ bits: UnsafeBufferPointer<UInt64>) -> Bool {
        if c < 128 {
            let word = bits[index * 3 + (c < 64 ? 0 : 1)]
            return (word & (1 << UInt64(c & 63)) != 0) != (bits[index * 3 + 2] == 1)
        }
        return sets[index].contains(c)
    }
}
