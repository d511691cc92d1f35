import Crypto
import Foundation
import Testing
@testable import EvidentCore

/// The SBOM verdict cache remembers documents that passed evident's built-in schema, by the SHA-256
/// of their bytes: a warm check trusts it for those exact bytes only, never for a schema the
/// repository configures, and ignores a damaged file.
struct SBOMVerdictCacheTests {
    static let invalid = SBOMDocumentRule.cyclonedx(component: #"{"name": "zlib", "version": 1.3}"#)
    static let strict = [
        ".evident.yml": RuleExample.defaultConfig + "sbom-schemas:\n  cyclonedx: schemas/strict.schema.json\n",
        "schemas/strict.schema.json": #"{"$id": "https://example.com/schemas/strict.schema.json", "$ref": "defs.json#/$defs/bom"}"#,
        "schemas/defs.json": #"{"$defs": {"bom": {"required": ["metadata"]}}}"#,
    ]

    static func findings(_ document: String, cache directory: String, extra: [String: String] = [:]) throws -> [Finding] {
        var files = [".evident.yml": RuleExample.defaultConfig, "security/sbom/a.yaml": SBOMDocumentRule.record, "sbom/gateway.cdx.json": document]
        files.merge(extra) { $1 }
        var project = try Project.load(from: MemorySource(files), catalog: try Catalog.standard(), today: "2026-06-01", hashBlobs: true)
        project.cacheDirectory = directory
        return SBOMDocumentRule().check(project)
    }

    static func key(_ document: String) -> String {
        "cyclonedx " + Hex.lowercase(SHA256.hash(data: Data(document.utf8)))
    }

    static func entries(_ directory: String) -> [String] {
        guard let text = try? String(contentsOfFile: directory + "/sbom-valid.txt", encoding: .utf8) else { return [] }
        return Array(text.split(separator: "\n").dropFirst().map(String.init))
    }

    @Test func aValidDocumentIsRememberedByItsBytes() throws {
        let directory = try CacheFolder.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let valid = SBOMDocumentRule.cyclonedx()
        #expect(try Self.findings(valid, cache: directory).isEmpty)
        #expect(Self.entries(directory) == [Self.key(valid)])
        #expect(try Self.findings(valid, cache: directory).isEmpty)
        // Other bytes are validated: the invalid document is reported, and is not remembered.
        let failed = try Self.findings(Self.invalid, cache: directory)
        #expect(!failed.isEmpty)
        #expect(Self.entries(directory).isEmpty, "only documents valid in the last run are kept")
    }

    @Test func theFileIsWhatAWarmCheckTrusts() throws {
        let directory = try CacheFolder.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try Self.findings(SBOMDocumentRule.cyclonedx(), cache: directory)
        let file = directory + "/sbom-valid.txt"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        // Proof that the file is read: an invalid document's key written there by hand is trusted...
        try (text + Self.key(Self.invalid) + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try Self.findings(Self.invalid, cache: directory).isEmpty)
        // ...but never for a schema the repository configures,
        try (text + Self.key(SBOMDocumentRule.cyclonedx()) + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(!(try Self.findings(SBOMDocumentRule.cyclonedx(), cache: directory, extra: Self.strict)).isEmpty)
        // ...and a damaged line makes the whole file unread.
        try (text + Self.key(Self.invalid) + "\nnot a key\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(!(try Self.findings(Self.invalid, cache: directory)).isEmpty)
    }
}
