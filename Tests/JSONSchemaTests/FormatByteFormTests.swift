import Foundation
import Testing
@testable import JSONSchema

/// The email and hostname formats take ASCII text byte by byte; the Character-wise forms are the
/// reference. Both must agree on every string of the official suite's email and hostname tests
/// (idn variants included) and on random strings of the characters these checks care about.
struct FormatByteFormTests {
    static func suiteStrings() throws -> [String] {
        guard let suite = Corpora.folder("json-schema-test-suite") else { return [] }
        var strings: [String] = []
        for dialect in ["draft2020-12", "draft7"] {
            for file in ["email", "hostname", "idn-email", "idn-hostname"] {
                let url = suite.appendingPathComponent("tests/\(dialect)/optional/format/\(file).json")
                guard let data = FileManager.default.contents(atPath: url.path) else { continue }
                for group in try JSONValue.parse(data).arrayValue ?? [] {
                    for test in group["tests"]?.arrayValue ?? [] { if let text = test["data"]?.stringValue { strings.append(text) } }
                }
            }
        }
        return strings
    }

    @Test func theByteFormsAgreeWithTheCharacterForms() throws {
        let suite = try Self.suiteStrings()
        #expect(suite.count > 100, "suite strings: \(suite.count)")
        let pieces = ["a", "Z", "0", "-", ".", "..", "@", "\"", "[", "]", "xn--", "ab--c", "_", "+", "!", " ", "\r\n", "é", ":", "IPv6:", "1.2.3.4", String(repeating: "a", count: 64)]
        var generator = SystemRandomNumberGenerator()
        var random: [String] = []
        for _ in 0..<20_000 {
            random.append((0..<Int.random(in: 1...7, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        for text in suite + random + ["someone@example.com", "a@b", "a..b@c.d", "\"q\"@x.org", "x@[1.2.3.4]", "x@ab--cd.com", "x@XN--ab.com"] {
            #expect(FormatChecker.isEmail(text) == FormatChecker.isEmailByCharacters(text), "email \(text.debugDescription)")
            #expect(FormatChecker.isHostname(text) == FormatChecker.isHostnameByCharacters(text), "hostname \(text.debugDescription)")
        }
    }
}
