import EvidentCore
import Foundation
import Testing
@testable import EvidentBundle

/// The bundle's record pages show each approval over time, at the commits git names for the file.
@Suite struct ApprovalHistoryBundleTests {
    /// `git log --format=%H -- PATH` at a revision, from the git CLI (the oracle).
    static func gitLog(_ directory: URL, _ revision: String, _ path: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory.path, "log", "--format=%H", revision, "--", path]
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func recordPagesListTheApprovalsAtTheirCommits() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let workspace = try Demo.build(in: scratch)
        _ = try Demo.export(workspace, to: scratch.path("bundle.zip"), rev: "HEAD")
        let entries = Dictionary(try ZipCraft.entries(of: scratch.path("bundle.zip")), uniquingKeysWith: { a, _ in a })
        let page = String(decoding: try #require(entries["pages/REL-2.3.1.html"]), as: UTF8.self)
        #expect(page.contains("<h2>Approval history</h2>"))
        // The gate was written approved in one commit, the tagged one: that commit is the approval.
        let commits = try Self.gitLog(scratch.url.appendingPathComponent("demo"), "HEAD", "security/releases/REL-2.3.1.yaml")
        #expect(commits.count == 1)
        let commit = try #require(commits.first)
        #expect(page.contains("<td>approved</td><td>alice@example.com</td><td>2026-04-20</td>"), "\(page)")
        #expect(page.contains("<code>\(commit.prefix(12))</code>"))
        // The coding standard, changed by the periodic review's action after its first approval and
        // approved again, lists both approvals.
        let coding = String(decoding: try #require(entries["pages/GL-CODING.html"]), as: UTF8.self)
        let section = try #require(coding.components(separatedBy: "<h2>Approval history</h2>").last?.components(separatedBy: "</table>").first)
        let rows = section.components(separatedBy: "<tr>").filter { $0.contains("<td>approved</td>") }
        #expect(rows.count >= 2, "\(section)")
        let history = try Self.gitLog(scratch.url.appendingPathComponent("demo"), "HEAD", "security/guidelines/GL-CODING.yaml")
        for row in rows {
            #expect(history.contains { row.contains("<code>\($0.prefix(12))</code>") }, "\(row)")
        }
    }
}
