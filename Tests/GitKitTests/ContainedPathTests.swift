import Foundation
import Testing
@testable import GitKit

struct ContainedPathTests {
    @Test func symlinksDotDotAndMissingComponents() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("contained-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        let repo = base + "/repo", outside = base + "/outside"
        try FileManager.default.createDirectory(atPath: repo + "/inner", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: repo + "/out", withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(atPath: repo + "/rel", withDestinationPath: "../outside/x")
        try FileManager.default.createSymbolicLink(atPath: repo + "/in", withDestinationPath: "inner")
        try FileManager.default.createSymbolicLink(atPath: repo + "/loop", withDestinationPath: "loop")
        #expect(ContainedPath.isInside(repo + "/inner/new/file.yaml", folder: repo))
        #expect(ContainedPath.isInside(repo + "/in/file.yaml", folder: repo))
        #expect(!ContainedPath.isInside(repo + "/out/file.yaml", folder: repo))
        #expect(!ContainedPath.isInside(repo + "/rel", folder: repo))
        #expect(!ContainedPath.isInside(repo + "/../outside/file", folder: repo))
        #expect(!ContainedPath.isInside(repo + "/inner/../../outside", folder: repo))
        // `..` after a symlink goes to the parent of the link's target, as the kernel does.
        #expect(ContainedPath.resolve(repo + "/in/../inner") == ContainedPath.resolve(repo) + "/inner")
        #expect(ContainedPath.resolve(repo + "/out/../repo") == ContainedPath.resolve(repo))
        #expect(!ContainedPath.isInside(repo + "-sibling/file", folder: repo))
        // A link to itself does not hang.
        _ = ContainedPath.resolve(repo + "/loop/x")
    }
}
