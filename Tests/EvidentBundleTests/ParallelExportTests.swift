import Foundation
import Testing
@testable import EvidentBundle
@testable import EvidentCore

@Suite struct ParallelExportTests {
    @Test func orderedParallelConsumesInIndexOrderWithinItsWindow() throws {
        var consumed: [Int] = []
        let lock = NSLock()
        var inFlight = 0
        var mostInFlight = 0
        try OrderedParallel.run(count: 2_000, maxAhead: 16, maxWeight: .max, weight: { _ in 1 }, make: { index -> Int in
            lock.lock()
            inFlight += 1
            mostInFlight = max(mostInFlight, inFlight)
            lock.unlock()
            // Uneven work, so items finish out of order.
            if index % 7 == 0 { usleep(200) }
            return index * 3
        }, consume: { index, item in
            #expect(item == index * 3)
            consumed.append(index)
            lock.lock()
            inFlight -= 1
            lock.unlock()
        })
        #expect(consumed == Array(0..<2_000))
        #expect(mostInFlight <= 16)
    }

    @Test func orderedParallelStopsAtTheFirstFailure() {
        struct Broken: Error {}
        var consumed = 0
        #expect(throws: Broken.self) {
            try OrderedParallel.run(count: 1_000, maxAhead: 8, maxWeight: .max, weight: { _ in 1 }, make: { index -> Int in
                if index == 100 { throw Broken() }
                return index
            }, consume: { _, _ in consumed += 1 })
        }
        #expect(consumed <= 100)
    }

    /// The field-by-field coverage.json against the nested dictionaries it replaced, on the demo.
    @Test func coverageJSONMatchesTheDictionaryForm() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let workspace = try Demo.build(in: scratch)
        let project = try workspace.loadProject(.revision("v2.3.1"), today: "2026-06-01")
        let report = CoverageCalculator().coverage(of: project, trailers: try workspace.trailerIndex(.revision("v2.3.1")))
        #expect(report.requirements.contains { !$0.evidence.isEmpty && $0.evidence.contains { $0.attribution != nil } })
        let requirements: [[String: Any]] = report.requirements.map { item in
            [
                "id": item.requirement.id, "practice": item.requirement.practice, "clause": item.requirement.clause,
                "title": item.requirement.title, "status": item.status.rawValue, "reason": item.reason,
                "next-step": item.nextStep ?? NSNull(),
                "trailer-commits": item.trailerCommits,
                "evidence": item.evidence.map { evidence -> [String: Any] in
                    [
                        "record": evidence.record, "kind": evidence.kind, "path": evidence.path, "role": evidence.role.rawValue,
                        "status": evidence.status, "approved": evidence.approved, "excluded": evidence.excluded ?? NSNull(),
                        "commits": evidence.attribution?.commits ?? 0,
                        "last-changed": evidence.attribution?.lastChanged?.date ?? NSNull(),
                        "attribution": JSONOutput.attribution(evidence.attribution),
                    ]
                },
            ]
        }
        #expect(!report.processMetrics.quarters.isEmpty, "the demo's defect gives a quarter")
        // Whole medians are written as integers ("14"), halves with their fraction.
        func median(_ value: Double?) -> Any { value.map { $0 == $0.rounded() ? Int($0) as Any : $0 as Any } ?? NSNull() }
        let metrics: [String: Any] = ["quarters": report.processMetrics.quarters.map { quarter -> [String: Any] in
            ["quarter": quarter.quarter, "defects": quarter.defects, "median-days-to-triage": median(quarter.medianDaysToTriage),
             "median-days-to-fix": median(quarter.medianDaysToFix), "median-days-to-disclose": median(quarter.medianDaysToDisclose)]
        }]
        let object: [String: Any] = [
            "version": 1, "level": report.level, "product": report.product, "process-metrics": metrics,
            "summary": Dictionary(uniqueKeysWithValues: CoverageStatus.allCases.map { ($0.rawValue, report.count($0)) }),
            "requirements": requirements,
        ]
        #expect(CoverageJSONRenderer().render(report) == JSONOutput.string(object))
        var empty = report
        empty.requirements = []
        empty.processMetrics.quarters = [.init(quarter: "2026-Q1", defects: 2, medianDaysToTriage: 2.5, medianDaysToFix: nil, medianDaysToDisclose: 40)]
        #expect(CoverageJSONRenderer().render(empty) == JSONOutput.string(["version": 1, "level": empty.level, "product": empty.product,
            "process-metrics": ["quarters": [["quarter": "2026-Q1", "defects": 2, "median-days-to-triage": 2.5, "median-days-to-fix": NSNull(), "median-days-to-disclose": 40] as [String: Any]]],
            "summary": Dictionary(uniqueKeysWithValues: CoverageStatus.allCases.map { ($0.rawValue, empty.count($0)) }),
            "requirements": [Any]()] as [String: Any]))
    }
}
