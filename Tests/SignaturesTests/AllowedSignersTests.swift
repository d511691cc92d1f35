import Foundation
@testable import Signatures
import Testing

@Suite struct AllowedSignersTests {
    static let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHQ6pXmqkUoPasu0JHPNDv7iFTeDkaF/x7Yrpx6LOr8t"

    @Test func badLinesAreReportedWithTheirNumbersAndTheRestKept() throws {
        let text = """
        # team signers
        alice@example.org \(Self.key) alice laptop

        bob@example.org cert-authority \(Self.key)
        carol@example.org
        dave@example.org ssh-ed25519 !!notbase64!!
        erin@example.org valid-after="2024-01-01" \(Self.key)
        frank@example.org nonsense-option \(Self.key)
        gina@example.org ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDGq1nPy2Ox0Ar0=
        "quoted name@example.org,*@ops.example" namespaces="git,file",valid-before="20300101Z" \(Self.key)
        """
        let signers = AllowedSigners(text: text)
        #expect(signers.entries.map(\.line) == [2, 10])
        #expect(signers.problems.map(\.line) == [4, 5, 6, 7, 8, 9])
        #expect(signers.problems[0].message.contains("cert-authority"))
        #expect(signers.problems[3].message.contains("valid-after"))
        #expect(signers.problems[4].message.contains("nonsense-option"))
        let last = try #require(signers.entries.last)
        #expect(last.allows(principal: "quoted name@example.org"))
        #expect(last.allows(principal: "x@ops.example"))
        #expect(!last.allows(principal: "x@example.org"))
        #expect(last.allows(namespace: "git") && !last.allows(namespace: "email"))
        #expect(last.validBefore == Date(timeIntervalSince1970: 1_893_456_000))
    }

    @Test(arguments: [
        ("alice@example.org", "*@example.org", true), ("alice@example.org", "*@example.org,!alice@example.org", false),
        ("a", "?", true), ("ab", "?", false), ("", "*", true), ("abc", "a*c", true), ("abd", "a*c", false),
        (String(repeating: "a", count: 4000), String(repeating: "*a", count: 30) + "b", false),
    ])
    func patternsMatchLikeOpenSSH(text: String, pattern: String, expected: Bool) {
        #expect(Pattern.matchList(text, pattern) == expected)
    }

    @Test func hostileTextNeverCrashes() {
        for text in ["\"", "\"unterminated ssh-ed25519 AAAA", "a b c d e f", String(repeating: "\"", count: 1000), "p o=\"x", "\u{0}\u{1} ssh-ed25519 ="] {
            let signers = AllowedSigners(text: text)
            #expect(signers.entries.isEmpty)
        }
    }
}
