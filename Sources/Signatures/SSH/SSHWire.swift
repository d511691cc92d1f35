import Foundation

/// Reads the SSH wire encoding (RFC 4251 §5): uint32, string, mpint. Every length is checked against what is left.
struct SSHReader {
    private let bytes: [UInt8]
    private(set) var offset = 0
    let context: String

    init<D: Collection>(_ data: D, context: String) where D.Element == UInt8 {
        bytes = Array(data)
        self.context = context
    }

    var isAtEnd: Bool { offset == bytes.count }
    var remaining: Int { bytes.count - offset }

    mutating func take(_ count: Int) throws -> [UInt8] {
        guard count >= 0, count <= remaining else { throw SignatureError.truncated(context) }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func byte() throws -> UInt8 { try take(1)[0] }

    mutating func uint32() throws -> UInt32 {
        try take(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func string() throws -> [UInt8] {
        let length = try uint32()
        guard Int(length) <= remaining else { throw SignatureError.truncated(context) }
        return try take(Int(length))
    }

    /// A string that must be UTF-8 text.
    mutating func text() throws -> String {
        let raw = try string()
        guard let text = String(bytes: raw, encoding: .utf8) else { throw SignatureError.malformed("\(context): a name is not UTF-8") }
        return text
    }

    /// A non-negative mpint, returned without leading zero bytes.
    mutating func unsignedMPInt() throws -> [UInt8] {
        let raw = try string()
        if let first = raw.first, first & 0x80 != 0 { throw SignatureError.malformed("\(context): negative integer") }
        return Array(raw.drop { $0 == 0 })
    }
}

/// Writes the SSH wire encoding.
struct SSHWriter {
    private(set) var bytes: [UInt8] = []

    mutating func raw<D: Sequence>(_ data: D) where D.Element == UInt8 { bytes.append(contentsOf: data) }
    mutating func byte(_ value: UInt8) { bytes.append(value) }
    mutating func uint32(_ value: UInt32) {
        bytes.append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }
    mutating func string<D: Collection>(_ data: D) where D.Element == UInt8 {
        uint32(UInt32(data.count))
        bytes.append(contentsOf: data)
    }
    mutating func string(_ text: String) { string(Array(text.utf8)) }
    /// A non-negative integer from big-endian magnitude bytes.
    mutating func mpint<D: Collection>(_ magnitude: D) where D.Element == UInt8 {
        var value = Array(magnitude.drop { $0 == 0 })
        if let first = value.first, first & 0x80 != 0 { value.insert(0, at: 0) }
        string(value)
    }
}

/// Left-pads (or strips leading zeros from) a big-endian integer to exactly `width` bytes; nil when it does not fit.
func fixedWidth(_ magnitude: [UInt8], _ width: Int) -> [UInt8]? {
    let stripped = Array(magnitude.drop { $0 == 0 })
    guard stripped.count <= width else { return nil }
    return [UInt8](repeating: 0, count: width - stripped.count) + stripped
}

/// Base64 text between `-----BEGIN label-----` and `-----END label-----`, decoded; nil when the armor is absent or broken.
func unarmor(_ text: String, label: String) -> [UInt8]? {
    let begin = "-----BEGIN \(label)-----", end = "-----END \(label)-----"
    let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map { $0.trimmingCharacters(in: .whitespaces) }
    guard let start = lines.firstIndex(of: begin), let stop = lines[start...].firstIndex(of: end), stop > start + 1 else { return nil }
    let body = lines[(start + 1)..<stop].joined()
    guard let data = Data(base64Encoded: body) else { return nil }
    return Array(data)
}

/// Armors bytes with lines of `width` base64 characters.
func armor(_ bytes: [UInt8], label: String, width: Int) -> String {
    let encoded = Array(Data(bytes).base64EncodedString())
    var out = "-----BEGIN \(label)-----\n"
    var index = 0
    while index < encoded.count {
        out += String(encoded[index..<min(index + width, encoded.count)]) + "\n"
        index += width
    }
    return out + "-----END \(label)-----\n"
}
