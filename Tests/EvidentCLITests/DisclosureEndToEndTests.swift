import Foundation
import JSONSchema
import Testing

/// `advisory export`, `vex export` and `csaf check` through the built binary, on the repository that
/// `scripts/make-disclosure-fixture` builds (several defects, products and versions, two approved
/// revisions of the advisory) and on the demo.
struct DisclosureEndToEndTests {
    /// The fixture repository in a fresh scratch folder.
    static func fixture() throws -> (scratch: Scratch, repo: URL) {
        let scratch = try Scratch()
        guard let binary = EvidentBinary.path else { throw ScratchError.noBinary }
        let repo = scratch.root.appendingPathComponent("rtu")
        let script = EvidentBinary.packageRoot.appendingPathComponent("scripts/make-disclosure-fixture").path
        let made = try scratch.run("/bin/bash", [script, repo.path, binary], in: scratch.root)
        guard made.status == 0 else { throw ScratchError.failed("make-disclosure-fixture: \(made.output)") }
        return (scratch, repo)
    }

    static func json(_ text: String) throws -> JSONValue { try JSONValue.parse(text) }

    @Test func advisoryWithSeveralDefectsProductsAndVersions() throws {
        let (scratch, repo) = try Self.fixture()
        let out = scratch.root.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let exported = try scratch.evidentAfterTheFixture("advisory", "export", "ADV-001", "--format", "csaf", "--out", out.path, in: repo)
        #expect(exported.status == 0, "\(exported.output)")
        // Section 5.1: the name comes from the tracking id.
        let file = out.appendingPathComponent("ex-sa-2026-002.json")
        let text = try String(contentsOf: file, encoding: .utf8)
        let checked = try scratch.evidentAfterTheFixture("csaf", "check", file.path, in: repo)
        #expect(checked.status == 0, "\(checked.output)")
        let document = try Self.json(text)
        let tracking = try #require(document["document"]?["tracking"])
        #expect(tracking["status"]?.stringValue == "final" && tracking["version"]?.stringValue == "2")
        // One revision per approved change, dated by its commit; the unapproved rewording is not one.
        let history = tracking["revision_history"]?.arrayValue ?? []
        #expect(history.compactMap { $0["date"]?.stringValue } == ["2026-04-20T10:00:00Z", "2026-04-23T10:00:00Z"])
        #expect(tracking["initial_release_date"]?.stringValue == "2026-04-20T10:00:00Z")
        let vulnerabilities = document["vulnerabilities"]?.arrayValue ?? []
        #expect(vulnerabilities.compactMap { $0["cve"]?.stringValue } == ["CVE-2026-40001", "CVE-2026-40002"])
        #expect(vulnerabilities.first?["cwe"]?["name"]?.stringValue == "Heap-based Buffer Overflow")
        // The score is computed from the vector; the 4.0-only defect carries its vector in a note.
        #expect(vulnerabilities.first?["scores"]?.arrayValue?.first?["cvss_v3"]?["baseScore"]?.numberValue?.double == 9.8)
        #expect(vulnerabilities.last?["scores"] == nil)
        #expect(vulnerabilities.last?["notes"]?.arrayValue?.contains { $0["text"]?.stringValue?.contains("CVSS:4.0/AV:N") == true } == true)
        // Two products, each in 1.0.0, 1.1.0 and the range <= 1.1.0 (never range words in a version name).
        #expect(text.contains("\"category\": \"product_version_range\"") && text.contains("\"name\": \"vers:generic/<=1.1.0\""))
        #expect(text.contains("RTU-50X Remote Terminal Unit"))
        #expect(vulnerabilities.first?["product_status"]?["fixed"]?.arrayValue?.count == 2)
        // Same commit, same bytes (in another time zone too).
        let again = try scratch.run(EvidentBinary.path ?? "evident", ["advisory", "export", "EX-SA-2026-002", "--format", "csaf"], in: repo,
                                    env: ["TZ": "Asia/Tokyo"])
        #expect(again.stdout == text)
        // An older commit: the first revision only.
        let first = try scratch.evidentAfterTheFixture("advisory", "export", "ADV-001", "--format", "csaf", "--rev", "HEAD~2", in: repo)
        let firstTracking = try Self.json(first.stdout)["document"]?["tracking"]
        #expect(firstTracking?["version"]?.stringValue == "1" && firstTracking?["status"]?.stringValue == "final")
        // Between the rewording and its approval the advisory is a draft of version 2.
        let draft = try scratch.evidentAfterTheFixture("advisory", "export", "ADV-001", "--format", "csaf", "--rev", "HEAD~1", in: repo)
        let draftTracking = try Self.json(draft.stdout)["document"]?["tracking"]
        #expect(draftTracking?["version"]?.stringValue == "2" && draftTracking?["status"]?.stringValue == "draft")
    }

    @Test func vexStatusesForARelease() throws {
        let (scratch, repo) = try Self.fixture()
        let openvex = try scratch.evidentAfterTheFixture("vex", "export", "--release", "v1.1.0", "--format", "openvex", in: repo)
        #expect(openvex.status == 0, "\(openvex.output)")
        let statements = try Self.json(openvex.stdout)["statements"]?.arrayValue ?? []
        let statuses = Dictionary(uniqueKeysWithValues: statements.compactMap { s -> (String, String)? in
            guard let name = s["vulnerability"]?["name"]?.stringValue, let status = s["status"]?.stringValue else { return nil }
            return (name, status)
        })
        #expect(statuses == ["CVE-2026-40001": "fixed", "CVE-2026-40002": "affected", "CVE-2026-40003": "not_affected", "CVE-2026-40004": "under_investigation"])
        let notAffected = statements.first { $0["status"]?.stringValue == "not_affected" }
        #expect(notAffected?["justification"]?.stringValue == "vulnerable_code_not_in_execute_path")
        #expect(statements.first { $0["status"]?.stringValue == "affected" }?["action_statement"] != nil)
        #expect(openvex.stdout.contains("\"@id\": \"pkg:generic/controls.example.com/rtu50-firmware@1.1.0\""))
        let cyclonedx = try scratch.evidentAfterTheFixture("vex", "export", "--release", "v1.1.0", "--format", "cyclonedx", in: repo)
        let bom = try Self.json(cyclonedx.stdout)
        #expect(bom["specVersion"]?.stringValue == "1.6" && bom["components"]?.arrayValue?.first?["purl"]?.stringValue != nil)
        let states = (bom["vulnerabilities"]?.arrayValue ?? []).compactMap { $0["analysis"]?["state"]?.stringValue }
        #expect(states == ["resolved", "exploitable", "not_affected", "in_triage"])
        let again = try scratch.evidentAfterTheFixture("vex", "export", "--release", "v1.1.0", "--format", "cyclonedx", in: repo)
        #expect(again.stdout == cyclonedx.stdout)
        let csaf = try scratch.evidentAfterTheFixture("vex", "export", "--format", "csaf-vex", "--out", scratch.root.path, in: repo)
        #expect(csaf.status == 0, "\(csaf.output)")
        let written = try FileManager.default.contentsOfDirectory(atPath: scratch.root.path).filter { $0.hasSuffix(".json") }
        #expect(written.count == 1)
        let csafCheck = try scratch.evidentAfterTheFixture("csaf", "check", scratch.root.appendingPathComponent(written[0]).path, in: repo)
        #expect(csafCheck.status == 0, "\(csafCheck.output)")
        let unknown = try scratch.evidentAfterTheFixture("vex", "export", "--release", "v9.9.9", "--format", "openvex", in: repo)
        #expect(unknown.status == 2 && unknown.stderr.contains("no release record has tag 'v9.9.9'"))
    }

    /// The issue's bad inputs: findings from `check`, and `export` refuses (exit 1, nothing written).
    @Test(arguments: [
        ("defects: [DEF-001, DEF-002]", "defects: [DEF-001, DEF-009]", "security/advisories/ADV-001.yaml:7:", "no defect record has that id"),
        ("cve: CVE-2026-40002\n", "", "security/defects/DEF-002.yaml:", "has no cve"),
        ("cwe: CWE-330", "cwe: CWE-99999", "security/defects/DEF-002.yaml:11:6:", "CWE-99999 is not a CWE"),
        ("fixed-versions: [\"1.1.0\"]", "fixed-versions: [\"1.0.0\"]", "security/defects/DEF-001.yaml:17:", "both affected"),
    ])
    func badInputIsRefused(original: String, replacement: String, place: String, message: String) throws {
        let (scratch, repo) = try Self.fixture()
        let file = place.hasPrefix("security/advisories") ? "security/advisories/ADV-001.yaml" : (place.contains("DEF-001") ? "security/defects/DEF-001.yaml" : "security/defects/DEF-002.yaml")
        // A clean check first fills the advisory verdict cache: the edit below must still be judged.
        #expect(try scratch.evidentAfterTheFixture("check", in: repo).status == 0)
        #expect(FileManager.default.fileExists(atPath: repo.appendingPathComponent(".git/evident/advisory-csaf.txt").path))
        let url = repo.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains(original))
        try Data(text.replacingOccurrences(of: original, with: replacement).utf8).write(to: url)
        try scratch.git("commit", "-q", "-a", "-m", "break it", in: repo)
        let check = try scratch.evidentAfterTheFixture("check", in: repo)
        #expect(check.status == 1)
        #expect(check.stdout.split(separator: "\n").contains { $0.hasPrefix(place) && $0.contains("[advisory-csaf]") && $0.contains(message) },
                "\(check.stdout)")
        let out = scratch.root.appendingPathComponent("advisory.json")
        let export = try scratch.evidentAfterTheFixture("advisory", "export", "ADV-001", "--format", "csaf", "--out", out.path, in: repo)
        #expect(export.status == 1)
        #expect(export.stderr.contains(message) && export.stderr.contains("nothing written"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func csafCheckPlacesFindings() throws {
        let scratch = try Scratch()
        let file = scratch.root.appendingPathComponent("bad.json")
        try Data("""
        {"document": {"category": "csaf_base", "csaf_version": "2.0", "title": "t",
          "publisher": {"category": "vendor", "name": "Example", "namespace": "https://example.com"},
            "lang": "EZ",
          "tracking": {"id": "bad", "status": "final", "version": "1", "current_release_date": "2024-01-01T00:00:00Z",
            "initial_release_date": "2024-01-01T00:00:00Z", "revision_history": [{"date": "2024-01-01T00:00:00Z", "number": "1", "summary": "s"}]}}}

        """.utf8).write(to: file)
        let fifo = scratch.root.appendingPathComponent("fifo.json")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let result = try scratch.evidentAfterTheFixture("csaf", "check", file.path, "/nonexistent.json", fifo.path, in: scratch.root)
        #expect(result.stdout.contains("\(fifo.path):1:1: error: [csaf-json] not a regular file"))
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(file.path):3:13: error: [csaf-6.1.12] 'EZ' is not a valid language tag"), "\(result.stdout)")
        #expect(result.stdout.contains("/nonexistent.json:1:1: error: [csaf-json] cannot read the file"))
    }

    @Test func bundleCarriesTheDisclosureDocuments() throws {
        let (scratch, repo) = try Self.fixture()
        let zip = scratch.root.appendingPathComponent("bundle.zip")
        let exported = try scratch.evidentAfterTheFixture("export", "--out", zip.path, in: repo)
        #expect(exported.status == 0, "\(exported.output)")
        let listing = try scratch.run("/usr/bin/env", ["unzip", "-Z1", zip.path], in: scratch.root).stdout.split(separator: "\n").map(String.init)
        #expect(listing.contains("disclosure/csaf/ex-sa-2026-002.json"))
        #expect(listing.filter { $0.hasPrefix("disclosure/vex/") }.count == 3)
        let manifest = try scratch.run("/usr/bin/env", ["unzip", "-p", zip.path, "manifest.json"], in: scratch.root).stdout
        #expect(manifest.contains("disclosure/csaf/ex-sa-2026-002.json"))
        let index = try scratch.run("/usr/bin/env", ["unzip", "-p", zip.path, "index.html"], in: scratch.root).stdout
        #expect(index.contains("href=\"disclosure/csaf/ex-sa-2026-002.json\""))
        let verified = try scratch.evidentAfterTheFixture("verify", zip.path, in: repo)
        #expect(verified.status == 0, "\(verified.output)")
        // The bundle's CSAF is the advisory export's, byte for byte.
        let inBundle = try scratch.run("/usr/bin/env", ["unzip", "-p", zip.path, "disclosure/csaf/ex-sa-2026-002.json"], in: scratch.root).stdout
        #expect(inBundle == (try scratch.evidentAfterTheFixture("advisory", "export", "ADV-001", "--format", "csaf", in: repo)).stdout)
    }

    /// A copied advisory that keeps its tracking id: an error at its advisory-id, and one CSAF entry
    /// of that name in the bundle (never two entries an auditor's unzip would overwrite).
    @Test func copiedAdvisoryKeepingItsTrackingID() throws {
        let (scratch, repo) = try Self.fixture()
        let original = repo.appendingPathComponent("security/advisories/ADV-001.yaml")
        let text = try String(contentsOf: original, encoding: .utf8)
        let copy = text.replacingOccurrences(of: "id: ADV-001\n", with: "id: ADV-002\n")
            .replacingOccurrences(of: "status: approved", with: "status: draft")
        #expect(copy != text)
        try copy.write(to: repo.appendingPathComponent("security/advisories/ADV-002.yaml"), atomically: true, encoding: .utf8)
        try scratch.git("add", "-A", in: repo)
        try scratch.git("commit", "-q", "-m", "Second advisory, copied", in: repo)
        let line = (copy.components(separatedBy: "\n").firstIndex { $0.hasPrefix("advisory-id:") } ?? -1) + 1
        let checked = try scratch.evidentAfterTheFixture("check", in: repo)
        #expect(checked.status == 1)
        #expect(checked.stdout.contains("security/advisories/ADV-002.yaml:\(line):14: error: [duplicate-advisory-id] advisory-id 'EX-SA-2026-002' is already ADV-001's"), "\(checked.stdout)")
        let zip = scratch.root.appendingPathComponent("bundle.zip")
        _ = try scratch.evidentAfterTheFixture("export", "--out", zip.path, in: repo)
        let listing = try scratch.run("/usr/bin/env", ["unzip", "-Z1", zip.path], in: scratch.root).stdout.split(separator: "\n").map(String.init)
        #expect(listing.filter { $0 == "disclosure/csaf/ex-sa-2026-002.json" }.count == 1, "\(listing.filter { $0.hasPrefix("disclosure/") })")
        #expect(Set(listing).count == listing.count)
    }
}

extension Scratch {
    /// The binary judged on a day after the fixture's history (its last commit is 2026-04-23): a
    /// defect received after "today" would be a defect-dates error.
    @discardableResult
    func evidentAfterTheFixture(_ arguments: String..., in directory: URL? = nil) throws -> RunResult {
        guard let binary = EvidentBinary.path else { throw ScratchError.noBinary }
        return try run(binary, arguments, in: directory, env: ["EVIDENT_TODAY": "2026-05-01"])
    }
}
