import Foundation
import Testing
@testable import EvidentCore

struct CVSSVectorRuleTests {
    @Test func ruleNamesTheComputedScore() throws {
        let example = RuleExample(["security/a.yaml": "kind: defect\nid: DEF-1\ntitle: A\nstatus: draft\nowner: a@example.com\ncvss: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\ncvss-score: 7.5\n"])
        let project = try Project.load(from: MemorySource(example.files), catalog: RuleExampleTests.catalog, today: example.today)
        let findings = CVSSVectorRule().check(project)
        #expect(findings.count == 1)
        #expect(findings.first?.message.contains("9.8") == true)
        #expect(findings.first?.line == 7)
    }

    @Test func outOfOrderV4NamesTheCanonicalForm() throws {
        let example = RuleExample(["security/a.yaml": "kind: defect\nid: DEF-1\ntitle: A\nstatus: draft\nowner: a@example.com\ncvss: CVSS:4.0/VC:H/AV:N/AC:L/AT:N/PR:N/UI:N/VI:H/VA:H/SC:N/SI:N/SA:N\n"])
        let project = try Project.load(from: MemorySource(example.files), catalog: RuleExampleTests.catalog, today: example.today)
        let findings = CVSSVectorRule().check(project)
        #expect(findings.count == 1)
        #expect(findings.first?.message.hasSuffix("write it as CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N") == true, "\(findings)")
    }
}
