import Foundation
import GitKit
import Signatures
import Testing

/// A real history (pre-commit-hooks, web commits signed by GitHub's OpenPGP key): for every commit evident's
/// letter equals `git log --format=%G?` (E or N without the key) and the issuer it names ends with git's `%GK`.
@Suite struct OpenPGPCorpusTests {
    static let bundle = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/corpora/git-histories/pre-commit-hooks.bundle").standardizedFileURL.path

    @Test func lettersAndIssuersEqualGitsOnARealHistory() throws {
        guard FileManager.default.fileExists(atPath: Self.bundle) else {
            print("note: \(Self.bundle) not found: the OpenPGP corpus comparison is skipped")
            return
        }
        let oracle = try Oracle()
        let repo = oracle.path("repo")
        try oracle.run("/usr/bin/git", ["clone", "-q", "--bare", Self.bundle, repo])
        let lines = try oracle.git(["log", "--format=%H %G? %GK"], in: repo).split(separator: "\n")
        #expect(lines.count > 1000)
        let repository = try Repository.open(at: repo)
        let checker = GitSignatureChecker(allowedSigners: AllowedSigners(text: ""))
        var signed = 0
        for line in lines {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard let id = ObjectID(hex: fields[0]) else { continue }
            let object = try repository.signedObject(id)
            let verdict = checker.verdict(payload: object.payload, signature: object.signature, time: object.time ?? Date())
            #expect(verdict.status.rawValue == fields[1], "\(fields[0]): \(verdict.reason)")
            if !fields[2].isEmpty {
                signed += 1
                #expect(verdict.key?.hasSuffix(fields[2]) == true, "\(fields[0]): \(verdict.key ?? "no key") vs \(fields[2])")
            }
        }
        #expect(signed > 100)
    }
}
