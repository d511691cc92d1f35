import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import EvidentCore
import Testing

/// `check --format sarif` against the official SARIF 2.1.0 schema, and `--format junit` as XML.
struct MachineFormatTests {
    static let schema = EvidentBinary.packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/corpora/sarif/sarif-schema-2.1.0.json")

    /// A product with one good record, one broken one and one with a dangling link.
    func productWithFindings() throws -> Scratch {
        let scratch = try Scratch.product()
        #expect(try scratch.evident("new", "threat-model", "--title", "Gateway").status == 0)
        try scratch.write("security/threat-models/TM-900.yaml", "kind: threat-model\nid: TM-900\ntitle: [unclosed\n")
        try scratch.write("security/sub folder/DEF 1.yaml", "kind: defect\nid: DEF-1\ntitle: A defect\nstatus: draft\nowner: ada@example.com\nlinks:\n  - to: NOPE-1\n    relation: fixes\n")
        // Under revision with an old approval block: a note (SARIF level "note").
        try scratch.write("security/defects/DEF-2.yaml", "kind: defect\nid: DEF-2\ntitle: Another\nstatus: in-review\nowner: ada@example.com\napproval:\n  by: lead@example.com\n  date: 2026-01-02\n  digest: sha256:\(String(repeating: "0", count: 64))\n")
        return scratch
    }

    @Test func sarifHasTheShapeCodeScanningReads() throws {
        let scratch = try productWithFindings()
        let result = try scratch.evident("check", "--format", "sarif")
        #expect(result.status == 1, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(json?["version"] as? String == "2.1.0")
        let runs = json?["runs"] as? [[String: Any]] ?? []
        #expect(runs.count == 1)
        let driver = (runs.first?["tool"] as? [String: Any])?["driver"] as? [String: Any] ?? [:]
        #expect(driver["name"] as? String == "evident")
        #expect(driver["version"] is String)
        #expect(driver["informationUri"] is String)
        let rules = driver["rules"] as? [[String: Any]] ?? []
        #expect(!rules.isEmpty)
        for rule in rules {
            for key in ["id", "name", "shortDescription", "fullDescription", "help", "defaultConfiguration"] {
                #expect(rule[key] != nil, "rule without \(key)")
            }
        }
        let results = runs.first?["results"] as? [[String: Any]] ?? []
        #expect(!results.isEmpty)
        for finding in results {
            let index = finding["ruleIndex"] as? Int ?? -1
            #expect(rules.indices.contains(index))
            if rules.indices.contains(index) { #expect(rules[index]["id"] as? String == finding["ruleId"] as? String) }
            #expect(["error", "warning", "note"].contains(finding["level"] as? String ?? ""))
            let location = ((finding["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]) ?? [:]
            let artifact = location["artifactLocation"] as? [String: Any] ?? [:]
            let uri = artifact["uri"] as? String ?? "/"
            #expect(!uri.hasPrefix("/") && !uri.contains(" "), "\(uri)")
            #expect(artifact["uriBaseId"] as? String == "%SRCROOT%")
            let region = location["region"] as? [String: Any] ?? [:]
            #expect((region["startLine"] as? Int ?? 0) >= 1)
            #expect((region["startColumn"] as? Int ?? 0) >= 1)
        }
        let uris = results.compactMap { ((($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])?["uri"] as? String }
        #expect(uris.contains("security/threat-models/TM-900.yaml"))
        #expect(uris.contains("security/sub%20folder/DEF%201.yaml"))
        #expect(results.contains { $0["ruleId"] as? String == "stale-approval" && $0["level"] as? String == "note" })
    }

    @Test func sarifValidatesAgainstTheOfficialSchema() throws {
        guard FileManager.default.fileExists(atPath: Self.schema.path) else {
            print("note: \(Self.schema.path) is absent; SARIF schema validation skipped")
            return
        }
        let scratch = try productWithFindings()
        let result = try scratch.evident("check", "--format", "sarif")
        let sarif = scratch.root.appendingPathComponent("check.sarif")
        try Data(result.stdout.utf8).write(to: sarif)
        let script = """
        import json, sys
        try:
            import jsonschema
        except ImportError:
            print("SKIP: python jsonschema is not installed"); sys.exit(0)
        schema = json.load(open(sys.argv[1]))
        document = json.load(open(sys.argv[2]))
        errors = list(jsonschema.Draft4Validator(schema).iter_errors(document))
        for error in errors:
            print("/".join(map(str, error.absolute_path)), error.message)
        print("VALID" if not errors else "INVALID")
        sys.exit(1 if errors else 0)
        """
        let validated = try scratch.run("/usr/bin/env", ["python3", "-c", script, Self.schema.path, sarif.path])
        if validated.stdout.hasPrefix("SKIP") { print("note: \(validated.stdout)"); return }
        #expect(validated.status == 0, "\(validated.output)")
        #expect(validated.stdout.contains("VALID"))
    }

    @Test func junitIsWellFormedWithACasePerRecordAndAFailurePerError() throws {
        let scratch = try productWithFindings()
        let json = try scratch.evident("check", "--format", "json")
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let findings = parsed?["findings"] as? [[String: Any]] ?? []
        let errors = findings.filter { $0["severity"] as? String == "error" }
        let errorPaths = Set(errors.compactMap { $0["path"] as? String })

        let result = try scratch.evident("check", "--format", "junit")
        #expect(result.status == 1)
        let data = Data(result.stdout.utf8)
        let parser = XMLParser(data: data)
        #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")

        let document = try XMLDocument(data: data)
        let suites = try document.nodes(forXPath: "/testsuites/testsuite")
        #expect(suites.count == 1)
        let cases = try document.nodes(forXPath: "//testcase").compactMap { $0 as? XMLElement }
        let failures = try document.nodes(forXPath: "//testcase/failure")
        #expect(failures.count == errors.count)
        let casePaths = Set(cases.compactMap { $0.attribute(forName: "file")?.stringValue })
        #expect(errorPaths.isSubset(of: casePaths))
        #expect(casePaths.contains { $0.hasPrefix("security/threat-models/TM-") && $0 != "security/threat-models/TM-900.yaml" })
        let suite = suites.first as? XMLElement
        #expect(suite?.attribute(forName: "tests")?.stringValue == "\(cases.count)")
        #expect(suite?.attribute(forName: "failures")?.stringValue == "\(errors.count)")
    }

    @Test func junitEscapesWhatXMLForbids() {
        let finding = Finding(rule: "yaml-syntax", severity: .error, path: "a&b <c>.yaml", message: "bad \u{01} <tag> & \"quote\"\nnext\u{FFFE}")
        let report = CheckReport(findings: [finding], recordCount: 0)
        let xml = JUnitReporter().render(report, context: ReportContext(toolVersion: "1 & 2"))
        let parser = XMLParser(data: Data(xml.utf8))
        #expect(parser.parse(), "\(xml)")
        #expect(xml.contains("failures=\"1\""))
    }
}
