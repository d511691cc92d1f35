import Foundation
import Testing
@testable import EvidentCore

struct StringInternerTests {
    private func storage(_ text: String) -> UnsafeRawPointer? {
        var text = text
        return text.withUTF8 { UnsafeRawPointer($0.baseAddress) }
    }

    private func intern(_ interner: StringInterner, _ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { interner.string($0) }
    }

    @Test func repeatedTextsShareOneCopy() {
        let interner = StringInterner()
        let address = Array("alice.liddell@example.com".utf8)
        let first = intern(interner, address)
        let second = intern(interner, address)
        #expect(first == "alice.liddell@example.com" && second == first)
        #expect(storage(first) == storage(second))
        let other = intern(interner, Array("bob.builder@example.com".utf8))
        #expect(other == "bob.builder@example.com")
        #expect(storage(other) != storage(first))
    }

    /// Whatever the bytes, the text is what `String(decoding:)` makes of them, and a table full of
    /// distinct texts keeps answering correctly.
    @Test func textsAreExactlyTheBytesDecoded() {
        let interner = StringInterner()
        var generator = SystemRandomNumberGenerator()
        var samples: [[UInt8]] = [Array("short".utf8), [0xFF, 0xFE] + Array(repeating: 0x41, count: 20), Array("ümlaut-and-more-than-fifteen".utf8)]
        for _ in 0..<50_000 {
            let length = Int.random(in: 0...40, using: &generator)
            samples.append((0..<length).map { _ in UInt8.random(in: 0x20...0x7A, using: &generator) })
        }
        for bytes in samples + samples.prefix(1_000) {
            #expect(intern(interner, bytes) == String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Trees decoded from the parse cache with an interner equal those decoded without.
    @Test func cacheTreesAreTheSameWithAnInterner() throws {
        let text = "kind: defect\nid: DEF-1\nowner: someone.long@example.com\nlinks:\n  - {to: REQ-1, type: relates-to}\nnotes: someone.long@example.com\n"
        let root = try #require(YAMLLoader.load(Data(text.utf8)).root)
        var bytes: [UInt8] = []
        YAMLCodec.encode(root, into: &bytes)
        let interner = StringInterner()
        let plain = bytes.withUnsafeBytes { YAMLCodec.decode($0, maxDepth: 64) }
        let shared = bytes.withUnsafeBytes { YAMLCodec.decode($0, maxDepth: 64, interner: interner) }
        let again = bytes.withUnsafeBytes { YAMLCodec.decode($0, maxDepth: 64, interner: interner) }
        func encoded(_ node: YAMLNode?) -> [UInt8] {
            var out: [UInt8] = []
            if let node { YAMLCodec.encode(node, into: &out) }
            return out
        }
        #expect(encoded(plain) == bytes && encoded(shared) == bytes && encoded(again) == bytes)
        #expect(storage(shared?["owner"]?.string ?? "") == storage(again?["notes"]?.string ?? ""))
    }
}
