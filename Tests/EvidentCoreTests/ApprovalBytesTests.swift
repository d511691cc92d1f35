import Foundation
import GitKit
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

    /// The text with the status value set to `approved`, by a plain string replacement the test trusts.
    static func statusApproved(_ text: String) -> String {
        text.replacingOccurrences(of: "status: in-review", with: "status: approved")
    }

    @Test(arguments: cases)
    func approvingChangesOnlyTheStatusValueAndTheApprovalBlock(name: String, text: String) throws {
        let (updated, digest) = try ApprovalText.approving(text, by: "rev@example.com", date: "2026-06-01T10:00:00Z")
        let original = Self.withoutApproval(Self.statusApproved(text))
        let after = Self.withoutApproval(updated)
        #expect(after == original || after == original + (text.contains("\r\n") ? "\r\n" : "\n"), "\(name): bytes outside status and approval changed")
        let node = try #require(YAMLLoader.load(Data(updated.utf8)).root)
        let record = Record(path: "r.yaml", node: node)
        #expect(record.isApprovedAndCurrent, "\(name)")
        #expect(record.approval?.date == "2026-06-01T10:00:00Z")
        #expect(record.approval?.digest == digest)
    }

    @Test(arguments: cases)
    func reopeningChangesOnlyTheStatusValueAndRemovesTheBlock(name: String, text: String) throws {
        let (approved, _) = try ApprovalText.approving(text, by: "rev@example.com", date: "2026-06-01T10:00:00Z")
        let reopened = try ApprovalText.reopening(approved, path: "r.yaml")
        #expect(Self.withoutApproval(reopened) == Self.withoutApproval(approved).replacingOccurrences(of: "status: approved", with: "status: in-review"), "\(name)")
        let node = try #require(YAMLLoader.load(Data(reopened.utf8)).root)
        #expect(node["approval"] == nil)
        #expect(node["status"]?.scalarString == "in-review")
    }

    static let statusForms: [(String, String)] = [
        ("status: draft\n", "status: approved\n"),
        ("status:   draft   # set by the author\n", "status:   approved   # set by the author\n"),
        ("status: \"draft\"\n", "status: approved\n"),
        ("status: 'in-review' # quoted\n", "status: approved # quoted\n"),
    ]

    @Test(arguments: statusForms)
    func statusValueIsReplacedInPlace(line: String, expected: String) throws {
        let text = "kind: defect\nid: DEF-7\ntitle: T\n" + line + "owner: a@example.com\n"
        let (updated, _) = try ApprovalText.approving(text, by: "rev@example.com", date: "2026-06-01T10:00:00Z")
        #expect(updated.hasPrefix("kind: defect\nid: DEF-7\ntitle: T\n" + expected + "owner: a@example.com\napproval:\n"), "\(updated)")
    }

    @Test func statusInAFlowMappingIsRefusedNotGuessed() {
        #expect(throws: ApprovalError.self) {
            try ApprovalText.approving("{kind: defect, id: DEF-7, title: T, status: draft, owner: a@example.com}\n", by: "r@example.com", date: "2026-06-01T10:00:00Z")
        }
    }

    @Test func reApprovalWithAFixedClockStillWritesANewDate() {
        #expect(ApprovalText.nextDate(now: "2026-06-01T00:00:00Z", after: nil) == "2026-06-01T00:00:00Z")
        #expect(ApprovalText.nextDate(now: "2026-06-01T00:00:00Z", after: "2026-05-01") == "2026-06-01T00:00:00Z")
        #expect(ApprovalText.nextDate(now: "2026-06-01T00:00:00Z", after: "2026-06-01T00:00:00Z") == "2026-06-01T00:00:01Z")
        #expect(ApprovalText.nextDate(now: "2026-06-01T00:00:00Z", after: "2026-12-31T23:59:59Z") == "2027-01-01T00:00:00Z")
        #expect(ApprovalText.nextDate(now: "2026-06-01T00:00:00Z", after: "2026-06-02") == "2026-06-02T00:00:01Z")
    }

    @Test func approveKeepsTheFileMode() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("evident-approve-mode-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        let repository = try Repository.create(at: root.path)
        _ = try ProjectSetup(root: root).initialize(product: "Mode test", force: false)
        let project = try Project.load(from: WorkingTreeSource(root: root), catalog: try Catalog.standard(), today: "2026-06-01")
        let path = try ProjectSetup(root: root).newRecord(kind: "threat-model", id: nil, title: "TM", owner: "a@example.com", today: "2026-06-01", project: project)
        let url = root.appendingPathComponent(path)
        // Filled in as a person would before approving: placeholders are errors in an approved record.
        let filled = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: #"Replace(?: with|:)?[^"\]\n]*"#, with: "Stated by the team", options: .regularExpression)
        try Data(filled.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: url.path)
        _ = try Workspace(repository: repository).approve(path, by: "rev@example.com", now: "2026-06-01T10:00:00Z", today: "2026-06-01")
        let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o640)
        #expect(String(decoding: try Data(contentsOf: url), as: UTF8.self).contains("status: approved\n"))
    }
}
