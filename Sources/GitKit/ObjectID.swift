import Foundation
import CLibGit2

/// A git object name (SHA-1), comparable and hashable without touching libgit2.
public struct ObjectID: Hashable, Sendable, Comparable, CustomStringConvertible {
    // The 20 bytes, big-endian in three words so that hashing and comparison are cheap.
    let w0: UInt64
    let w1: UInt64
    let w2: UInt32

    /// Builds an id from its 20 raw bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 20 else { return nil }
        self = bytes.withUnsafeBytes { ObjectID(raw: $0) }
    }

    init(raw: UnsafeRawBufferPointer) {
        var a: UInt64 = 0, b: UInt64 = 0, c: UInt32 = 0
        for i in 0..<8 { a = a << 8 | UInt64(raw[i]) }
        for i in 8..<16 { b = b << 8 | UInt64(raw[i]) }
        for i in 16..<20 { c = c << 8 | UInt32(raw[i]) }
        w0 = a; w1 = b; w2 = c
    }

    init(_ oid: git_oid) {
        var copy = oid
        self = withUnsafeBytes(of: &copy.id) { ObjectID(raw: $0) }
    }

    init(pointer: UnsafePointer<git_oid>) {
        self.init(pointer.pointee)
    }

    /// The 20 raw bytes.
    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 20)
        for i in 0..<8 { out[i] = UInt8(truncatingIfNeeded: w0 >> (56 - 8 * UInt64(i))) }
        for i in 0..<8 { out[8 + i] = UInt8(truncatingIfNeeded: w1 >> (56 - 8 * UInt64(i))) }
        for i in 0..<4 { out[16 + i] = UInt8(truncatingIfNeeded: w2 >> (24 - 8 * UInt32(i))) }
        return out
    }

    /// Parses a full 40-character hexadecimal object name.
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 40 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(20)
        var i = 0
        while i < 40 {
            guard let hi = ObjectID.nibble(utf8[i]), let lo = ObjectID.nibble(utf8[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        self = out.withUnsafeBytes { ObjectID(raw: $0) }
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }

    /// Lowercase hexadecimal form, 40 characters.
    public var hex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(40)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
        (lhs.w0, lhs.w1, lhs.w2) < (rhs.w0, rhs.w1, rhs.w2)
    }

    var oid: git_oid {
        var oid = git_oid()
        let b = bytes
        withUnsafeMutableBytes(of: &oid.id) { dst in
            for i in 0..<min(20, dst.count) { dst[i] = b[i] }
        }
        return oid
    }
}

/// An author or committer identity with its time and UTC offset.
public struct Signature: Sendable, Equatable {
    public var name: String
    public var email: String
    public var time: Date
    /// Offset from UTC in minutes (e.g. 120 for +0200).
    public var offsetMinutes: Int

    public init(name: String, email: String, time: Date, offsetMinutes: Int = 0) {
        self.name = name
        self.email = email
        self.time = time
        self.offsetMinutes = offsetMinutes
    }

    init(_ sig: UnsafePointer<git_signature>) {
        name = sig.pointee.name.map { lossyString($0) } ?? ""
        email = sig.pointee.email.map { lossyString($0) } ?? ""
        time = Date(timeIntervalSince1970: TimeInterval(sig.pointee.when.time))
        offsetMinutes = Int(sig.pointee.when.offset)
    }

    /// `Name <email> 1234567890 +0100`, as in a commit or tag header.
    var rawHeaderValue: String {
        let seconds = Int64(time.timeIntervalSince1970.rounded(.down))
        let sign = offsetMinutes < 0 ? "-" : "+"
        let abs = Swift.abs(offsetMinutes)
        let tz = sign + String(format: "%02d%02d", abs / 60, abs % 60)
        return "\(sanitize(name)) <\(sanitize(email))> \(seconds) \(tz)"
    }

    private func sanitize(_ s: String) -> String {
        String(s.filter { $0 != "<" && $0 != ">" && $0 != "\n" })
    }
}

/// Decodes a C string as UTF-8, replacing invalid sequences instead of failing.
func lossyString(_ cString: UnsafePointer<CChar>) -> String {
    let length = strlen(cString)
    return cString.withMemoryRebound(to: UInt8.self, capacity: length) {
        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }
}
