import Foundation
import Testing

/// `evident init`, `new`, `check` and `coverage` through the built binary: exit codes, output, positions.
@Suite(.serialized)
struct CheckEndToEndTests {
    func product() throws -> URL {
        let dir = try EvidentRun.scratch()
        try EvidentRun.git(["init", "-q"], in: dir)
        let result = try EvidentRun.run(["init", "--product", "Test gateway"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        return dir
    }

    func write(_ text: String, to path: String, in dir: URL) throws {
        let url = dir.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    @Test func brokenByHandGetsEachFindingAtItsLine() throws {
        let dir = try product()
        try write("kind: defect\nid: DEF-1\ntitle: A\nstatus: draft\nowner: a@example.com\ntitle: again\n", to: "security/a.yaml", in: dir)
        try write("kind: threat-model\nid: DEF-1\ntitle: B\nstatus: draft\nowner: a@example.com\nevidence-for: [SR-9]\n", to: "security/b.yaml", in: dir)
        try write("kind: defect\nid: DEF-3\ntags: [a, b\ntitle: C\n", to: "security/c.yaml", in: dir)
        let result = try EvidentRun.run(["check"], in: dir)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("security/a.yaml:6:1: error: [duplicate-key]") })
        #expect(lines.contains { $0.hasPrefix("security/b.yaml:2:5: error: [duplicate-id]") && $0.contains("security/a.yaml:2:5") })
        #expect(lines.contains { $0.hasPrefix("security/a.yaml:2:5: error: [duplicate-id]") })
        #expect(lines.contains { $0.hasPrefix("security/b.yaml:6:16: error: [unknown-requirement]") && $0.contains("did you mean 'SR-5'") })
        #expect(lines.contains { $0.hasPrefix("security/c.yaml:") && $0.contains("[yaml-syntax]") })
    }

    @Test func hundredBrokenFilesAllReportedInOneRun() throws {
        let dir = try product()
        for index in 0..<100 {
            try write("kind: defect\nid: DEF-\(index)\nid: DUP-\(index)\n", to: "security/broken/\(index).yaml", in: dir)
        }
        let result = try EvidentRun.run(["check", "--format", "json"], in: dir)
        #expect(result.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let findings = object?["findings"] as? [[String: Any]] ?? []
        let duplicateKeys = findings.filter { $0["rule"] as? String == "duplicate-key" }
        #expect(duplicateKeys.count == 100)
        #expect(Set(duplicateKeys.compactMap { $0["path"] as? String }).count == 100)
        #expect(object?["version"] as? Int == 1)
        let summary = object?["summary"] as? [String: Int]
        #expect(summary?["records"] == 100)
    }

    @Test func couldNotRunIsExitTwoWithOneLine() throws {
        let plain = try EvidentRun.scratch()
        let notRepo = try EvidentRun.run(["check"], in: plain)
        #expect(notRepo.status == 2)
        #expect(notRepo.stderr.split(separator: "\n").count == 1)
        #expect(notRepo.stderr.contains("not inside a git repository"))

        try EvidentRun.git(["init", "-q"], in: plain)
        let noConfig = try EvidentRun.run(["check"], in: plain)
        #expect(noConfig.status == 2)
        #expect(noConfig.stderr.contains(".evident.yml not found"))

        try write("version: 1\nproduct: X\nrecords: evidence\n", to: ".evident.yml", in: plain)
        let noRoot = try EvidentRun.run(["check"], in: plain)
        #expect(noRoot.status == 2)
        #expect(noRoot.stderr.contains("records folder 'evidence/' not found"))

        try write("version: 1\nproduct: [X\n", to: ".evident.yml", in: plain)
        let badConfig = try EvidentRun.run(["check"], in: plain)
        #expect(badConfig.status == 2)
        #expect(badConfig.stderr.contains(".evident.yml:"))
    }

    @Test func newForEveryKindChecksClean() throws {
        let dir = try product()
        let kinds = ["process", "roles", "training", "security-context", "security-requirement", "threat-model", "design-review",
                     "code-review", "test-report", "sbom", "defect", "advisory", "security-update", "guideline", "release", "periodic-review"]
        // The sbom record is filled from the SBOM it names (sbom-document checks it exists).
        let bom = #"{"bomFormat": "CycloneDX", "specVersion": "1.5", "metadata": {"timestamp": "2026-05-30T10:00:00Z", "component": {"type": "firmware", "name": "gateway", "version": "2.3.1"}}, "components": [{"type": "library", "name": "zlib", "version": "1.3.1", "#
            + #""supplier": {"name": "Example"}, "purl": "pkg:generic/zlib@1.3.1"}]}"#
        try write(bom, to: "firmware/sbom.cdx.json", in: dir)
        for kind in kinds {
            let result = try EvidentRun.run(["new", kind, "--title", "A \(kind)", "--owner", "dev@example.com"] + (kind == "sbom" ? ["--document", "firmware/sbom.cdx.json"] : []), in: dir)
            #expect(result.status == 0, "\(kind): \(result.stderr)")
            #expect(result.stdout.hasPrefix("security/"))
        }
        let again = try EvidentRun.run(["new", "defect", "--owner", "dev@example.com"], in: dir)
        #expect(again.stdout.contains("DEF-002"))
        let check = try EvidentRun.run(["check"], in: dir)
        #expect(check.status == 0, "\(check.stdout)")
        let unknown = try EvidentRun.run(["new", "threatmodel"], in: dir)
        #expect(unknown.status == 2)
    }

    @Test func initNeverOverwritesWithoutForce() throws {
        let dir = try product()
        let config = try Data(contentsOf: dir.appendingPathComponent(".evident.yml"))
        let again = try EvidentRun.run(["init", "--product", "Other"], in: dir)
        #expect(again.status == 2)
        #expect(try Data(contentsOf: dir.appendingPathComponent(".evident.yml")) == config)
        let forced = try EvidentRun.run(["init", "--product", "Other", "--force"], in: dir)
        #expect(forced.status == 0)
    }

    @Test func approveThenChangeIsStale() throws {
        let dir = try product()
        let path = try EvidentRun.run(["new", "defect", "--owner", "dev@example.com"], in: dir).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let url = dir.appendingPathComponent(path)
        try TemplateFilling.fill(at: url)
        let before = try String(contentsOf: url, encoding: .utf8)
        let approve = try EvidentRun.run(["approve", "DEF-001", "--by", "lead@example.com"], in: dir)
        #expect(approve.status == 0, "\(approve.stderr)")
        let after = try String(contentsOf: url, encoding: .utf8)
        // Status and approval together; every other byte as it was.
        #expect(after.hasPrefix(before.replacingOccurrences(of: "\nstatus: draft\n", with: "\nstatus: approved\n")))
        #expect(after.contains("  by: lead@example.com\n  date: 2026-06-01T00:00:00Z\n  digest: sha256:"))
        #expect(try EvidentRun.run(["check"], in: dir).status == 0)
        try Data(after.replacingOccurrences(of: "title:", with: "title: Changed,").utf8).write(to: url)
        let stale = try EvidentRun.run(["check"], in: dir)
        #expect(stale.status == 1)
        #expect(stale.stdout.contains("[stale-approval]"))
    }

    @Test func demoCoverageListsExactly47Requirements() throws {
        let dir = try EvidentRun.scratch().appendingPathComponent("demo")
        let demo = try EvidentRun.run(["demo", dir.path], in: dir.deletingLastPathComponent())
        #expect(demo.status == 0, "\(demo.stderr)")
        let coverage = try EvidentRun.run(["coverage", "--format", "json"], in: dir)
        #expect(coverage.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(coverage.stdout.utf8)) as? [String: Any]
        let requirements = object?["requirements"] as? [[String: Any]] ?? []
        #expect(requirements.count == 47)
        #expect(Set(requirements.compactMap { $0["practice"] as? String }) == ["SM", "SR", "SD", "SI", "SVV", "DM", "SUM", "SG"])
        #expect(object?["level"] as? Int == 3)
        let check = try EvidentRun.run(["check"], in: dir)
        #expect(check.status == 1)
        #expect(check.stdout.contains("[dangling-reference]"))
        #expect(check.stdout.contains("1 error"))
        let log = try EvidentRun.run(["log", "DEF-2026-001", "--format", "json"], in: dir)
        let logObject = try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [String: Any]
        let commits = logObject?["commits"] as? [[String: Any]] ?? []
        #expect(commits.count >= 2)
        let oracle = try EvidentRun.git(["log", "--format=%H", "--", logObject?["path"] as? String ?? ""], in: dir)
        let changed = commits.filter { $0["reason"] as? String == "changed" }.compactMap { $0["id"] as? String }
        #expect(changed == oracle.split(separator: "\n").map(String.init))
    }
}
