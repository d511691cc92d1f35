import Foundation
import Testing
@testable import Vulnerabilities

/// The CSAF checker held to the OASIS TC's validator test files (CSAF 2.0 section 6.1): every invalid
/// file (`...-6-1-NN-0x.json`) is flagged by the test its name targets, every valid one (`-1x`) is clean.
struct CSAFCheckerTests {
    static let corpora = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/corpora/csaf").standardizedFileURL
    static let mandatory = corpora.appendingPathComponent("oasis-tests/validator/data/mandatory")

    /// `oasis_csaf_tc-csaf_2_0-2021-6-1-27-09-01.json` -> ("6.1.27.9", invalid); `...-6-1-08-11` -> ("6.1.8", valid).
    static func target(of name: String) -> (test: String, invalid: Bool)? {
        guard let range = name.range(of: "-2021-6-1-") else { return nil }
        let parts = name[range.upperBound...].dropLast(5).split(separator: "-").compactMap { Int($0) }
        guard parts.count >= 2, let last = parts.last else { return nil }
        let test = "6.1." + parts.dropLast().map(String.init).joined(separator: ".")
        return (test, last < 10)
    }

    static func files() -> [URL] {
        (try? FileManager.default.contentsOfDirectory(at: mandatory, includingPropertiesForKeys: nil))?
            .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent } ?? []
    }

    @Test func oasisMandatoryTestFiles() throws {
        let files = Self.files()
        guard !files.isEmpty else {
            print("CSAF OASIS test files not found at \(Self.mandatory.path): skipped")
            return
        }
        var failures: [String] = []
        var invalid = 0, valid = 0
        for file in files {
            guard let target = Self.target(of: file.lastPathComponent) else { continue }
            let findings = CSAFChecker().check(data: try Data(contentsOf: file))
            let mandatory = findings.filter { $0.test != "schema" }
            if target.invalid {
                invalid += 1
                if !mandatory.contains(where: { $0.test == target.test }) {
                    failures.append("\(file.lastPathComponent): expected \(target.test), got \(findings.map(\.description))")
                }
                // Only the 6.1.8 files are also schema-invalid.
                let schema = findings.filter { $0.test == "schema" }
                if !schema.isEmpty && target.test != "6.1.8" {
                    failures.append("\(file.lastPathComponent): unexpected schema findings \(schema.map(\.description))")
                }
            } else {
                valid += 1
                if !findings.isEmpty { failures.append("\(file.lastPathComponent): expected clean, got \(findings.map(\.description))") }
            }
        }
        print("CSAF OASIS mandatory tests: \(invalid) invalid and \(valid) valid files, \(failures.count) failures")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        #expect(invalid >= 87 && valid >= 60)
    }

    /// Findings carry the line and column of the value they concern.
    @Test func findingsArePlaced() throws {
        let text = """
        {
          "document": {
            "category": "csaf_base",
            "csaf_version": "2.0",
            "lang": "EZ",
            "publisher": {"category": "vendor", "name": "Example", "namespace": "https://example.com"},
            "title": "t",
            "tracking": {"current_release_date": "2024-01-01T00:00:00Z", "id": "x", "initial_release_date": "2024-01-01T00:00:00Z",
              "revision_history": [{"date": "2024-01-01T00:00:00Z", "number": "1", "summary": "s"}], "status": "final", "version": "1"}
          }
        }
        """
        let findings = CSAFChecker().check(data: Data(text.utf8))
        let language = try #require(findings.first { $0.test == "6.1.12" })
        #expect(language.line == 5 && language.column == 13)
        #expect(findings.count == 1)
    }

    @Test func notJSON() {
        let findings = CSAFChecker().check(data: Data("{\n  \"a\": ".utf8))
        #expect(findings.count == 1 && findings[0].test == "json" && findings[0].line == 2)
    }

    @Test(arguments: [("en", true), ("de-DE", true), ("EZ", false), ("en-US-x-private", true), ("zh-Hant-TW", true),
                      ("i-klingon", true), ("xx", false), ("en-ZY", false), ("en-QQ", true), ("sgn-ase", true), ("en--US", false)])
    func languageTags(tag: String, valid: Bool) {
        #expect((LanguageTag.problem(tag) == nil) == valid, "\(tag): \(LanguageTag.problem(tag) ?? "valid")")
    }

    @Test(arguments: [("pkg:maven/org.apache/commons@1.3.4", true), ("pkg:maven/@1.3.4", false), ("pkg:npm/%40angular/core@1.0", true),
                      ("pkg:generic/example.com/fg200-firmware@2.3.0", true), ("http://x", false), ("pkg:1abc/x", false),
                      ("pkg:npm/foo?arch", false), ("pkg:github/a/b@v1?x=1#sub/path", true)])
    func packageURLs(purl: String, valid: Bool) {
        #expect((PackageURL.problem(purl) == nil) == valid, "\(purl): \(PackageURL.problem(purl) ?? "valid")")
    }

    @Test func cweCatalog() {
        #expect(CWECatalog.entry("CWE-121")?.name == "Stack-based Buffer Overflow")
        #expect(CWECatalog.entry("CWE-787")?.name == "Out-of-bounds Write")
        #expect(CWECatalog.entry("CWE-99999") == nil)
        #expect(CWECatalog.entry("CWE-0121") == nil)
    }

    /// The embedded schemas are the official ones, byte for byte.
    @Test func embeddedSchemasAreTheOfficialOnes() throws {
        let folder = Self.corpora.appendingPathComponent("schema")
        guard FileManager.default.fileExists(atPath: folder.path) else { return }
        #expect(try String(contentsOf: folder.appendingPathComponent("csaf_json_schema.json"), encoding: .utf8) == CSAFSchemaData.csaf)
        #expect(try String(contentsOf: folder.appendingPathComponent("first/cvss-v3.1.json"), encoding: .utf8) == CSAFSchemaData.cvss31)
        #expect(try String(contentsOf: folder.appendingPathComponent("first/cvss-v3.0.json"), encoding: .utf8) == CSAFSchemaData.cvss30)
        #expect(try String(contentsOf: folder.appendingPathComponent("first/cvss-v2.0.json"), encoding: .utf8) == CSAFSchemaData.cvss20)
    }
}

/// Real advisories (CISA ICS/IT, Red Hat, the OASIS examples): clean, except the problems their
/// publishers left in, which the independent validator (pip `csaf`) finds too.
struct CSAFRealDocumentTests {
    static let expected: [String: Set<String>] = [
        "redhat/rhsa-2003_315.json": ["6.1.14", "6.1.21"],
        "cisa-ics/icsa-24-116-04.json": ["6.1.31"],
    ]

    @Test func corporaAdvisories() throws {
        let root = CSAFCheckerTests.corpora
        var files: [String] = []
        for folder in ["cisa-ics", "cisa-it", "redhat", "oasis-examples/csaf", "oasis-examples/csaf/csaf_vex"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)) ?? []
            files += names.filter { $0.hasSuffix(".json") && !$0.contains("provider-metadata") && !$0.contains("feed") }.map { "\(folder)/\($0)" }
        }
        guard !files.isEmpty else {
            print("CSAF corpora not found: skipped")
            return
        }
        var checked = 0
        for file in files.sorted() {
            let data = try Data(contentsOf: root.appendingPathComponent(file))
            guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any], json["document"] != nil else { continue }
            let tests = Set(CSAFChecker().check(data: data).map(\.test))
            #expect(tests == Self.expected[file] ?? [], "\(file): \(tests.sorted())")
            checked += 1
        }
        print("CSAF real documents checked: \(checked)")
        #expect(checked >= 30)
    }

    /// Damaged documents (truncated, bytes flipped) give findings, never a crash.
    @Test func damagedDocumentsNeverCrash() throws {
        let files = CSAFCheckerTests.files().prefix(40)
        var runs = 0
        for file in files {
            let data = try Data(contentsOf: file)
            for cut in stride(from: 1, to: data.count, by: max(1, data.count / 7)) {
                _ = CSAFChecker().check(data: data.prefix(cut))
                var flipped = data
                flipped[cut] ^= 0x20
                _ = CSAFChecker().check(data: flipped)
                runs += 2
            }
        }
        #expect(files.isEmpty || runs > 100)
    }
}
