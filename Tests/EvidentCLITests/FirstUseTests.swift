import Foundation
import Testing

/// A newcomer's first steps, through the binary: nothing written outside the repository, values
/// typed on the command line reading back as typed, and `init` keeping what git tracks.
struct FirstUseTests {
    /// Every file below `folder`, for "nothing was written there" assertions.
    func listing(_ folder: URL) -> [String] {
        (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []).sorted()
    }

    @Test func initRefusesRecordsOutsideTheRepository() throws {
        let scratch = try Scratch()
        try scratch.git("init", "-q")
        for records in ["../outside", "/tmp/evident-abs-\(UUID().uuidString)", "a/../../b", "~/x"] {
            let result = try scratch.evident("init", "--records", records)
            #expect(result.status == 2, "\(records): \(result.output)")
            #expect(result.stderr.contains("inside the repository"), "\(records): \(result.stderr)")
        }
        #expect(listing(scratch.root).allSatisfy { $0.hasPrefix("product/.git") || $0 == "product" || $0 == "home" }, "\(listing(scratch.root))")
    }

    @Test func symlinksLeavingTheRepositoryAreRefused() throws {
        let scratch = try Scratch()
        try scratch.git("init", "-q")
        let outside = scratch.root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: scratch.repo.appendingPathComponent("linked"), withDestinationURL: outside)
        let linked = try scratch.evident("init", "--records", "linked")
        #expect(linked.status == 2)
        #expect(linked.stderr.contains("refusing to write linked/README.md"), "\(linked.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.repo.appendingPathComponent(".evident.yml").path), "nothing is written when one file would leave")

        #expect(try scratch.evident("init").status == 0)
        // A kind folder that is a symlink leading out: `new` refuses.
        try FileManager.default.createSymbolicLink(at: scratch.repo.appendingPathComponent("security/defects"), withDestinationURL: outside)
        let created = try scratch.evident("new", "defect", "--owner", "a@example.com")
        #expect(created.status == 2)
        #expect(created.stderr.contains("refusing to write security/defects/DEF-001.yaml"), "\(created.stderr)")

        // The hooks folder (core.hooksPath) outside: refused.
        try scratch.git("config", "core.hooksPath", outside.path)
        let hook = try scratch.evident("hook", "install")
        #expect(hook.status == 2)
        #expect(hook.stderr.contains("outside this repository"), "\(hook.stderr)")
        try scratch.git("config", "--unset", "core.hooksPath")

        // The cache folder a symlink leading out: check runs, and writes nothing there.
        try FileManager.default.createSymbolicLink(at: scratch.repo.appendingPathComponent(".git/evident"), withDestinationURL: outside)
        try FileManager.default.removeItem(at: scratch.repo.appendingPathComponent("security/defects"))
        #expect(try scratch.evident("new", "defect", "--owner", "a@example.com").status == 0)
        try scratch.git("add", "-A")
        try scratch.git("commit", "-qm", "records")
        let check = try scratch.evident("check")
        #expect(check.status == 0, "\(check.output)")
        #expect(listing(outside).isEmpty, "\(listing(outside))")
    }

    @Test func titlesReadBackAsTyped() throws {
        let scratch = try Scratch.product()
        let titles = ["PX-500: Modbus/TCP MBAP buffer overflow", "a\nstatus: approved", "# hash", "- dash", "*star &amp !bang %pct",
                      "quote \" and ' both", "1.10", "Überlauf im Modbus-Parser ✓"]
        for (index, title) in titles.enumerated() {
            // `--title=VALUE`: a value starting with '-' would otherwise read as an option.
            let created = try scratch.evident("new", "advisory", "--title=\(title)", "--id", "ADV-\(index + 1)", "--owner", "a@example.com")
            #expect(created.status == 0, "\(title.debugDescription): \(created.output)")
        }
        let check = try scratch.evident("check", "--format", "json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let findings = json["findings"] as? [[String: Any]] ?? []
        let broken = findings.filter { ["yaml-syntax", "duplicate-key", "envelope"].contains($0["rule"] as? String ?? "") }
        #expect(broken.isEmpty, "\(broken)")
        let injected = findings.filter { ($0["message"] as? String ?? "").contains("approved") }
        #expect(injected.isEmpty, "\(injected)")
        // Read back by an independent YAML reader (PyYAML).
        for (index, title) in titles.enumerated() {
            let text = String(decoding: try scratch.read("security/advisories/ADV-\(index + 1).yaml"), as: UTF8.self)
            #expect(text.contains("status: draft\n"))
            #expect(try PythonYAML.title(of: text) == title || PythonYAML.unavailable, "\(title.debugDescription) in\n\(text)")
        }
    }

    @Test func initRecordsFolderIsConfiguredAndChecksClean() throws {
        let scratch = try Scratch()
        try scratch.git("init", "-q")
        #expect(try scratch.evident("init", "--records", "./recs/").status == 0)
        let config = String(decoding: try scratch.read(".evident.yml"), as: UTF8.self)
        #expect(config.contains("\nrecords: recs/\n"), "\(config)")
        #expect(try scratch.evident("new", "threat-model", "--owner", "a@example.com").stdout == "recs/threat-models/TM-001.yaml\n")
        let check = try scratch.evident("check")
        #expect(check.status == 0, "\(check.output)")
    }

    @Test func initNeverOverwritesATrackedFile() throws {
        let scratch = try Scratch()
        try scratch.git("init", "-q")
        try scratch.write("security/README.md", "# Our own security notes\n")
        try scratch.git("add", "-A")
        try scratch.git("commit", "-qm", "notes")
        let refused = try scratch.evident("init", "--force")
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("security/README.md is tracked in git; init never overwrites a tracked file"), "\(refused.stderr)")
        #expect(String(decoding: try scratch.read("security/README.md"), as: UTF8.self) == "# Our own security notes\n")
        #expect(!FileManager.default.fileExists(atPath: scratch.repo.appendingPathComponent(".evident.yml").path))
        // Running init twice is running it once: identical files need no --force.
        #expect(try scratch.evident("init", "--records", "evidence").status == 0)
        #expect(try scratch.evident("init", "--records", "evidence").status == 0)
    }
}

/// `new sbom` with a real generator's SBOM: from `git init` to a clean check.
struct NewSBOMTests {
    static let corpora = EvidentBinary.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora")

    @Test(arguments: ["cyclonedx/real/cyclonedx-gomod/mod_minikube-v1.23.1.bom.json", "spdx/real/guac/oci-kubectl-linux-amd64-spdx-2.3.json"])
    func newSBOMFromARealDocumentChecksClean(_ corpusPath: String) throws {
        let source = Self.corpora.appendingPathComponent(corpusPath)
        guard let data = try? Data(contentsOf: source) else {
            print("\(corpusPath) not found in ../shared/corpora: skipped")
            return
        }
        let scratch = try Scratch.product()
        // Without --document: the SBOMs in the repository are listed, with what to pass.
        try scratch.write("dist/sbom.json", String(decoding: data, as: UTF8.self))
        let listed = try scratch.evident("new", "sbom")
        #expect(listed.status == 2)
        #expect(listed.stderr.contains("new sbom needs --document FILE") && listed.stderr.contains("  dist/sbom.json"), "\(listed.stderr)")
        #expect(!listed.stderr.contains(".evident/schemas"), "evident's own schemas are not SBOMs: \(listed.stderr)")
        // From a subfolder, the path is taken relative to it.
        let created = try scratch.evident("new", "sbom", "--document", "sbom.json", "--owner", "a@example.com", in: scratch.repo.appendingPathComponent("dist"))
        #expect(created.status == 0, "\(created.stderr)")
        let path = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let text = String(decoding: try scratch.read(path), as: UTF8.self)
        #expect(text.contains("document: dist/sbom.json\n"), "\(text)")
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let isCycloneDX = object["bomFormat"] != nil
        #expect(text.contains(isCycloneDX ? "format: cyclonedx" : "format: spdx"))
        #expect(text.contains(isCycloneDX ? "spec-version: \"\(object["specVersion"] as? String ?? "")\"" : "spec-version: \"2.3\""), "\(text)")
        let created8601 = (isCycloneDX ? (object["metadata"] as? [String: Any])?["timestamp"] : (object["creationInfo"] as? [String: Any])?["created"]) as? String ?? ""
        #expect(text.contains("generated: \(created8601.prefix(10))\n"), "\(text)")
        let check = try scratch.evident("check")
        #expect(check.status == 0, "\(check.stdout)")
        let quality = check.stdout.split(separator: "\n").filter { $0.contains("[sbom-quality]") }
        #expect(!quality.isEmpty && quality.count <= 9, "aggregated per element: \(quality)")
        #expect(!check.stdout.contains("more not shown"))
    }

    @Test func aDocumentOutsideTheRepositoryIsRefused() throws {
        let scratch = try Scratch.product()
        let outside = scratch.root.appendingPathComponent("elsewhere.cdx.json")
        try Data(#"{"bomFormat": "CycloneDX", "specVersion": "1.5"}"#.utf8).write(to: outside)
        let result = try scratch.evident("new", "sbom", "--document", outside.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("outside the repository"), "\(result.stderr)")
    }
}

/// PyYAML as an independent reader of what `new` wrote (skipped when python3 has no yaml module).
enum PythonYAML {
    static let unavailable: Bool = {
        (try? ProcessRunner.run("/usr/bin/env", ["python3", "-c", "import yaml"], in: URL(fileURLWithPath: "/"), environment: ProcessInfo.processInfo.environment).status) != 0
    }()

    static func title(of text: String) throws -> String? {
        guard !unavailable else { return nil }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pyyaml-\(UUID().uuidString).yaml")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = "import sys, yaml, json; d = yaml.safe_load(open(sys.argv[1], encoding='utf-8')); sys.stdout.write(json.dumps(d['title']))"
        let result = try ProcessRunner.run("/usr/bin/env", ["python3", "-c", script, file.path], in: URL(fileURLWithPath: "/"), environment: ProcessInfo.processInfo.environment)
        guard result.status == 0 else { return "python failed: \(result.stderr)" }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: .fragmentsAllowed) as? String
    }
}
