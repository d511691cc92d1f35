import Foundation

/// One copy of each distinct text decoded from the parse cache, so the many records that repeat a
/// value (an owner's address, a commit id, a URL, a vector string) share its storage instead of
/// holding a heap copy each. Only texts too long for Swift's inline small strings are kept.
///
/// Used by one thread at a time (one interner per decoding lane). The table is open-addressed and
/// bounded: a probe stops after a few slots and a full table stops taking new texts, so colliding
/// or endless distinct input costs a fresh string, never a long search.
final class StringInterner {
    /// Texts of up to this many UTF-8 bytes are stored inline by String and need no sharing.
    static let inlineLimit = 15
    private static let maxProbes = 8
    private static let maxSlots = 1 << 16

    private var slots: [(hash: UInt64, text: String)?]
    private var used = 0

    init() {
        slots = Array(repeating: nil, count: 1 << 10)
    }

    /// The text of `bytes` (valid or not: decoded as UTF-8 with repairs, as `String(decoding:)` does).
    func string(_ bytes: UnsafeRawBufferPointer) -> String {
        guard bytes.count > Self.inlineLimit else { return String(decoding: bytes, as: UTF8.self) }
        let hash = FNV1a.hash(bytes)
        var index = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        for _ in 0..<Self.maxProbes {
            guard let slot = slots[index] else {
                let text = String(decoding: bytes, as: UTF8.self)
                insert(hash: hash, text: text, at: index)
                return text
            }
            if slot.hash == hash, Self.equal(slot.text, bytes) { return slot.text }
            index = (index + 1) & (slots.count - 1)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func insert(hash: UInt64, text: String, at index: Int) {
        slots[index] = (hash, text)
        used += 1
        if used * 2 > slots.count, slots.count < Self.maxSlots { grow() }
    }

    private func grow() {
        let old = slots
        slots = Array(repeating: nil, count: old.count * 2)
        used = 0
        for case let slot? in old {
            var index = Int(truncatingIfNeeded: slot.hash) & (slots.count - 1)
            for _ in 0..<Self.maxProbes {
                if slots[index] == nil {
                    slots[index] = slot
                    used += 1
                    break
                }
                index = (index + 1) & (slots.count - 1)
            }
        }
    }

    /// Whether `text` is exactly these bytes (a repaired text never equals its invalid bytes, so
    /// such bytes simply get a string of their own).
    private static func equal(_ text: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            utf8.count == bytes.count && (bytes.isEmpty || memcmp(utf8.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
    }

}
