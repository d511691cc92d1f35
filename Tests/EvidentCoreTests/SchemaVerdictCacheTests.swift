import Foundation
import Testing
@testable import EvidentCore

/// The schema verdict cache keeps the findings of records that failed: a second run reports the
/// same findings without validating, and a damaged file is ignored, never trusted in part.
struct SchemaVerdictCacheTests {
    static let invalid = "kind: defect\nid: DEF-1\ntitle: A\nstatus: draft\nowner: a@example.com\nversion: 50\nseverity: \"high\\tish\"\n"

    static func project(cache directory: String) throws -> Project {
        var project = try Project.load(from: MemorySource([".evident.yml": RuleExample.defaultConfig, "security/d.yaml": invalid]),
                                       catalog: try Catalog.standard(), today: "2026-06-01", hashBlobs: true)
        project.schemaCache = SchemaVerdictCache(directory: directory)
        return project
    }

    @Test func findingsOfAFailedRecordComeBackFromTheCache() throws {
        let directory = try CacheFolder.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = SchemaRule().check(try Self.project(cache: directory))
        #expect(!first.isEmpty)
        let file = directory + "/schema-findings.txt"
        #expect(FileManager.default.fileExists(atPath: file))
        let again = SchemaRule().check(try Self.project(cache: directory))
        #expect(again == first)
        // The second run read them from the file: a message changed there is the one reported.
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "unknown field 'version'", with: "unknown field 'version' (from the cache)")
        try edited.write(toFile: file, atomically: true, encoding: .utf8)
        let cached = SchemaRule().check(try Self.project(cache: directory))
        #expect(cached.contains { $0.message.hasPrefix("unknown field 'version' (from the cache)") }, "\(cached.map(\.message))")
        // A damaged line (an unknown escape) makes the whole file unread: validated afresh, so the
        // edited message above (still in the file) is not reported.
        try (edited + "0123456789012345678901234567890123456789\t1\t1\tbad \\q escape\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(SchemaRule().check(try Self.project(cache: directory)) == first)
    }

    @Test(arguments: ["plain", "tab\there", "new\nline", "back\\slash", "\\t literally", "ends with \\", "cr\r\n"])
    func messagesSurviveTheFile(message: String) {
        #expect(CacheText.unescape(CacheText.escape(message).utf8) == message)
        // Escaped byte by byte: no tab or line break is left, a CR LF pair (one Character) included.
        #expect(!CacheText.escape(message).utf8.contains { $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") })
    }
}
