import Foundation
import Testing

/// `evident triage import`, `evident defects` and `evident cvss` run as a user runs them, on real
/// scanner outputs from ../shared/corpora/scanners (skipped, saying so, when absent).
struct TriageEndToEndTests {
    static let corpus = EvidentBinary.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora/scanners")

    /// Real files of five formats whose packages carry purls (or, for OSV, ecosystem names).
    static let files = [
        "grype/anchore-grype/explain-ghsa-test.json", "grype/anchore-grype/explain-chainguard-ruby-test.json",
        "trivy/aquasecurity-trivy/alpine-310.json", "trivy/defectdojo/cvssv4_severity_source.json",
        "dependency-track/fpf/fpf-1.3_dt-4.14.1_npm.json", "trivy/aquasecurity-trivy/pom-cyclonedx.json",
        "osv-scanner/google-osv-scanner/test-vuln-results-a.json",
    ]

    static func json(_ url: URL) throws -> Any { try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) }

    /// (purl, vulnerability id) pairs the files name, read here without evident: Grype's
    /// artifact.purl, Trivy's PkgIdentifier.PURL, Dependency-Track's component.purl, CycloneDX's
    /// affects refs (purls in Trivy's output), OSV's Go and crates.io packages as purls.
    static func namedPairs() throws -> [(purl: String, id: String)] {
        var pairs: [(String, String)] = []
        func list(_ value: Any?) -> [[String: Any]] { value as? [[String: Any]] ?? [] }
        for file in files {
            let object = try json(corpus.appendingPathComponent(file)) as? [String: Any] ?? [:]
            for match in list(object["matches"]) {
                let artifact = match["artifact"] as? [String: Any], vulnerability = match["vulnerability"] as? [String: Any]
                if let purl = artifact?["purl"] as? String, let id = vulnerability?["id"] as? String, !purl.isEmpty { pairs.append((purl, id)) }
            }
            for result in list(object["Results"]) {
                for v in list(result["Vulnerabilities"]) {
                    if let purl = (v["PkgIdentifier"] as? [String: Any])?["PURL"] as? String, let id = v["VulnerabilityID"] as? String { pairs.append((purl, id)) }
                }
            }
            for finding in list(object["findings"]) {
                if let purl = (finding["component"] as? [String: Any])?["purl"] as? String, let id = (finding["vulnerability"] as? [String: Any])?["vulnId"] as? String { pairs.append((purl, id)) }
            }
            for v in list(object["vulnerabilities"]) {
                for affect in list(v["affects"]) { if let ref = affect["ref"] as? String, let id = v["id"] as? String { pairs.append((ref, id)) } }
            }
            for result in list(object["results"]) {
                for package in list(result["packages"]) {
                    let p = package["package"] as? [String: Any] ?? [:]
                    guard let name = p["name"] as? String, let version = p["version"] as? String else { continue }
                    let type = (p["ecosystem"] as? String) == "Go" ? "golang" : "cargo"
                    for group in list(package["groups"]) { if let id = (group["ids"] as? [String])?.first { pairs.append(("pkg:\(type)/\(name)@\(version)", id)) } }
                }
            }
        }
        return pairs
    }

    /// A product whose SBOM lists every package the files name: qualifiers stripped from some purls
    /// and changed on others (matching ignores them), plus one component no scanner mentions.
    static func product(purls: [String]) throws -> Scratch {
        let scratch = try Scratch.product()
        var components: [[String: Any]] = []
        for (index, purl) in Set(purls).sorted().enumerated() {
            let bare = String(purl.prefix { $0 != "?" })
            let written = index % 2 == 0 ? bare : bare + "?arch=noarch&evident=test"
            components.append(["type": "library", "name": "c\(index)", "version": "1", "purl": written, "bom-ref": "c\(index)"])
        }
        components.append(["type": "library", "name": "unrelated", "version": "1", "purl": "pkg:generic/unrelated@1", "bom-ref": "u"])
        let bom: [String: Any] = ["bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": components]
        try scratch.write("security/sbom/product.cdx.json", String(decoding: try JSONSerialization.data(withJSONObject: bom, options: [.sortedKeys]), as: UTF8.self))
        try scratch.write("security/sbom/SBOM-1.yaml", "kind: sbom\nid: SBOM-1\ntitle: Product SBOM\nstatus: draft\nowner: ada@example.com\ndocument: security/sbom/product.cdx.json\nformat: cyclonedx\nproduct-version: \"2.0.0\"\nrisk-handling:\n  - component: pkg:generic/unrelated@1\n    decision: accept\n    rationale: Test.\n    reviewed: 2026-03-01\n")
        try scratch.git("add", "-A")
        try scratch.git("commit", "-q", "-m", "SBOM")
        return scratch
    }

    /// Every file under the records root with its bytes.
    static func snapshot(_ scratch: Scratch) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let root = scratch.repo.appendingPathComponent("security")
        for case let path as String in FileManager.default.enumerator(atPath: root.path) ?? FileManager.DirectoryEnumerator() {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory), !isDirectory.boolValue {
                out[path] = try Data(contentsOf: root.appendingPathComponent(path))
            }
        }
        return out
    }

    func paths() -> [String] { Self.files.map { Self.corpus.appendingPathComponent($0).path } }

    @Test func realScannerOutputsImportIntoValidRecordsOnceAndHandTriageSurvives() throws {
        guard FileManager.default.fileExists(atPath: Self.corpus.path) else { print("corpus scanners not found: skipped"); return }
        let pairs = try Self.namedPairs()
        let scratch = try Self.product(purls: pairs.map(\.purl))
        let first = try scratch.evident(arguments: ["triage", "import", "--format", "json"] + paths())
        #expect(first.status == 0, "\(first.output)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        let created = result["created"] as? [[String: Any]] ?? []
        #expect(result["version"] as? Int == 1)
        #expect((result["tracked"] as? [Any])?.isEmpty == true)
        #expect(!created.isEmpty)
        // Every vulnerability the files name on an SBOM component has a record naming it.
        var named = Set<String>()
        for entry in created {
            named.insert((entry["vulnerability"] as? String ?? "").uppercased())
            for alias in entry["aliases"] as? [String] ?? [] { named.insert(alias.uppercased()) }
        }
        for pair in pairs { #expect(named.contains(pair.id.uppercased()), "\(pair.id) on \(pair.purl) has no record") }
        // The records are valid: check finds nothing on them (schema, envelope, rules). Without the
        // parse cache the import filled, so each file is parsed from disk, not decoded from its tree.
        try scratch.git("add", "-A")
        try scratch.git("commit", "-q", "-m", "imported")
        try? FileManager.default.removeItem(at: scratch.repo.appendingPathComponent(".git/evident"))
        let check = try scratch.evident("check", "--format", "json")
        let findings = (try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])?["findings"] as? [[String: Any]] ?? []
        let onDefects = findings.filter { finding in (finding["path"] as? String ?? "").contains("defects/") }
        #expect(onDefects.isEmpty, "\(onDefects)")

        // A person triages one record; a second import writes nothing and reports the tracked ones.
        let triagedPath = try #require(created.first?["path"] as? String)
        var text = String(decoding: try scratch.read(triagedPath), as: UTF8.self)
        text = text.replacingOccurrences(of: "state: in_triage", with: "state: exploitable\n  detail: Reachable from the web UI.")
        text = text.replacingOccurrences(of: "status: draft", with: "status: in-review")
        try scratch.write(triagedPath, text)
        let before = try Self.snapshot(scratch)
        let second = try scratch.evident(arguments: ["triage", "import", "--format", "json"] + paths())
        #expect(second.status == 0, "\(second.output)")
        let again = try #require(try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])
        #expect((again["created"] as? [Any])?.isEmpty == true)
        #expect((again["tracked"] as? [Any])?.count == created.count)
        #expect(try Self.snapshot(scratch) == before, "a second import changed files")
    }

    @Test func twoImportsAtOnceCreateEachRecordOnce() throws {
        guard FileManager.default.fileExists(atPath: Self.corpus.path) else { return }
        let scratch = try Self.product(purls: try Self.namedPairs().map(\.purl))
        guard let binary = EvidentBinary.path else { throw ScratchError.noBinary }
        let arguments = ["triage", "import"] + paths()
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var values: [RunResult?] = [nil, nil]
            func set(_ index: Int, _ value: RunResult?) { lock.lock(); values[index] = value; lock.unlock() }
        }
        let box = Results()
        let (repo, environment) = (scratch.repo, scratch.environment)
        let group = DispatchGroup()
        for index in 0..<2 {
            DispatchQueue.global().async(group: group) {
                box.set(index, try? ProcessRunner.run(binary, arguments, in: repo, environment: environment))
            }
        }
        group.wait()
        let results = box.values
        #expect(results.allSatisfy { $0?.status == 0 }, "\(results.map { $0?.output ?? "" })")
        let files = try FileManager.default.contentsOfDirectory(atPath: scratch.repo.appendingPathComponent("security/defects").path).filter { $0.hasSuffix(".yaml") }
        let counts = results.compactMap { $0?.stdout.split(separator: "\n").last }.map(String.init)
        #expect(counts.contains { $0.hasPrefix("0 created") }, "one of the two finds everything tracked: \(counts)")
        let createdCount = counts.compactMap { Int($0.prefix { $0.isNumber }) }.reduce(0, +)
        #expect(files.count == createdCount && createdCount > 0)
    }

    @Test func badScannerFilesAreRefusedNamingTheFileAndNothingIsWritten() throws {
        let scratch = try Self.product(purls: ["pkg:npm/lodash@4.17.20"])
        try scratch.write("scans/truncated.json", "{\"matches\": [{\"vulnerability\": {\"id\": \"CVE-2021-23337\"")
        try scratch.write("scans/text.json", "Scan failed: no network\n")
        try scratch.write("scans/unknown.json", "{\"tool\": \"mystery\", \"items\": []}\n")
        try scratch.write("scans/deep.json", String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
        try scratch.write("scans/path-id.json", "{\"matches\":[{\"vulnerability\":{\"id\":\"../../../etc/passwd\"},\"artifact\":{\"name\":\"lodash\",\"version\":\"4.17.20\",\"purl\":\"pkg:npm/lodash@4.17.20\"}}],\"source\":{}}")
        try scratch.write("scans/control.json", "{\"matches\":[{\"vulnerability\":{\"id\":\"CVE-2021-23337\"},\"artifact\":{\"name\":\"lo\\u0000dash\",\"version\":\"4.17.20\",\"purl\":\"pkg:npm/lodash@4.17.20\"}}],\"source\":{}}")
        try scratch.write("scans/good.json", "{\"matches\":[{\"vulnerability\":{\"id\":\"CVE-2021-23337\",\"severity\":\"High\"},\"artifact\":{\"name\":\"lodash\",\"version\":\"4.17.20\",\"purl\":\"pkg:npm/lodash@4.17.20\"}}],\"source\":{},\"descriptor\":{\"name\":\"grype\"}}")
        // 300 MB (sparse): refused from its size, before a byte is read.
        try scratch.write("scans/huge.json", "{")
        let huge = try FileHandle(forWritingTo: scratch.repo.appendingPathComponent("scans/huge.json"))
        try huge.truncate(atOffset: 300 << 20)
        try huge.close()
        let before = try Self.snapshot(scratch)
        for bad in ["truncated", "text", "unknown", "deep", "path-id", "control", "huge"] {
            // A bad file next to a good one: the import refuses both, all or nothing.
            let result = try scratch.evident("triage", "import", "scans/good.json", "scans/\(bad).json")
            #expect(result.status == 1, "\(bad): \(result.output)")
            #expect(result.stderr.contains("scans/\(bad).json"), "\(bad): \(result.stderr)")
            #expect(result.stdout.isEmpty)
            #expect(try Self.snapshot(scratch) == before, "\(bad) wrote something")
        }
        let missing = try scratch.evident("triage", "import", "scans/none.json")
        #expect(missing.status == 1 && missing.stderr.contains("scans/none.json"))
        let dry = try scratch.evident("triage", "import", "--dry-run", "scans/good.json")
        #expect(dry.status == 0 && dry.stdout.contains("would create DEF-2026-001") && dry.stdout.contains("nothing written"), "\(dry.output)")
        #expect(try Self.snapshot(scratch) == before, "a dry run wrote something")
        let real = try scratch.evident("triage", "import", "scans/good.json")
        #expect(real.status == 0 && real.stdout.contains("created DEF-2026-001"), "\(real.output)")
        let record = String(decoding: try scratch.read("security/defects/DEF-2026-001.yaml"), as: UTF8.self)
        #expect(record.contains("severity: high") && record.contains("cve: CVE-2021-23337") && record.contains("affected-versions: [2.0.0]"), "\(record)")
    }

    @Test func cvssCommandScoresRefusesAndWritesCanonicalOrder() throws {
        let scratch = try Scratch()
        let ok = try scratch.evident("cvss", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "--format", "json")
        #expect(ok.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(ok.stdout.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 1 && object["base-score"] as? Double == 9.8 && object["severity"] as? String == "Critical" && object["cvss-version"] as? String == "3.1")
        let shuffled = try scratch.evident("cvss", "CVSS:4.0/SA:N/VC:H/AV:N/AC:L/AT:N/PR:N/UI:N/VI:H/VA:H/SC:N/SI:N")
        #expect(shuffled.status == 0 && shuffled.stdout == "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\n9.3 Critical\n", "\(shuffled.output)")
        let bad = try scratch.evident("cvss", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H")
        #expect(bad.status == 1 && bad.stderr.contains("base metric A missing") && bad.stdout.isEmpty, "\(bad.output)")
    }

    @Test func defectsBoardOfTheDemoAndAnOverdueDefect() throws {
        let scratch = try Scratch()
        let binary = try #require(EvidentBinary.path)
        let june = ["EVIDENT_TODAY": "2026-06-01"]
        let demo = try scratch.run(binary, ["demo", scratch.repo.path], env: june)
        #expect(demo.stdout.contains("1 error, 0 warnings"), "the demo's one planted error: \(demo.output)")
        let board = try scratch.run(binary, ["defects"], env: june)
        #expect(board.status == 0 && board.stdout.contains("DEF-2026-001  high  resolved (closed)") && board.stdout.contains("2026-Q2  1 defect  2 / 14 / 21"), "\(board.output)")
        let open = try scratch.run(binary, ["defects", "--open", "--format", "json"], env: june)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(open.stdout.utf8)) as? [String: Any])
        #expect((object["defects"] as? [Any])?.isEmpty == true)
        try scratch.write("security/defects/DEF-2026-002.yaml", """
            kind: defect
            id: DEF-2026-002
            title: Session token reuse
            status: draft
            owner: alice@example.com
            source: customer
            received: 2026-04-15
            description: Tokens survive a logout.
            cvss: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H
            affected-versions: ["2.3.1"]
            analysis:
              state: in_triage
            exploitation: {actively-exploited: true, known: 2026-05-30T10:00:00Z}

            """)
        let overdue = try scratch.run(binary, ["defects", "--open"], env: ["EVIDENT_TODAY": "2026-06-01", "EVIDENT_NOW": "2026-05-31T04:00:00Z"])
        #expect(overdue.status == 1, "\(overdue.output)")
        #expect(overdue.stdout.contains("[triage-deadline] not triaged: the deadline 2026-04-17 passed"), "\(overdue.stdout)")
        #expect(overdue.stdout.contains("CRA early-warning due 2026-05-31T10:00:00Z (24 h after exploitation.known): 6 h left"), "\(overdue.stdout)")
        let check = try scratch.run(binary, ["check"], env: june)
        #expect(check.stdout.contains("[release-open-defects] DEF-2026-002"), "REL-2.3.1 did not review it: \(check.stdout)")
    }
}

extension Scratch {
    /// Runs the built evident binary with an argument list.
    @discardableResult
    func evident(arguments: [String]) throws -> RunResult {
        guard let binary = EvidentBinary.path else { throw ScratchError.noBinary }
        return try run(binary, arguments)
    }
}
