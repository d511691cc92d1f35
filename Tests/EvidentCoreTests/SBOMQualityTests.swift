import Foundation
import Testing
@testable import EvidentCore

/// SBOM judgement on real generator output from ../shared/corpora: evident's own structural schema
/// never rejects what the official schema accepts; completeness is counted per element against an
/// independent count (JSONSerialization here, not evident's reader); purls match regardless of
/// qualifier order and a near miss is suggested.
struct SBOMQualityTests {
    static let corpora = SBOMConformanceTests.corpora

    static func project(_ files: [String: Data], config: String = RuleExample.defaultConfig) throws -> Project {
        var files = files
        files[".evident.yml"] = Data(config.utf8)
        return try Project.load(from: MemorySource(data: files), catalog: try Catalog.standard(), today: "2026-06-01")
    }

    static func record(format: String, purl: String = "pkg:generic/none@1") -> String {
        "kind: sbom\nid: SBOM-1\ntitle: SBOM\nstatus: draft\nowner: a@example.com\ndocument: sbom/doc.json\nformat: \(format)\nrisk-handling:\n  - component: \"\(purl)\"\n    decision: monitor\n    rationale: Not assessed yet.\n"
    }

    /// Every corpus document the official schema accepts (per the committed Python jsonschema
    /// verdicts) passes evident's own structural schema: validity without sbom-schemas is never stricter.
    @Test func builtinSchemaNeverStricterThanTheOfficialOne() throws {
        let verdicts = SBOMConformanceTests.packageRoot.appendingPathComponent("Tests/EvidentCoreTests/Fixtures/sbom/verdicts.tsv")
        guard FileManager.default.fileExists(atPath: Self.corpora.path) else {
            print("../shared/corpora not found: built-in SBOM schema comparison skipped")
            return
        }
        var compared = 0, lenient = 0
        for line in try String(contentsOf: verdicts, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 3, let data = try? Data(contentsOf: Self.corpora.appendingPathComponent(fields[0])),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
            let format = object["bomFormat"] != nil ? "cyclonedx" : "spdx"
            let version = (object["specVersion"] ?? object["spdxVersion"]) as? String ?? ""
            guard ["1.4", "1.5", "1.6", "SPDX-2.3"].contains(version) else { continue }
            let project = try Self.project(["security/sbom.yaml": Data(Self.record(format: format).utf8), "sbom/doc.json": data])
            let errors = SBOMDocumentRule().check(project)
            if fields[2] == "valid" {
                compared += 1
                #expect(errors.isEmpty, "\(fields[0]) is valid against \(fields[1]) but evident's schema says: \(errors.prefix(3).map(\.message))")
            } else if errors.isEmpty {
                lenient += 1
            }
        }
        #expect(compared > 50)
        print("built-in SBOM schemas: \(compared) officially valid documents all accepted; \(lenient) officially invalid ones accepted (structure only)")
    }

    @Test func completenessIsCountedPerElementOnARealSBOM() throws {
        let file = Self.corpora.appendingPathComponent("cyclonedx/real/cyclonedx-gomod/mod_minikube-v1.23.1.bom.json")
        guard let data = try? Data(contentsOf: file) else {
            print("cyclonedx-gomod corpus file not found: skipped")
            return
        }
        // The oracle: count with JSONSerialization.
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var components: [[String: Any]] = []
        func walk(_ list: Any?) {
            for item in list as? [[String: Any]] ?? [] {
                components.append(item)
                walk(item["components"])
            }
        }
        walk(object["components"])
        let noSupplier = components.filter { (($0["supplier"] as? [String: Any])?["name"] as? String ?? "").isEmpty && ($0["manufacturer"] == nil) && ($0["publisher"] == nil) }.count
        let project = try Self.project(["security/sbom.yaml": Data(Self.record(format: "cyclonedx").utf8), "sbom/doc.json": data])
        #expect(SBOMDocumentRule().check(project).isEmpty, "schema-valid from a real generator: no error")
        let quality = SBOMQualityRule().check(project)
        #expect(quality.allSatisfy { $0.severity == .warning && $0.path == "sbom/doc.json" })
        #expect(quality.count <= 9, "aggregated per element, never per component: \(quality.count)")
        #expect(quality.contains { $0.message.hasPrefix("\(noSupplier) of \(components.count) components have no supplier (NTIA minimum elements") },
                "\(quality.map(\.message))")
        #expect(quality.contains { $0.message.hasPrefix("SBOM quality score ") })
        // BSI adds the licence and SHA-512 elements; `none` turns the rule off.
        let bsi = SBOMQualityRule().check(try Self.project(["security/sbom.yaml": Data(Self.record(format: "cyclonedx").utf8), "sbom/doc.json": data],
                                                            config: RuleExample.defaultConfig + "sbom-quality:\n  profile: bsi-tr-03183-2\n  severity: error\n"))
        #expect(bsi.contains { $0.message.contains("have no SHA-512 hash (BSI TR-03183-2") && $0.severity == .error }, "\(bsi.map(\.message))")
        let none = SBOMQualityRule().check(try Self.project(["security/sbom.yaml": Data(Self.record(format: "cyclonedx").utf8), "sbom/doc.json": data],
                                                             config: RuleExample.defaultConfig + "sbom-quality: none\n"))
        #expect(none.isEmpty)
    }

    @Test func purlsMatchWhateverTheQualifierOrderAndNearMissesAreSuggested() throws {
        let file = Self.corpora.appendingPathComponent("cyclonedx/real/cyclonedx-gomod/mod_minikube-v1.23.1.bom.json")
        guard let data = try? Data(contentsOf: file) else {
            print("cyclonedx-gomod corpus file not found: skipped")
            return
        }
        // Listed as pkg:golang/cloud.google.com/go@v0.93.3?type=module&goos=linux&goarch=arm64
        let reordered = Self.record(format: "cyclonedx", purl: "pkg:golang/cloud.google.com/go@v0.93.3?goarch=arm64&goos=linux&type=module")
        let matched = SBOMComponentRule().check(try Self.project(["security/sbom.yaml": Data(reordered.utf8), "sbom/doc.json": data]))
        #expect(matched.isEmpty, "\(matched.map(\.message))")
        let bare = Self.record(format: "cyclonedx", purl: "pkg:golang/cloud.google.com/go@v0.93.3")
        let missed = SBOMComponentRule().check(try Self.project(["security/sbom.yaml": Data(bare.utf8), "sbom/doc.json": data]))
        #expect(missed.count == 1)
        #expect(missed.first?.message.hasSuffix("did you mean 'pkg:golang/cloud.google.com/go@v0.93.3?type=module&goos=linux&goarch=arm64'?") == true,
                "\(missed.map(\.message))")
    }

    @Test func intakeReadsFormatVersionTimeAndProductFromRealSBOMs() throws {
        for (path, format, version, generated) in [
            ("cyclonedx/real/cyclonedx-gomod/mod_minikube-v1.23.1.bom.json", "cyclonedx", "1.5", "2024-09-14"),
            ("spdx/real/guac/oci-kubectl-linux-amd64-spdx-2.3.json", "spdx", "2.3", "2023-10-12"),
        ] {
            guard let data = try? Data(contentsOf: Self.corpora.appendingPathComponent(path)) else { continue }
            let facts = try SBOMFacts.read("sbom/doc.json", from: MemorySource(data: ["sbom/doc.json": data]))
            #expect(facts.format == format && facts.specVersion == version && facts.generated == generated, "\(path): \(facts)")
            #expect(facts.productName?.isEmpty == false, "\(path)")
            #expect(!facts.componentPurls.isEmpty, "\(path)")
        }
    }
}
