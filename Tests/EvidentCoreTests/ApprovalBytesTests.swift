import Foundation
import Testing
@testable import EvidentCore

/// `approve` changes the approval block and nothing else: every byte outside it stays as written.
struct ApprovalBytesTests {
    static let body = "# A comment at the top\nkind: defect   # trailing comment\nid: DEF-7\ntitle:    Odd   spacing\nstatus: in-review\nanalysis:\n     state: resolved\n     notes: |\n        kept\n        as is\n# a comment between\nowner:   a@example.com\n"
    static let oldApproval = "approval:\n  by: old@example.com\n  date: 2026-01-01\n  digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n"

    /// The text with its `approval:` block (the key line and its indented lines) removed.
    static func withoutApproval(_ text: String) -> String {
        let newline = text.contains("\r\n") ? "\r\n" : "\n"
        var lines = text.components(separatedBy: newline)
        if let start = lines.firstIndex(where: { $0.hasPrefix("approval:") }) {
            var end = start + 1
            while end < lines.count, lines[end].hasPrefix(" ") { end += 1 }
            lines.removeSubrange(start..<end)
        }
        return lines.joined(separator: newline)
    }

    static let cases: [(String, String)] = {
        let crlfBody: String = body.replacingOccurrences(of: "\n", with: "\r\n")
        let noNewline: String = String(body.dropLast())
        let middle: String = "kind: defect\nid: DEF-7\n" + oldApproval + "title: T\nstatus: in-review\nowner: a@example.com\n"
        let lastNoNewline: String = body + String(oldApproval.dropLast())
        let approvalCRLF: String = (body + oldApproval).replacingOccurrences(of: "\n", with: "\r\n")
        let bom: String = "\u{FEFF}" + body
        return [
            ("comments-and-indentation", body), ("crlf", crlfBody), ("no-trailing-newline", noNewline),
            ("existing-approval-in-the-middle", middle), ("existing-approval-last-no-newline", lastNoNewline),
            ("existing-approval-crlf", approvalCRLF), ("byte-order-mark", bom),
        ]
    }()

    @Test(arguments: cases)
    func approveChangesOnlyTheApprovalBlock(name: String, text: String) throws {
        let (updated, digest) = try ApprovalWriter.apply(to: text, by: "rev@example.com", date: "2026-06-01")
        let original = Self.withoutApproval(text)
        let after = Self.withoutApproval(updated)
        // Appending a block to a file whose last line had no newline must add one separator, no more.
        #expect(after == original || after == original + (text.contains("\r\n") ? "\r\n" : "\n"), "\(name): bytes outside the approval block changed")
        #expect(updated.contains("digest: \(digest)"))
        #expect(updated.hasSuffix("\n") == text.hasSuffix("\n") || !text.contains("approval:"), "\(name): final newline changed")
        #expect(Array(updated.utf8.prefix(3)) == Array(text.utf8.prefix(3)))
        let node = try #require(YAMLLoader.load(Data(updated.utf8)).root)
        #expect(Record(path: "r.yaml", node: node).approvalIsCurrent)
    }

    @Test func approveKeepsTheFileMode() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("evident-approve-mode-\(UUID().uuidString.prefix(8))")
        let url = root.appendingPathComponent("security/r.yaml")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(Self.body.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: url.path)
        let node = try #require(YAMLLoader.load(Data(Self.body.utf8)).root)
        _ = try ProjectSetup(root: root).approve(record: Record(path: "security/r.yaml", node: node), by: "rev@example.com", date: "2026-06-01")
        let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o640)
    }
}
