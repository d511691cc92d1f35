import Foundation
import Testing
@testable import EvidentCore

/// The fast paths a check takes must give what the plain ones gave.
struct PerformancePathTests {
    @Test(arguments: [Int64(0), 1, 59, 86_399, 86_400, 951_782_400, 951_868_799, 1_767_225_600, 1_600_000_123, 4_102_444_799, -1, -86_401])
    func isoDateMatchesFoundation(_ seconds: Int64) {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        #expect(RepositoryFacts.isoDate(date) == formatter.string(from: date))
    }

    @Test func blobIDMatchesGit() {
        // `printf 'hello\n' | git hash-object --stdin`
        #expect(GitBlobID.hex(of: Data("hello\n".utf8)) == "ce013625030ba8dba906f756967f9e9ca394464a")
        #expect(GitBlobID.hex(of: Data()) == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")
    }

    @Test(arguments: ["DEF-1", "DEF-2026-004", "SBOM-FG200-2.3-C00000", "A-b.c", "A1B-x", "DEF-", "DEF", "def-1", "-1", "DEF--1",
                      "DEF-1-", "DEF_1", "DÉF-1", "DEF-é", "", "D-1.2.3", "X9-.", "A-B-C-D"])
    func idMatcherAgreesWithThePattern(_ id: String) {
        #expect(EnvelopeRule.isWellFormedID(id) == (id.range(of: EnvelopeRule.idPattern, options: .regularExpression) != nil), "\(id)")
    }

    @Test func concurrentMapKeepsOrder() {
        let items = Array(0..<10_000)
        #expect(Project.concurrentMap(items) { $0 * 2 } == items.map { $0 * 2 })
        #expect(Project.concurrentMap([1, 2, 3]) { $0 + 1 } == [2, 3, 4])
    }

    @Test func batchValidationMatchesOneByOne() {
        let records = [
            "kind: defect\nid: DEF-1\ntitle: A\nstatus: draft\nowner: a@example.com\ncolour: blue\n",
            "kind: defect\nid: DEF-2\ntitle: B\nstatus: draft\nowner: a@example.com\nsource: researcher\nreceived: 2026-02-30\n",
            "kind: nothing\nid: X-1\n",
        ].map { RecordJSON(YAMLLoader.load(Data($0.utf8)).root ?? .mapping([], Mark(line: 1, column: 1))).value }
        let kinds = ["defect", "defect", "nothing"]
        let batch = RecordSchemas.shared.validate(zip(records, kinds).map { ($0, $1) })
        for (index, json) in records.enumerated() {
            let single = RecordSchemas.shared.validate(json, kind: kinds[index])
            #expect(batch[index]?.map(\.message) == single?.map(\.message))
        }
        #expect(batch[2] == nil)
        #expect((batch[0]?.count ?? 0) > 0)
    }
}
