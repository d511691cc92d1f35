import Foundation
import Testing
@testable import EvidentCore

struct YAMLLoaderTests {
    func load(_ text: String, limits: YAMLLimits = YAMLLimits()) -> YAMLDocument {
        YAMLLoader.load(Data(text.utf8), limits: limits)
    }

    @Test func keepsPositions() throws {
        let document = load("kind: defect\nanalysis:\n  state: resolved\n")
        let root = try #require(document.root)
        #expect(root["analysis"]?["state"]?.mark == Mark(line: 3, column: 10))
        #expect(root["kind"]?.mark == Mark(line: 1, column: 7))
    }

    /// A scalar keeps its style, tag and position in 32 bytes (style packed beside the column, the
    /// tag interned): each is read back as written, and a node is no larger than that.
    @Test func scalarsKeepStyleTagAndPositionCompactly() throws {
        let document = load("a: plain\nb: 'single'\nc: \"double\"\nd: |\n  literal\ne: >\n  folded\nf: !!str 12\ng: !custom x\nh: !custom y\n")
        let root = try #require(document.root)
        let expected: [(String, YAMLScalar.Style, String?, Int)] = [
            ("a", .plain, nil, 1), ("b", .singleQuoted, nil, 2), ("c", .doubleQuoted, nil, 3), ("d", .literal, nil, 4),
            ("e", .folded, nil, 6), ("f", .plain, "tag:yaml.org,2002:str", 8), ("g", .plain, "!custom", 9), ("h", .plain, "!custom", 10),
        ]
        for (key, style, tag, line) in expected {
            guard case .scalar(let scalar)? = root[key] else { Issue.record("no scalar at \(key)"); continue }
            #expect(scalar.style == style)
            #expect(scalar.tag == tag)
            #expect(scalar.mark.line == line)
            #expect(scalar.mark.column == 4)
        }
        var scalar = YAMLScalar(value: "v", style: .folded, tag: nil, mark: Mark(line: 7, column: 123_456))
        #expect(scalar.mark == Mark(line: 7, column: 123_456) && scalar.style == .folded)
        scalar.style = .doubleQuoted
        scalar.mark = Mark(line: 8, column: 99)
        scalar.tag = "!t"
        #expect(scalar.mark == Mark(line: 8, column: 99) && scalar.style == .doubleQuoted && scalar.tag == "!t")
        #expect(MemoryLayout<YAMLNode>.stride == 32)
        #expect(MemoryLayout<YAMLPair>.stride == 64)
        #expect(MemoryLayout<ReferenceValue>.stride == 64)
    }

    @Test func coreSchemaTyping() throws {
        let root = try #require(load("a: no\nb: 2026-03-01\nc: 1.10\nd: true\ne: '1'\nf: ~\n").root)
        #expect(root["a"].map { if case .scalar(let s) = $0 { return s.coreValue } else { return .null } } == .string("no"))
        #expect(root["b"].map { if case .scalar(let s) = $0 { return s.coreValue } else { return .null } } == .string("2026-03-01"))
        #expect(root["c"].map { if case .scalar(let s) = $0 { return s.coreValue } else { return .null } } == .float(1.1))
        #expect(root["d"].map { if case .scalar(let s) = $0 { return s.coreValue } else { return .null } } == .bool(true))
        #expect(root["e"].map { if case .scalar(let s) = $0 { return s.coreValue } else { return .null } } == .string("1"))
        #expect(root["f"]?.scalarString == nil)
    }

    @Test func everyDuplicateKeyAtSecondOccurrence() {
        let document = load("id: A\nid: B\nx:\n  y: 1\n  y: 2\n")
        #expect(document.problems.map(\.kind) == [.duplicateKey, .duplicateKey])
        #expect(document.problems.map(\.mark) == [Mark(line: 2, column: 1), Mark(line: 5, column: 3)])
        #expect(document.problems.first?.related == Mark(line: 1, column: 1))
    }

    /// Small mappings are searched, large ones indexed (from the 16th key): duplicates are found
    /// either way, before and after the switch, with the first occurrence's position.
    @Test(arguments: [3, 15, 16, 17, 40])
    func duplicatesInSmallAndLargeMappings(keys: Int) {
        var lines = (0..<keys).map { "k\($0): \($0)" }
        lines.append("k0: again")
        lines.append("k\(keys - 1): again")
        lines.append("k\(keys): new")
        lines.append("k\(keys): again")
        let document = load(lines.joined(separator: "\n") + "\n")
        #expect(document.problems.map(\.kind) == [.duplicateKey, .duplicateKey, .duplicateKey])
        #expect(document.problems.map(\.related) == [Mark(line: 1, column: 1), Mark(line: keys, column: 1), Mark(line: keys + 3, column: 1)])
        #expect(document.problems.map(\.mark.line) == [keys + 1, keys + 2, keys + 4])
        if case .mapping(let pairs, _)? = document.root { #expect(pairs.count == keys + 1) } else { Issue.record("not a mapping") }
    }

    @Test func unclosedFlowSequenceNamesWhereItBegan() throws {
        let document = load("kind: defect\ntags: [a, b\nowner: x\n")
        let problem = try #require(document.problems.first)
        #expect(problem.kind == .syntax)
        #expect(problem.related?.line == 2 || problem.mark.line == 2 || problem.mark.line == 3)
    }

    @Test func billionLaughsIsCheap() {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1..<10 {
            text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            let document = load(text)
            #expect(document.problems.contains { $0.kind == .limit })
        }
        #expect(elapsed < .seconds(1))
    }

    @Test func deepNestingIsAFindingNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let document = load(deep)
        #expect(document.problems.count == 1)
        let block = (0..<200).map { String(repeating: " ", count: $0) + "k\($0):\n" }.joined()
        #expect(load(block).problems.first?.kind == .limit)
    }

    @Test func invalidUTF8AndNULAndEmpty() {
        var bytes = Data("kind: defect\nid: D".utf8)
        bytes.append(0xFF)
        let invalid = YAMLLoader.load(bytes)
        #expect(invalid.problems.first?.kind == .encoding)
        #expect(invalid.problems.first?.mark == Mark(line: 2, column: 6))
        #expect(load("a: \u{0}\n").problems.first?.kind == .encoding)
        #expect(load("").problems.first?.kind == .empty)
        #expect(load("# only\n").problems.first?.kind == .empty)
    }

    @Test func bomAndCRLFAccepted() throws {
        let document = YAMLLoader.load(Data([0xEF, 0xBB, 0xBF]) + Data("kind: defect\r\nid: D-1\r\n".utf8))
        #expect(document.problems.isEmpty)
        #expect(document.root?["id"]?.scalarString == "D-1")
    }

    @Test func tagsArePlainData() throws {
        let document = load("x: !!python/object:os.system [rm -rf /]\n")
        #expect(document.problems.isEmpty)
        #expect(document.root?["x"] != nil)
    }

    @Test func multipleDocuments() {
        #expect(load("a: 1\n---\nb: 2\n").problems.first?.kind == .multipleDocuments)
    }

    @Test(arguments: 0..<200)
    func arbitraryBytesNeverCrash(seed: Int) {
        var generator = SplitMix(seed: UInt64(seed))
        let alphabet = Array("kind: [],{}-&*!|>'\"#\n  :?%@`\u{0}\u{FF}é".utf8)
        let length = Int(generator.next() % 300)
        let bytes = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
        _ = YAMLLoader.load(Data(bytes))
    }
}

/// A small deterministic generator for property tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E3779B97F4A7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
