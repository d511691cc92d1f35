import Foundation
import Testing
@testable import EvidentCore

struct DanglingReferenceTests {
    /// Above the scan limit, suggestions come from the one-deletion index and are still found.
    @Test func suggestionsHoldInALargeRepository() throws {
        var files: [String: String] = [:]
        for index in 0..<1_500 {
            files["security/d\(index).yaml"] = "kind: defect\nid: DEF-\(1000 + index)\ntitle: A\nstatus: draft\nowner: a@example.com\n"
        }
        files["security/a.yaml"] = "kind: advisory\nid: ADV-1\ntitle: A\nstatus: draft\nowner: a@example.com\ndefects: [DEF-12345, ZZZ-1]\n"
        let example = RuleExample(files)
        let project = try Project.load(from: MemorySource(example.files), catalog: RuleExampleTests.catalog, today: example.today)
        let findings = DanglingReferenceRule().check(project).filter { $0.path == "security/a.yaml" }
        #expect(findings.count == 2)
        #expect(findings.contains { $0.message.contains("'DEF-12345'") && $0.message.contains("did you mean 'DEF-1234'") })
        #expect(findings.contains { $0.message.contains("'ZZZ-1'") && !$0.message.contains("did you mean") })
    }

    @Test func referenceFieldsComeFromTheSchemas() {
        let fields = ReferenceFields.shared.fields(of: "threat-model").filter { $0.target == .record }.map(\.display)
        #expect(fields.contains("threats[].mitigations[].record"))
        #expect(fields.contains("links[].to"))
        #expect(!fields.contains("id"))
        let review = ReferenceFields.shared.fields(of: "code-review").first { $0.display == "coding-standard" }
        #expect(review?.kinds == ["guideline", "process"])
        #expect(ReferenceFields.shared.fields(of: "release").contains { $0.display == "tag" && $0.target == .tag })
    }
}
