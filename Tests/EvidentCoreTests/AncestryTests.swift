import Foundation
import GitKit
import Testing
@testable import EvidentCore

/// Ancestry asked many times about one release (fix-not-in-release over many defects) is answered
/// from one walk of the release's history: the answers are git's.
struct AncestryTests {
    @Test func manyQuestionsAboutOneCommitAgreeWithGit() throws {
        let fixture = try GitRuleFixture()
        for index in 0..<12 {
            try fixture.commit("c\(index)", by: "dev@example.com", ["src/f.c": "int v = \(index);\n"])
        }
        let facts = try RepositoryFacts(repository: fixture.repository, recordsRoot: "security", tip: fixture.ids["c11"],
                                        currentBlobs: [:], identities: [])
        for descendant in ["c5", "c11"] {
            for ancestor in (0..<12).map({ "c\($0)" }) {
                let git = Process()
                git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
                git.arguments = ["-C", fixture.root.path, "merge-base", "--is-ancestor", fixture.hex(ancestor), fixture.hex(descendant)]
                git.environment = ["GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "HOME": fixture.root.path]
                try git.run()
                git.waitUntilExit()
                #expect(facts.isAncestor(fixture.hex(ancestor), of: fixture.hex(descendant)) == (git.terminationStatus == 0),
                        "\(ancestor) ancestor of \(descendant)")
            }
        }
        #expect(facts.isAncestor("not a commit", of: fixture.hex("c11")) == false)
    }
}
