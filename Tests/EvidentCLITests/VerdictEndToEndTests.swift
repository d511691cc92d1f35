import Foundation
import Testing

/// The verdicts on a repository built the way a newcomer builds one: records from `evident new`,
/// edited by hand, with the mistakes people make. No requirement may be met through missing,
/// broken or merely claimed evidence, and each mistake has a finding at its line.
@Suite(.serialized)
struct VerdictEndToEndTests {
    struct Repo {
        var dir: URL
        func new(_ kind: String, _ title: String) throws -> String {
            let result = try EvidentRun.run(["new", kind, "--title", title, "--owner", "dev@plc.example.org"], in: dir)
            #expect(result.status == 0, "\(kind): \(result.stderr)")
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func edit(_ path: String, _ edits: [(String, String)]) throws {
            let url = dir.appendingPathComponent(path)
            var text = try String(contentsOf: url, encoding: .utf8)
            for (old, new) in edits {
                #expect(text.contains(old), "\(path) has no '\(old)'")
                text = text.replacingOccurrences(of: old, with: new)
            }
            try Data(text.utf8).write(to: url)
        }
        func line(of needle: String, in path: String) throws -> Int {
            let text = try String(contentsOf: dir.appendingPathComponent(path), encoding: .utf8)
            let lines = text.components(separatedBy: "\n")
            return (lines.firstIndex { $0.contains(needle) } ?? -1) + 1
        }
    }

    func newcomerRepository() throws -> Repo {
        let dir = try EvidentRun.scratch()
        try EvidentRun.git(["init", "-q"], in: dir)
        #expect(try EvidentRun.run(["init", "--product", "PX-500 PLC firmware"], in: dir).status == 0)
        return Repo(dir: dir)
    }

    func coverage(_ repo: Repo, level: Int) throws -> [String: [String: Any]] {
        let result = try EvidentRun.run(["coverage", "--level", "\(level)", "--format", "json"], in: repo.dir)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let requirements = object?["requirements"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: requirements.map { ($0["id"] as? String ?? "", $0) })
    }

    @Test func mistakesGetFindingsAndNoFalseMet() throws {
        let repo = try newcomerRepository()
        let model = try repo.new("threat-model", "PX-500 threat model")
        let review = try repo.new("code-review", "Review of the Modbus parser")
        let advisory = try repo.new("advisory", "PX-500 Modbus overflow")
        let update = try repo.new("security-update", "PX-500 1.10.1")
        let process = try repo.new("process", "PX-500 secure development procedure")
        let design = try repo.new("design-review", "Design review of the update path")
        let guideline = try repo.new("guideline", "Hardening guide")
        try repo.edit(model, [("    mitigations: []", "    mitigations:\n      - record: REQ-02"),
                              ("scope: Replace with what the model covers.", "scope: PX-500 firmware and its Modbus/TCP interface"),
                              ("Replace with the controls", "session authentication"), ("title: Replace with a threat", "title: Forged Modbus write")])
        try repo.edit(review, [("findings: []", "coding-standard: GL-CODING\nfindings: []")])
        try repo.edit(advisory, [("defects: [DEF-TODO]", "defects: [DEF-2026-01]")])
        try repo.edit(process, [("evidence-for: [SM-1, SM-3]", "evidence-for: [SM-1, SM-3, SM-2, SM-4, SM-9]")])
        try repo.edit(design, [("findings: []", "findings:\n  - id: F-1\n    description: Update images are not signed\n    severity: high\n    status: open")])
        _ = guideline

        let check = try EvidentRun.run(["check"], in: repo.dir)
        let out = check.stdout
        #expect(check.status == 1, "\(out)")
        func finding(_ path: String, _ needle: String, _ rule: String, _ severity: String = "error") throws -> Bool {
            let line = try repo.line(of: needle, in: path)
            return out.split(separator: "\n").contains { $0.hasPrefix("\(path):\(line):") && $0.contains("\(severity): [\(rule)]") }
        }
        #expect(try finding(model, "record: REQ-02", "dangling-reference"), "\(out)")
        #expect(try finding(review, "coding-standard: GL-CODING", "dangling-reference"), "\(out)")
        #expect(try finding(advisory, "defects: [DEF-2026-01]", "dangling-reference"), "\(out)")
        #expect(try finding(update, "release: REL-TODO", "template-placeholder", "warning"), "\(out)")
        #expect(try finding(process, "evidence-for:", "unsupported-claim", "warning"), "\(out)")
        #expect(try finding(review, "reviewers: [reviewer@example.com]", "template-placeholder", "warning"), "\(out)")

        // At ML1 any counted record meets a requirement: none of these may.
        let ml1 = try coverage(repo, level: 1)
        for id in ["SI-2", "DM-5", "SM-2", "SM-4", "SM-9", "SD-3", "SR-5", "SUM-3", "SR-2", "SUM-1"] {
            #expect(ml1[id]?["status"] as? String != "met", "\(id): \(ml1[id]?["reason"] ?? "")")
        }
        let dm5 = ml1["DM-5"]?["reason"] as? String ?? ""
        #expect(dm5.contains("ADV-001 has 1 error") && dm5.contains("DEF-2026-01"), "\(dm5)")
        // Every requirement short of met says what would make it met, at every level.
        for level in 1...4 {
            for (id, item) in try coverage(repo, level: level) {
                let status = item["status"] as? String
                if status == "met" || status == "not-applicable" { #expect(item["next-step"] is NSNull, "\(id)") }
                else { #expect((item["next-step"] as? String)?.isEmpty == false, "ML\(level) \(id) has no next step") }
            }
        }
    }

    @Test func placeholdersAreErrorsOnceARecordLeavesDraft() throws {
        let repo = try newcomerRepository()
        let context = try repo.new("security-context", "PX-500 context")
        try repo.edit(context, [("status: draft", "status: in-review")])
        let check = try EvidentRun.run(["check"], in: repo.dir)
        #expect(check.status == 1)
        #expect(check.stdout.contains("error: [template-placeholder]"), "\(check.stdout)")
        let ml1 = try coverage(repo, level: 1)
        #expect(ml1["SR-1"]?["status"] as? String != "met")
    }

    @Test func wrongKindSelfReferenceAndCycleAreFindings() throws {
        let repo = try newcomerRepository()
        let report = try repo.new("test-report", "Fuzzing report")
        let review = try repo.new("code-review", "Review")
        let first = try repo.new("guideline", "Coding standard v1")
        let second = try repo.new("guideline", "Coding standard v2")
        let reportID = String(report.split(separator: "/").last!.dropLast(5))
        let reviewID = String(review.split(separator: "/").last!.dropLast(5))
        let firstID = String(first.split(separator: "/").last!.dropLast(5))
        let secondID = String(second.split(separator: "/").last!.dropLast(5))
        try repo.edit(review, [("findings: []", "coding-standard: \(reportID)\ntraces-to: [\(reviewID)]\nfindings: []")])
        try repo.edit(first, [("owner: dev@plc.example.org", "owner: dev@plc.example.org\nlinks:\n  - to: \(secondID)\n    relation: supersedes")])
        try repo.edit(second, [("owner: dev@plc.example.org", "owner: dev@plc.example.org\nlinks:\n  - to: \(firstID)\n    relation: supersedes")])
        let check = try EvidentRun.run(["check"], in: repo.dir)
        let out = check.stdout
        #expect(out.contains("'coding-standard' names '\(reportID)', a test-report record; it takes a guideline or process"), "\(out)")
        #expect(out.contains("'traces-to[1]' names '\(reviewID)', the record itself"), "\(out)")
        #expect(out.contains("closes a cycle"), "\(out)")
        let line = try repo.line(of: "coding-standard:", in: review)
        #expect(out.contains("\(review):\(line):18: error: [dangling-reference]"), "\(out)")
    }

    @Test func demoIsPartialOnlyWhereItsPlantedErrorSits() throws {
        let dir = try EvidentRun.scratch().appendingPathComponent("demo")
        let built = try EvidentRun.run(["demo", dir.path], in: dir.deletingLastPathComponent())
        #expect(built.status == 1 || built.status == 0, "\(built.stderr)")
        let result = try EvidentRun.run(["coverage", "--format", "json"], in: dir)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let requirements = object?["requirements"] as? [[String: Any]] ?? []
        for item in requirements where item["status"] as? String == "met" {
            for evidence in item["evidence"] as? [[String: Any]] ?? [] where evidence["role"] as? String != "supporting" {
                // No requirement is met with a record that carries an error counted for it.
                #expect(!(evidence["record"] as? String == "ADV-2026-001" && evidence["excluded"] is NSNull), "\(item["id"] ?? "")")
            }
        }
        let dm5 = requirements.first { $0["id"] as? String == "DM-5" }
        #expect(dm5?["status"] as? String == "partial")
        #expect((dm5?["reason"] as? String)?.contains("ADV-2026-001 has 1 error") == true)
        let trace = try EvidentRun.run(["trace", "--format", "json"], in: dir)
        #expect(trace.status == 0, "\(trace.stdout)")
        let threats = (try JSONSerialization.jsonObject(with: Data(trace.stdout.utf8)) as? [String: Any])?["threats"] as? [[String: Any]]
        #expect(threats?.count == 4)
        for format in ["text", "markdown", "html"] {
            #expect(try EvidentRun.run(["trace", "--format", format], in: dir).status == 0)
        }
    }
}
