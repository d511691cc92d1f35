import Foundation
import Testing

/// The ML4 process metrics (median days to triage, fix and disclose per quarter) in `evident defects`,
/// `coverage` (json, markdown, html) and the audit bundle's report: one computation, the same numbers
/// everywhere. Expected medians are worked out by hand below, from the dates the test writes.
struct ProcessMetricsEndToEndTests {
    typealias Quarter = (quarter: String, defects: Int, triage: Double?, fix: Double?, disclose: Double?)

    static let june = ["EVIDENT_TODAY": "2026-06-01"]

    /// The demo's one defect, DEF-2026-001: received 2026-04-06, triaged 2026-04-08 (2 days), its
    /// fix first released by REL-2.3.1 on 2026-04-20 (14 days, found through git from `fixed-in`),
    /// disclosed 2026-04-27 (21 days).
    static let demoQ2: Quarter = ("2026-Q2", 1, 2, 14, 21)

    /// The quarters a JSON value holds, as tuples (nil where the JSON says null).
    static func quarters(_ value: Any?) throws -> [Quarter] {
        let list = try #require(value as? [[String: Any]], "no quarters in \(String(describing: value))")
        func number(_ any: Any?) -> Double? { (any as? NSNumber).map(\.doubleValue) }
        return list.map { ($0["quarter"] as? String ?? "?", $0["defects"] as? Int ?? -1, number($0["median-days-to-triage"]),
                           number($0["median-days-to-fix"]), number($0["median-days-to-disclose"])) }
    }

    static func same(_ a: [Quarter], _ b: [Quarter]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.quarter == $1.quarter && $0.defects == $1.defects && $0.triage == $1.triage && $0.fix == $1.fix && $0.disclose == $1.disclose }
    }

    func coverageMetrics(_ scratch: Scratch, _ binary: String) throws -> [Quarter] {
        let coverage = try scratch.run(binary, ["coverage", "--format", "json"], env: Self.june)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(coverage.stdout.utf8)) as? [String: Any], "\(coverage.output)")
        #expect(object["version"] as? Int == 1 && object["requirements"] is [Any], "the existing keys stay: \(object.keys.sorted())")
        let metrics = try #require(object["process-metrics"] as? [String: Any])
        return try Self.quarters(metrics["quarters"])
    }

    @Test func theDemoHasOneQuarter() throws {
        let scratch = try Scratch()
        let binary = try #require(EvidentBinary.path)
        #expect(try scratch.run(binary, ["demo", scratch.repo.path], env: Self.june).stdout.contains("1 error, 0 warnings"))
        #expect(Self.same(try coverageMetrics(scratch, binary), [Self.demoQ2]))
        let board = try scratch.run(binary, ["defects", "--format", "json"], env: Self.june)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(board.stdout.utf8)) as? [String: Any])
        #expect(Self.same(try Self.quarters(object["metrics"]), [Self.demoQ2]))
        let html = try scratch.run(binary, ["coverage", "--format", "html"], env: Self.june).stdout
        #expect(html.contains("<tr><th scope=\"row\">2026-Q2</th><td>1</td><td>2</td><td>14</td><td>21</td></tr>"), "\(html.suffix(800))")
    }

    /// Defects made by `evident new defect`, then edited by hand as a triager does, across two quarters.
    @Test func handEditedDefectsAcrossTwoQuartersAndTheBundle() throws {
        let scratch = try Scratch()
        let binary = try #require(EvidentBinary.path)
        #expect(try scratch.run(binary, ["demo", scratch.repo.path], env: Self.june).stdout.contains("1 error, 0 warnings"), "the demo's one planted error")
        /// A new defect from the template, with its received date and the lines a person adds.
        func defect(_ title: String, received: String, add: [String], state: String) throws {
            let made = try scratch.run(binary, ["new", "defect", "--title", title], env: Self.june)
            let path = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(made.status == 0 && path.hasSuffix(".yaml"), "\(made.output)")
            var text = String(decoding: try scratch.read(path), as: UTF8.self)
            #expect(text.contains("received: 2026-06-01\n") && text.contains("  state: in_triage\n"), "the template changed: \(text)")
            text = text.replacingOccurrences(of: "received: 2026-06-01\n", with: "received: \(received)\n" + add.map { $0 + "\n" }.joined())
            text = text.replacingOccurrences(of: "  state: in_triage\n", with: "  state: \(state)\n")
            try scratch.write(path, text)
        }
        // 2026-Q1: 3 and 5 days to triage (an even count: (3 + 5) / 2 = 4), one fix released after 30
        // days (2026-01-10 to 2026-02-09), one disclosure after 40 (to 2026-02-19).
        try defect("Weak session cookie", received: "2026-01-10",
                   add: ["triaged: 2026-01-13", "fixed: 2026-02-02", "released: 2026-02-09", "disclosed: 2026-02-19"], state: "resolved")
        try defect("Verbose error page", received: "2026-03-30", add: ["triaged: 2026-04-04"], state: "exploitable")
        // 2026-Q2 with the demo's DEF-2026-001 (2, 14, 21): triaged after 1 day (2026-05-02 to 05-03),
        // so to triage [1, 2] -> 1.5; fix released after 18 days (to 2026-05-20), so to fix [14, 18] -> 16;
        // to disclose only the demo's 21. A fourth defect, not yet triaged, counts but has no dates.
        try defect("Log injection", received: "2026-05-02", add: ["triaged: 2026-05-03", "fixed: 2026-05-15", "released: 2026-05-20"], state: "resolved")
        try defect("Unbounded upload", received: "2026-05-10", add: [], state: "in_triage")
        let expected: [Quarter] = [("2026-Q1", 2, 4, 30, 40), ("2026-Q2", 3, 1.5, 16, 21)]

        let coverage = try coverageMetrics(scratch, binary)
        #expect(Self.same(coverage, expected), "\(coverage)")
        // The board shows the same numbers, with --open too (closed defects are what the metrics measure).
        for arguments in [["defects", "--format", "json"], ["defects", "--open", "--format", "json"]] {
            let board = try scratch.run(binary, arguments, env: Self.june)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(board.stdout.utf8)) as? [String: Any], "\(board.output)")
            let metrics = try Self.quarters(object["metrics"])
            #expect(Self.same(metrics, expected), "\(arguments): \(metrics)")
        }
        let markdown = try scratch.run(binary, ["coverage", "--format", "markdown"], env: Self.june).stdout
        #expect(markdown.contains("## Process metrics\n") && markdown.contains("| 2026-Q1 | 2 | 4 | 30 | 40 |\n| 2026-Q2 | 3 | 1.5 | 16 | 21 |\n"), "\(markdown.suffix(600))")

        // The audit bundle of the commit holding them: coverage.json and the report carry the metrics.
        try scratch.git("add", "-A")
        #expect(try scratch.git("commit", "-q", "-m", "Triage four defects").status == 0)
        let bundle = scratch.root.appendingPathComponent("audit.zip").path
        let export = try scratch.run(binary, ["export", "--out", bundle], env: Self.june)
        #expect(export.status == 0 || export.status == 1, "\(export.output)")
        guard (try? ProcessRunner.run("/usr/bin/env", ["sh", "-c", "command -v unzip"], in: scratch.root, environment: [:]).status) == 0 else {
            print("unzip not installed: the bundle's report was not read")
            return
        }
        let json = try scratch.run("/usr/bin/env", ["unzip", "-p", bundle, "coverage.json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.output)")
        #expect(Self.same(try Self.quarters((object["process-metrics"] as? [String: Any])?["quarters"]), expected))
        let index = try scratch.run("/usr/bin/env", ["unzip", "-p", bundle, "index.html"]).stdout
        #expect(index.contains("<a href=\"#process-metrics\">Process metrics</a>") && index.contains("<h2 id=\"process-metrics\">Process metrics</h2>"))
        #expect(index.contains("<tr><th scope=\"row\">2026-Q1</th><td>2</td><td>4</td><td>30</td><td>40</td></tr>"), "\(index.prefix(4000))")
        #expect(index.contains("<tr><th scope=\"row\">2026-Q2</th><td>3</td><td>1.5</td><td>16</td><td>21</td></tr>"))
    }

    /// Without a defect with a received date the key is still there, with no quarters, and the reports say so.
    @Test func noDefectsNoQuarters() throws {
        let scratch = try Scratch.product()
        let binary = try #require(EvidentBinary.path)
        #expect(try coverageMetrics(scratch, binary).isEmpty)
        let markdown = try scratch.run(binary, ["coverage", "--format", "markdown"], env: Self.june).stdout
        #expect(markdown.hasSuffix("## Process metrics\n\nNo defect record has a received date, so there are no process metrics yet.\n"), "\(markdown.suffix(300))")
    }
}
