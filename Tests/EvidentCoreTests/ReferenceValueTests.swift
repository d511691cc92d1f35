import Foundation
import Testing
@testable import EvidentCore

/// A record's reference values are kept compact (list positions packed, the text read from the
/// node); these hold them to what a walk of the record spelling every location out gives.
struct ReferenceValueTests {
    private func record(_ text: String) throws -> Record {
        Record(path: "security/r.yaml", node: try #require(YAMLLoader.load(Data(text.utf8)).root))
    }

    /// Every value of every field, with the location spelled the simple way: each step's key, each
    /// list position from 1, each free key.
    private func spelled(_ record: Record) -> [(String, String, Mark)] {
        var found: [(String, String, Mark)] = []
        func walk(_ node: YAMLNode, _ steps: ArraySlice<ReferenceField.Step>, _ field: ReferenceField, _ location: String) {
            guard let step = steps.first else {
                if field.target == .threatRef {
                    if case .mapping = node { found.append((location, "", node.mark)) }
                } else if let value = node.scalarString {
                    found.append((location, value, node.mark))
                }
                return
            }
            switch step {
            case .key(let key):
                if let child = node[key] { walk(child, steps.dropFirst(), field, location.isEmpty ? key : "\(location).\(key)") }
            case .each:
                for (index, item) in node.items.enumerated() { walk(item, steps.dropFirst(), field, "\(location)[\(index + 1)]") }
            case .anyKey:
                if case .mapping(let pairs, _) = node {
                    for pair in pairs { walk(pair.value, steps.dropFirst(), field, "\(location).\(pair.key.string ?? "?")") }
                }
            }
        }
        for field in ReferenceFields.shared.fields(of: record.kind ?? "") { walk(record.node, field.steps[...], field, "") }
        return found
    }

    private func expectSame(_ record: Record) {
        let values = ReferenceFields.shared.values(in: record)
        let expected = spelled(record)
        #expect(values.count == expected.count)
        for (value, (location, text, mark)) in zip(values, expected) {
            #expect(value.location == location)
            #expect(value.value == text)
            #expect(value.mark == mark)
        }
    }

    @Test func locationsOfNestedListsAndLinks() throws {
        let model = try record("""
            kind: threat-model
            id: TM-1
            title: T
            status: draft
            owner: a@example.com
            links:
              - {to: DEF-1, type: relates-to}
              - {to: DEF-2, type: relates-to}
            threats:
              - id: T1
                mitigations: [{record: REQ-1}, {record: REQ-2}]
              - id: T2
                mitigations: [{record: REQ-3}, {record: REQ-4}, {record: REQ-5}]
            """)
        expectSame(model)
        let locations = ReferenceFields.shared.values(in: model, targets: [.record]).map(\.location)
        #expect(locations.contains("threats[2].mitigations[3].record"))
        #expect(locations.contains("links[2].to"))
    }

    /// Every template as `evident new` fills it, and every valid fixture record: each kind's fields,
    /// in field order.
    @Test func templatesAndFixturesMatchTheSpelledWalk() throws {
        var kinds = 0
        for (name, _) in Templates.schemaFiles where name.hasSuffix(".schema.json") {
            let kind = String(name.dropLast(".schema.json".count))
            guard let template = Templates.template(for: kind) else { continue }
            // Filled as `evident new` fills it (an SBOM record without a document named).
            let facts = SBOMFacts(path: "security/sbom/replace-me.cdx.json", format: "cyclonedx", specVersion: "1.5", generated: "2026-01-01",
                                  componentPurls: ["pkg:generic/replace-me@1.0.0"], componentCount: 1)
            let filled = Templates.fill(template, ["id": "X-1", "title": "T", "owner": "a@example.com", "date": "2026-01-01",
                                                   "document": facts.path, "format": facts.format, "spec-version": facts.specVersion],
                                        raw: ["schema-dir": "s", "details": ProjectSetup.sbomDetails(facts), "risk-handling": ProjectSetup.riskHandling(facts)])
            #expect(!filled.contains("{{"))
            expectSame(try record(filled))
            kinds += 1
        }
        #expect(kinds > 10)
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/records/valid")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(!files.isEmpty)
        for file in files { expectSame(try record(String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8))) }
    }

    /// A list longer than 16 bits of positions: the location is spelled out instead of packed.
    @Test func longListsKeepTheirPositions() throws {
        var text = "kind: sbom\nid: SBOM-1\ntitle: S\nstatus: draft\nowner: a@example.com\nevidence-for: [SM-1]\nlinks:\n"
        for index in 0..<70_000 { text += "  - {to: R-\(index), type: relates-to}\n" }
        let sbom = try record(text)
        let values = ReferenceFields.shared.values(in: sbom, targets: [.record])
        #expect(values.count == 70_000)
        #expect(values.last?.location == "links[70000].to")
        #expect(values[65_534].location == "links[65535].to")
        #expect(values[65_535].location == "links[65536].to")
        expectSame(sbom)
    }

    /// Asked for several targets, values come back in field order, as one target's do.
    @Test func severalTargetsInFieldOrder() throws {
        let review = try record("""
            kind: code-review
            id: CR-1
            title: R
            status: draft
            owner: a@example.com
            authors: [a@example.com, c@example.com]
            reviewers: [b@example.com]
            range: abc123..def456
            """)
        let all = ReferenceFields.shared.values(in: review).map(\.ordinal)
        #expect(all == all.sorted())
        let some = ReferenceFields.shared.values(in: review, targets: [.commit, .commitRange, .person]).map(\.ordinal)
        #expect(some == some.sorted())
        #expect(some.count == ReferenceFields.shared.values(in: review).filter { [.commit, .commitRange, .person].contains($0.field.target) }.count)
    }

    @Test func slotsFollowAllCases() {
        for (index, target) in ReferenceTarget.allCases.enumerated() { #expect(target.slot == index) }
    }
}
