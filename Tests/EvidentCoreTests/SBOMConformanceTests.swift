import Foundation
import Testing
@testable import EvidentCore
import GitKit

/// The `sbom-document` rule against real SBOMs: the demo's validates, and with `sbom-schemas`
/// naming the official CycloneDX or SPDX schema each corpus file gets the verdict Python
/// `jsonschema` gives (Fixtures/sbom/verdicts.tsv, or the TSV named by EVIDENT_SBOM_VERDICTS).
struct SBOMConformanceTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpora = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora")

    static func load(_ files: [String: Data]) throws -> Project {
        try Project.load(from: MemorySource(data: files), catalog: try Catalog.standard(), today: "2026-06-01")
    }

    @Test func demoSBOMValidates() throws {
        let folder = Self.packageRoot.appendingPathComponent("demo/files/security/sbom")
        var files: [String: Data] = [".evident.yml": Data(RuleExample.defaultConfig.utf8)]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files["security/sbom/\(name)"] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        let project = try Self.load(files)
        #expect(project.records.contains { $0.kind == "sbom" })
        let findings = SBOMDocumentRule().check(project) + SBOMComponentRule().check(project)
        #expect(findings.isEmpty, "\(findings.map { "\($0.path):\($0.line):\($0.column) \($0.message)" })")
    }

    @Test func errorsNameTheSBOMFileLineAndRecord() throws {
        let bom = "{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.5\",\n  \"components\": [\n    {\"name\": \"zlib\", \"version\": 1}\n  ]\n}\n"
        let project = try Self.load([".evident.yml": Data(RuleExample.defaultConfig.utf8),
                                     "security/a.yaml": Data(SBOMDocumentRule.record.utf8), "sbom/gateway.cdx.json": Data(bom.utf8)])
        let findings = SBOMDocumentRule().check(project)
        #expect(!findings.isEmpty)
        #expect(findings.allSatisfy { $0.path == "sbom/gateway.cdx.json" && $0.record == "SBOM-1" && $0.message.contains("SBOM-1") })
        #expect(findings.contains { $0.line == 5 && $0.message.contains("/components/0") })
    }

    @Test func aDocumentSharedByManyRecordsIsReportedOnce() throws {
        let bom = "{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.5\",\n  \"components\": [\n    {\"name\": \"zlib\", \"version\": 1}\n  ]\n}\n"
        var files: [String: Data] = [".evident.yml": Data(RuleExample.defaultConfig.utf8), "sbom/gateway.cdx.json": Data(bom.utf8)]
        for n in 1...5 {
            files["security/s\(n).yaml"] = Data(SBOMDocumentRule.record.replacingOccurrences(of: "SBOM-1", with: "SBOM-\(n)").utf8)
        }
        let one = try Self.load([".evident.yml": files[".evident.yml"]!, "sbom/gateway.cdx.json": Data(bom.utf8),
                                 "security/s1.yaml": files["security/s1.yaml"]!])
        let single = SBOMDocumentRule().check(one)
        let shared = SBOMDocumentRule().check(try Self.load(files))
        // The same errors at the same places, once, naming the records the document serves.
        #expect(!single.isEmpty)
        #expect(shared.map(\.line) == single.map(\.line))
        #expect(shared.allSatisfy { $0.message.contains("records SBOM-1, SBOM-2, SBOM-3 and 2 more") && $0.record == "SBOM-1" })
    }

    @Test func symlinkedDocumentIsRefused() throws {
        let manager = FileManager.default
        let scratch = manager.temporaryDirectory.appendingPathComponent("evident-sbom-link-\(UUID().uuidString)")
        defer { try? manager.removeItem(at: scratch) }
        try manager.createDirectory(at: scratch.appendingPathComponent("security"), withIntermediateDirectories: true)
        try manager.createDirectory(at: scratch.appendingPathComponent("sbom"), withIntermediateDirectories: true)
        try Data(RuleExample.defaultConfig.utf8).write(to: scratch.appendingPathComponent(".evident.yml"))
        try Data(SBOMDocumentRule.record.utf8).write(to: scratch.appendingPathComponent("security/a.yaml"))
        try Data(SBOMDocumentRule.cyclonedx().utf8).write(to: scratch.appendingPathComponent("real.json"))
        try manager.createSymbolicLink(atPath: scratch.appendingPathComponent("sbom/gateway.cdx.json").path, withDestinationPath: "../real.json")
        let project = try Project.load(from: WorkingTreeSource(root: scratch), catalog: try Catalog.standard(), today: "2026-06-01")
        let findings = SBOMDocumentRule().check(project)
        #expect(findings.count == 1)
        #expect(findings.first?.path == "security/a.yaml")
        #expect(findings.first?.line == 6)
        #expect(findings.first?.message.contains("symlink") == true)
    }

    /// Runs git (the CLI, as an oracle-side helper) with a fixed identity and no global config.
    static func git(_ arguments: [String], in dir: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"] + arguments
        process.currentDirectoryURL = dir
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        environment["GIT_AUTHOR_DATE"] = "2026-01-01T00:00:00Z"
        environment["GIT_COMMITTER_DATE"] = "2026-01-01T00:00:00Z"
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git \(arguments)")
    }

    @Test func stagedAndCommittedContentIsJudged() throws {
        let manager = FileManager.default
        let scratch = manager.temporaryDirectory.appendingPathComponent("evident-sbom-git-\(UUID().uuidString)")
        defer { try? manager.removeItem(at: scratch) }
        try manager.createDirectory(at: scratch.appendingPathComponent("security"), withIntermediateDirectories: true)
        try manager.createDirectory(at: scratch.appendingPathComponent("sbom"), withIntermediateDirectories: true)
        try Data(RuleExample.defaultConfig.utf8).write(to: scratch.appendingPathComponent(".evident.yml"))
        try Data(SBOMDocumentRule.record.utf8).write(to: scratch.appendingPathComponent("security/a.yaml"))
        let bom = scratch.appendingPathComponent("sbom/gateway.cdx.json")
        try Data(SBOMDocumentRule.cyclonedx().utf8).write(to: bom)
        try Self.git(["init", "-q", "-b", "main"], in: scratch)
        try Self.git(["add", "-A"], in: scratch)
        try Self.git(["commit", "-q", "-m", "sbom"], in: scratch)
        try Data("{ not json".utf8).write(to: bom)
        let repository = try Repository.open(at: scratch.path)
        func findings(_ source: any EvidenceSource) throws -> [Finding] {
            SBOMDocumentRule().check(try Project.load(from: source, catalog: try Catalog.standard(), today: "2026-06-01"))
        }
        #expect(try findings(WorkingTreeSource(root: scratch)).count == 1)
        #expect(try findings(IndexSource(repository: repository)).isEmpty)
        try Self.git(["add", "-A"], in: scratch)
        #expect(try findings(IndexSource(repository: repository)).count == 1)
        #expect(try findings(CommitSource(repository: repository, revision: "HEAD")).isEmpty)
    }

    /// One row of the verdict file: corpus-relative document and schema, Python's verdict.
    struct Row {
        var document: String
        var schema: String
        var verdict: String
    }

    static func rows() throws -> [Row] {
        let path = ProcessInfo.processInfo.environment["EVIDENT_SBOM_VERDICTS"]
            ?? packageRoot.appendingPathComponent("Tests/EvidentCoreTests/Fixtures/sbom/verdicts.tsv").path
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 3, !line.hasPrefix("#") else { return nil }
            return Row(document: fields[0], schema: fields[1], verdict: fields[2])
        }
    }

    @Test func corpusVerdictsMatchPythonJSONSchema() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: Self.corpora.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            print("sbom conformance: corpora not found at \(Self.corpora.path): skipped")
            return
        }
        let rows = try Self.rows()
        #expect(!rows.isEmpty)
        var passed = 0
        var failed = 0
        let manager = FileManager.default
        for (schema, group) in Dictionary(grouping: rows, by: \.schema).sorted(by: { $0.key < $1.key }) {
            let format = schema.hasPrefix("spdx/") ? "spdx" : "cyclonedx"
            // A scratch repository: the official schema folder, the documents, one record each.
            let scratch = manager.temporaryDirectory.appendingPathComponent("evident-sbom-\(UUID().uuidString)")
            defer { try? manager.removeItem(at: scratch) }
            let schemaFolder = Self.corpora.appendingPathComponent(schema).deletingLastPathComponent()
            try manager.createDirectory(at: scratch.appendingPathComponent("schemas"), withIntermediateDirectories: true)
            try manager.createDirectory(at: scratch.appendingPathComponent("security"), withIntermediateDirectories: true)
            try manager.createDirectory(at: scratch.appendingPathComponent("sbom"), withIntermediateDirectories: true)
            for name in try manager.contentsOfDirectory(atPath: schemaFolder.path) where name.hasSuffix(".json") {
                try manager.copyItem(at: schemaFolder.appendingPathComponent(name), to: scratch.appendingPathComponent("schemas/\(name)"))
            }
            let config = RuleExample.defaultConfig + "sbom-schemas:\n  \(format): schemas/\((schema as NSString).lastPathComponent)\n"
            try Data(config.utf8).write(to: scratch.appendingPathComponent(".evident.yml"))
            for (index, row) in group.enumerated() {
                try manager.copyItem(at: Self.corpora.appendingPathComponent(row.document), to: scratch.appendingPathComponent("sbom/\(index).json"))
                let record = """
                    kind: sbom
                    id: SBOM-\(index)
                    title: corpus document
                    status: draft
                    owner: a@example.com
                    document: sbom/\(index).json
                    format: \(format)
                    risk-handling: []

                    """
                try Data(record.utf8).write(to: scratch.appendingPathComponent("security/\(index).yaml"))
            }
            let project = try Project.load(from: WorkingTreeSource(root: scratch), catalog: try Catalog.standard(), today: "2026-06-01")
            let started = Date()
            let findings = SBOMDocumentRule().check(project)
            print("sbom conformance: \(schema): \(group.count) documents in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
            let invalid = Set(findings.compactMap(\.record))
            for (index, row) in group.enumerated() {
                // Python judges with the schema alone; evident also refuses versions it does not read.
                let expected = row.verdict == "valid" ? "valid" : "invalid"
                let ours = invalid.contains("SBOM-\(index)") ? "invalid" : "valid"
                if ours == expected {
                    passed += 1
                } else {
                    failed += 1
                    let why = findings.filter { $0.record == "SBOM-\(index)" }.prefix(3).map(\.message)
                    print("MISMATCH \(row.document): python \(row.verdict), evident \(ours) \(why)")
                }
            }
        }
        print("sbom conformance: \(passed) passed, \(failed) failed")
        #expect(failed == 0)
    }
}
