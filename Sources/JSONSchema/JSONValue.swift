import Foundation

/// A JSON value as the validator sees it: objects keep their key order, numbers keep their exact value.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The JSON Schema type name of this value ("integer" is reported for integral numbers).
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number(let n): return n.isInteger ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var numberValue: JSONNumber? {
        if case .number(let n) = self { return n }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// Equality per JSON Schema: strings compare code point by code point (Swift's `String`
    /// equality would merge canonically equivalent strings), numbers by value (1 == 1.0).
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a.utf8.elementsEqual(b.utf8)
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(1); hasher.combine(b)
        case .number(let n): hasher.combine(2); hasher.combine(n)
        case .string(let s):
            hasher.combine(3)
            var copy = s
            copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            hasher.combine(0xFF as UInt8)
        case .array(let a): hasher.combine(4); hasher.combine(a)
        case .object(let o): hasher.combine(5); hasher.combine(o)
        }
    }

    /// Looks a key up when this is an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }
}

/// A JSON object that preserves the order of its keys and looks keys up quickly.
public struct JSONObject: Hashable, Sendable, Sequence {
    public private(set) var keys: [String]
    public private(set) var values: [JSONValue]
    private var index: [String: Int]?

    private static let indexThreshold = 12

    /// Builds an object; a repeated key keeps its first position and its last value.
    public init(_ pairs: [(String, JSONValue)]) {
        self.init(keys: pairs.map { $0.0 }, values: pairs.map { $0.1 })
    }

    init(keys: [String], values: [JSONValue]) {
        if keys.count > JSONObject.indexThreshold {
            var index = [String: Int](minimumCapacity: keys.count)
            var uniqueKeys: [String] = []
            var uniqueValues: [JSONValue] = []
            uniqueKeys.reserveCapacity(keys.count)
            uniqueValues.reserveCapacity(keys.count)
            for (key, value) in zip(keys, values) {
                if let existing = index[key] {
                    uniqueValues[existing] = value
                } else {
                    index[key] = uniqueKeys.count
                    uniqueKeys.append(key)
                    uniqueValues.append(value)
                }
            }
            self.keys = uniqueKeys
            self.values = uniqueValues
            self.index = index
        } else if !JSONObject.hasRepeatedKey(keys) {
            // The usual case: no repeated key, keep the arrays as they are.
            self.keys = keys
            self.values = values
            self.index = nil
        } else {
            var uniqueKeys: [String] = []
            var uniqueValues: [JSONValue] = []
            for (key, value) in zip(keys, values) {
                if let existing = uniqueKeys.firstIndex(of: key) {
                    uniqueValues[existing] = value
                } else {
                    uniqueKeys.append(key)
                    uniqueValues.append(value)
                }
            }
            self.keys = uniqueKeys
            self.values = uniqueValues
            self.index = nil
        }
    }

    private static func hasRepeatedKey(_ keys: [String]) -> Bool {
        guard keys.count > 1 else { return false }
        for i in 1..<keys.count {
            for j in 0..<i where keys[j] == keys[i] { return true }
        }
        return false
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public subscript(key: String) -> JSONValue? {
        if let index {
            guard let i = index[key] else { return nil }
            return values[i]
        }
        for i in keys.indices where keys[i] == key {
            return values[i]
        }
        return nil
    }

    public func makeIterator() -> Zip2Sequence<[String], [JSONValue]>.Iterator {
        zip(keys, values).makeIterator()
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (key, value) in lhs {
            guard let other = rhs[key], other == value else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // Key order does not matter for equality, so combine the pairs order-independently.
        var sum = 0
        for (key, value) in self {
            var pairHasher = Hasher()
            pairHasher.combine(key)
            pairHasher.combine(value)
            sum = sum &+ pairHasher.finalize()
        }
        hasher.combine(count)
        hasher.combine(sum)
    }
}

/// A JSON number kept exactly (integers of any size, decimals as digits and exponent) plus a Double.
public struct JSONNumber: Hashable, Sendable, CustomStringConvertible {
    enum Exact: Hashable, Sendable {
        case int(Int64)
        /// Canonical decimal: value = (negative ? -1 : 1) * digits * 10^exponent, digits without
        /// leading or trailing zeros.
        case decimal(negative: Bool, digits: String, exponent: Int)
    }

    let exact: Exact
    /// The nearest Double (may be infinite for huge values).
    public let double: Double

    public init(_ value: Int) {
        exact = .int(Int64(value))
        double = Double(value)
    }

    public init(_ value: Double) {
        if value.isFinite, value == value.rounded(), abs(value) < 9.0e18 {
            exact = .int(Int64(value))
        } else if let parsed = JSONNumber(text: "\(value)") {
            self = parsed
            return
        } else {
            exact = .decimal(negative: value < 0, digits: "0", exponent: 0)
        }
        double = value
    }

    init(int: Int64) {
        exact = .int(int)
        double = Double(int)
    }

    /// Parses the lexical form of a JSON number; nil when it is not one.
    public init?(text: String) {
        var negative = false
        var digits: [UInt8] = []
        var exponent = 0
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        var sawDigit = false
        while let b = bytes.first, b >= 48, b <= 57 {
            digits.append(b)
            sawDigit = true
            bytes = bytes.dropFirst()
        }
        guard sawDigit else { return nil }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            var sawFraction = false
            while let b = bytes.first, b >= 48, b <= 57 {
                digits.append(b)
                exponent -= 1
                sawFraction = true
                bytes = bytes.dropFirst()
            }
            guard sawFraction else { return nil }
        }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            var expNegative = false
            if let s = bytes.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") {
                expNegative = s == UInt8(ascii: "-")
                bytes = bytes.dropFirst()
            }
            var value = 0
            var sawExp = false
            while let b = bytes.first, b >= 48, b <= 57 {
                // Clamp: an exponent beyond a billion is as good as infinite here.
                if value < 1_000_000_000 { value = value * 10 + Int(b - 48) }
                sawExp = true
                bytes = bytes.dropFirst()
            }
            guard sawExp else { return nil }
            exponent += expNegative ? -value : value
        }
        guard bytes.isEmpty else { return nil }
        // Canonicalise: strip leading zeros, move trailing zeros into the exponent.
        var start = 0
        while start < digits.count - 1, digits[start] == 48 { start += 1 }
        var end = digits.count
        while end > start + 1, digits[end - 1] == 48 {
            end -= 1
            exponent += 1
        }
        let core = digits[start..<end]
        double = Double(text) ?? (negative ? -Double.infinity : Double.infinity)
        if core.count == 1, core.first == 48 {
            exact = .int(0)
            return
        }
        if exponent >= 0, core.count + exponent <= 18 {
            var value: Int64 = 0
            for d in core { value = value * 10 + Int64(d - 48) }
            for _ in 0..<exponent { value *= 10 }
            exact = .int(negative ? -value : value)
            return
        }
        exact = .decimal(negative: negative, digits: String(decoding: core, as: UTF8.self), exponent: exponent)
    }

    /// True when the value is mathematically an integer (1.0 and 1e3 are integers).
    public var isInteger: Bool {
        switch exact {
        case .int: return true
        case .decimal(_, _, let exponent): return exponent >= 0
        }
    }

    /// The value as Int64 when it is an integer that fits.
    public var int64Value: Int64? {
        if case .int(let v) = exact { return v }
        return nil
    }

    public var description: String {
        switch exact {
        case .int(let v): return String(v)
        case .decimal(let negative, let digits, let exponent):
            let sign = negative ? "-" : ""
            if exponent >= 0, exponent < 20 {
                return sign + digits + String(repeating: "0", count: exponent)
            }
            if exponent < 0, -exponent < digits.count {
                let cut = digits.index(digits.endIndex, offsetBy: exponent)
                return sign + digits[..<cut] + "." + digits[cut...]
            }
            if exponent < 0, -exponent - digits.count < 6 {
                return sign + "0." + String(repeating: "0", count: -exponent - digits.count) + digits
            }
            return sign + digits + "e" + String(exponent)
        }
    }

    /// Compares two numbers; exact for integers, through Double otherwise.
    static func compare(_ a: JSONNumber, _ b: JSONNumber) -> Int {
        if case .int(let x) = a.exact, case .int(let y) = b.exact {
            return x < y ? -1 : (x > y ? 1 : 0)
        }
        if a == b { return 0 }
        if a.double < b.double { return -1 }
        if a.double > b.double { return 1 }
        // Same Double but different exact values: order by the exact decimal.
        return JSONNumber.compareExact(a, b)
    }

    private static func compareExact(_ a: JSONNumber, _ b: JSONNumber) -> Int {
        let (an, ad, ae) = a.decimalParts
        let (bn, bd, be) = b.decimalParts
        if an != bn { return an ? -1 : 1 }
        let magnitude: Int
        let aMag = ad.count + ae
        let bMag = bd.count + be
        if ad == "0" || bd == "0" {
            magnitude = ad == "0" ? (bd == "0" ? 0 : -1) : 1
        } else if aMag != bMag {
            magnitude = aMag < bMag ? -1 : 1
        } else {
            let ac = Array(ad.utf8), bc = Array(bd.utf8)
            var result = 0
            for i in 0..<max(ac.count, bc.count) {
                let x = i < ac.count ? ac[i] : 48
                let y = i < bc.count ? bc[i] : 48
                if x != y { result = x < y ? -1 : 1; break }
            }
            magnitude = result
        }
        return an ? -magnitude : magnitude
    }

    var decimalParts: (negative: Bool, digits: String, exponent: Int) {
        switch exact {
        case .decimal(let n, let d, let e): return (n, d, e)
        case .int(let v):
            if v == 0 { return (false, "0", 0) }
            var digits = String(v.magnitude)
            var exponent = 0
            while digits.hasSuffix("0") {
                digits.removeLast()
                exponent += 1
            }
            return (v < 0, digits, exponent)
        }
    }
}
