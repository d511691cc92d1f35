import Foundation
import Testing
@testable import EvidentCore

/// Every rule's own examples: those that should trigger it do, those that should not, do not.
struct RuleExampleTests {
    static let catalog: Catalog = {
        do { return try Catalog.standard() } catch { preconditionFailure("catalog: \(error)") }
    }()

    static func findings(of rule: any Rule.Type, in example: RuleExample) throws -> [Finding] {
        let project = try Project.load(from: MemorySource(example.files), catalog: catalog, today: example.today)
        return rule.init().check(project)
    }

    static let rules: [any Rule.Type] = RuleRegistry.all

    @Test(arguments: RuleRegistry.all.map { $0.description.id })
    func triggeringExamplesTrigger(ruleID: String) throws {
        let rule = try #require(RuleRegistry.rule(id: ruleID))
        for (index, example) in rule.description.triggering.enumerated() {
            let found = try Self.findings(of: rule, in: example)
            #expect(found.contains { $0.rule == ruleID }, "example \(index) of \(ruleID) should trigger it")
            for finding in found {
                #expect(finding.line >= 1 && finding.column >= 1)
            }
        }
    }

    @Test(arguments: RuleRegistry.all.map { $0.description.id })
    func nonTriggeringExamplesDoNot(ruleID: String) throws {
        let rule = try #require(RuleRegistry.rule(id: ruleID))
        for (index, example) in rule.description.nonTriggering.enumerated() {
            let found = try Self.findings(of: rule, in: example)
            #expect(found.isEmpty, "example \(index) of \(ruleID) should not trigger it: \(found)")
        }
    }

    @Test func ruleIDsAreUnique() {
        let ids = RuleRegistry.all.map { $0.description.id }
        #expect(Set(ids).count == ids.count)
    }
}
