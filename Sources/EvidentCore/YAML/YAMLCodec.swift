/// A compact binary form of a parsed YAML tree, for the parse cache: decoding it costs a fraction
/// of parsing the text again with libyaml. Decoding checks every bound and gives nil for anything
/// malformed (a damaged cache is a miss, never a crash or a wrong tree that passes its checksum).
///
/// Layout: a node is one byte of shape, then varints. Scalar shape = style (0–4) + 8 when tagged,
/// followed by line, column, [tag], text. Sequence (16) and mapping (17): line, column, count,
/// then the items (mappings alternate key and value). Strings are a varint length and UTF-8 bytes.
enum YAMLCodec {
    private static let sequenceShape: UInt8 = 16
    private static let mappingShape: UInt8 = 17
    private static let tagged: UInt8 = 8

    static func encode(_ node: YAMLNode, into out: inout [UInt8]) {
        switch node {
        case .scalar(let scalar):
            out.append(styleCode(scalar.style) + (scalar.tag == nil ? 0 : tagged))
            appendVarint(UInt64(max(0, scalar.mark.line)), to: &out)
            appendVarint(UInt64(max(0, scalar.mark.column)), to: &out)
            if let tag = scalar.tag { appendString(tag, to: &out) }
            appendString(scalar.value, to: &out)
        case .sequence(let items, let mark):
            out.append(sequenceShape)
            appendVarint(UInt64(max(0, mark.line)), to: &out)
            appendVarint(UInt64(max(0, mark.column)), to: &out)
            appendVarint(UInt64(items.count), to: &out)
            for item in items { encode(item, into: &out) }
        case .mapping(let pairs, let mark):
            out.append(mappingShape)
            appendVarint(UInt64(max(0, mark.line)), to: &out)
            appendVarint(UInt64(max(0, mark.column)), to: &out)
            appendVarint(UInt64(pairs.count), to: &out)
            for pair in pairs {
                encode(pair.key, into: &out)
                encode(pair.value, into: &out)
            }
        }
    }

    /// The tree encoded in `bytes` (exactly: trailing bytes make it malformed), or nil.
    /// With an `interner`, texts repeated across the trees it decodes share one copy.
    static func decode(_ bytes: UnsafeRawBufferPointer, maxDepth: Int, interner: StringInterner? = nil) -> YAMLNode? {
        var reader = Reader(bytes: bytes, interner: interner)
        guard let node = reader.node(depth: 0, maxDepth: maxDepth), reader.offset == bytes.count else { return nil }
        return node
    }

    private static func styleCode(_ style: YAMLScalar.Style) -> UInt8 {
        switch style {
        case .plain: return 0
        case .singleQuoted: return 1
        case .doubleQuoted: return 2
        case .literal: return 3
        case .folded: return 4
        }
    }

    private static let styles: [YAMLScalar.Style] = [.plain, .singleQuoted, .doubleQuoted, .literal, .folded]

    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    static func appendString(_ string: String, to out: inout [UInt8]) {
        var string = string
        string.withUTF8 { utf8 in
            appendVarint(UInt64(utf8.count), to: &out)
            out.append(contentsOf: utf8)
        }
    }

    /// A bounds-checked cursor over encoded bytes.
    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0
        let interner: StringInterner?

        init(bytes: UnsafeRawBufferPointer, interner: StringInterner? = nil) {
            self.bytes = bytes
            self.interner = interner
        }

        mutating func byte() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func varint() -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while shift < 64 {
                guard let byte = byte() else { return nil }
                result |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return result }
                shift += 7
            }
            return nil
        }

        /// A varint that must fit an Int no larger than `limit`.
        mutating func count(atMost limit: Int) -> Int? {
            guard let value = varint(), value <= UInt64(limit) else { return nil }
            return Int(value)
        }

        mutating func string() -> String? {
            guard let length = count(atMost: bytes.count), length <= bytes.count - offset else { return nil }
            let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
            offset += length
            return interner?.string(slice) ?? String(decoding: slice, as: UTF8.self)
        }

        mutating func mark() -> Mark? {
            guard let line = count(atMost: Int(Int32.max)), let column = count(atMost: Int(Int32.max)) else { return nil }
            return Mark(line: line, column: column)
        }

        mutating func node(depth: Int, maxDepth: Int) -> YAMLNode? {
            guard depth <= maxDepth, let shape = byte() else { return nil }
            switch shape {
            case YAMLCodec.sequenceShape, YAMLCodec.mappingShape:
                // Every node takes at least 4 bytes: a count beyond that is damage, not a big list.
                guard let mark = mark(), let count = count(atMost: bytes.count), count <= (bytes.count - offset) / 4 else { return nil }
                if shape == YAMLCodec.sequenceShape {
                    var items: [YAMLNode] = []
                    items.reserveCapacity(count)
                    for _ in 0..<count {
                        guard let item = node(depth: depth + 1, maxDepth: maxDepth) else { return nil }
                        items.append(item)
                    }
                    return .sequence(items, mark)
                }
                var pairs: [YAMLPair] = []
                pairs.reserveCapacity(count)
                for _ in 0..<count {
                    guard let key = node(depth: depth + 1, maxDepth: maxDepth),
                          let value = node(depth: depth + 1, maxDepth: maxDepth) else { return nil }
                    pairs.append(YAMLPair(key: key, value: value))
                }
                return .mapping(pairs, mark)
            default:
                let style = Int(shape & 0x07)
                guard shape & ~(0x07 | YAMLCodec.tagged) == 0, style < YAMLCodec.styles.count, let mark = mark() else { return nil }
                var tag: String?
                if shape & YAMLCodec.tagged != 0 {
                    guard let text = string() else { return nil }
                    tag = text
                }
                guard let value = string() else { return nil }
                return .scalar(YAMLScalar(value: value, style: YAMLCodec.styles[style], tag: tag, mark: mark))
            }
        }
    }
}
