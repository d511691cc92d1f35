import Testing
@testable import EvidentCore

/// `RepositoryPath.normalize` returns a path that is already normal as it is (a byte scan); the
/// split-and-join form is the reference, and both must agree on every path, odd ones included.
struct RepositoryPathTests {
    /// The reference: the absolute and drive-letter refusals, then `segmentsNormalized` (split on
    /// `/`, drop empty and `.` segments, `..` takes the one before) for every path.
    static func reference(_ path: String) -> String? {
        if path.hasPrefix("/") || path.hasPrefix("\\") { return nil }
        if path.count >= 2, path.dropFirst().first == ":" { return nil }
        return RepositoryPath.segmentsNormalized(path)
    }

    @Test func theByteScanAgreesWithSplittingOnEveryPath() {
        let pieces = ["a", "bc", ".", "..", "...", ".a", "a.", "/", "//", "\\", ":", "\u{301}", "é", "C:", " "]
        var generator = SystemRandomNumberGenerator()
        var paths = ["", "a", "a/b", "a/./b", "a/../b", "../a", "a/..", "a//b", "a/", "./a", "security/defects/DEF-1.yaml", "a/\u{301}b", "a/.../b"]
        for _ in 0..<20_000 {
            paths.append((0..<Int.random(in: 1...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        for path in paths {
            #expect(RepositoryPath.normalize(path) == Self.reference(path), "\(path.debugDescription)")
        }
        #expect(RepositoryPath.isNormal("security/defects/DEF-1.yaml"))
        #expect(!RepositoryPath.isNormal("security//defects") && !RepositoryPath.isNormal("./a") && !RepositoryPath.isNormal("a/.."))
    }
}
