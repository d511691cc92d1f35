import Foundation
import Testing

/// One clear finding per mistake, through the binary, on records as `evident new` writes them and
/// then edited by hand the way newcomers get them wrong.
struct NewcomerMessageTests {
    func edit(_ scratch: Scratch, _ path: String, _ change: (String) -> String) throws {
        let text = String(decoding: try scratch.read(path), as: UTF8.self)
        try scratch.write(path, change(text))
    }

    /// The findings of one file, leaving out the template's own placeholders (warnings in a draft,
    /// which every record from `evident new` carries until it is filled in).
    func lines(of result: RunResult, in path: String) -> [String] {
        result.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix(path + ":") && !$0.contains("warning: [template-placeholder]") }
    }

    @Test func eachMistakeGetsOneFindingThatSaysWhatToDo() throws {
        let scratch = try Scratch.product()
        func new(_ kind: String) throws -> String {
            try scratch.evident("new", kind, "--owner", "a@example.com").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let threatModel = try new("threat-model")
        try edit(scratch, threatModel) { $0.replacingOccurrences(of: "\ntrust-boundaries:", with: "\ntrust-boundries:") }
        let release = try new("release")
        try edit(scratch, release) { text in
            text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                if line.hasPrefix("version:") { return "version: 1.10" }
                if line.hasPrefix("date:") { return "date: 10.11.2026" }
                return String(line)
            }.joined(separator: "\n")
        }
        let defect = try new("defect")
        try edit(scratch, defect) { $0.replacingOccurrences(of: "owner: a@example.com", with: "owner: alice").replacingOccurrences(of: "status: draft", with: "status: drafty") }
        try scratch.write("security/tabbed.yaml", "kind: defect\nlinks:\n\t- to: TM-001\n")
        try edit(scratch, ".evident.yml") {
            $0.replacingOccurrences(of: "not-applicable: []", with: "not-applicable:\n  - requirement: SM-10\n    reason: No contracted suppliers.\n    untill: 2026-01-01")
        }
        let check = try scratch.evident("check")
        #expect(check.status == 1)
        let tm = lines(of: check, in: threatModel)
        #expect(tm.count == 1 && tm[0].hasSuffix("error: [schema] unknown field 'trust-boundries'; did you mean 'trust-boundaries'?"), "\(tm)")
        let rel = lines(of: check, in: release).filter { !$0.contains("[git-reference]") }
        #expect(rel.count == 2, "\(rel)")
        #expect(rel.contains { $0.hasSuffix("version: YAML read 1.10 as the number 1.1; quote it (\"1.10\") to keep it as text") }, "\(rel)")
        #expect(rel.contains { $0.hasSuffix("date: '10.11.2026' is not a date; write it as YYYY-MM-DD (e.g. 2026-11-10)") }, "\(rel)")
        let def = lines(of: check, in: defect)
        #expect(def.count == 2, "\(def)")
        #expect(def.contains { $0.hasSuffix("owner: 'alice' is not an email address; write it as name@example.com") }, "\(def)")
        #expect(def.contains { $0.hasSuffix("did you mean 'draft'?") }, "\(def)")
        let tab = lines(of: check, in: "security/tabbed.yaml")
        #expect(tab == ["security/tabbed.yaml:3:1: error: [yaml-syntax] tabs cannot indent YAML; indent line 3 with spaces"], "\(tab)")
        let config = lines(of: check, in: ".evident.yml")
        #expect(config.count == 1 && config[0].contains("error: [config-unknown-key] unknown key 'untill' in a not-applicable entry; did you mean 'until'?"), "\(config)")
        // No message quotes a regular expression or the schema's internals.
        #expect(!check.stdout.contains("pattern '"), "\(check.stdout)")
        #expect(!check.stdout.contains("schema is false"), "\(check.stdout)")
        #expect(!check.stdout.contains("found character"), "\(check.stdout)")
    }

    @Test func checkPathsNarrowTheFindingsFromAnyFolder() throws {
        let scratch = try Scratch.product()
        try scratch.write("security/defects/bad.yaml", "kind: defect\nid: DEF-1\n")
        try scratch.write("security/threat-models/bad.yaml", "kind: threat-model\nid: TM-1\n")
        let inside = scratch.repo.appendingPathComponent("security")
        let narrowed = try scratch.evident("check", "defects", in: inside)
        #expect(narrowed.status == 1)
        #expect(narrowed.stdout.contains("security/defects/bad.yaml") && !narrowed.stdout.contains("threat-models"), "\(narrowed.stdout)")
        let file = try scratch.evident("check", "security/threat-models/bad.yaml")
        #expect(file.stdout.contains("security/threat-models/bad.yaml") && !file.stdout.contains("defects/bad"), "\(file.stdout)")
        let outside = try scratch.evident("check", "../elsewhere")
        #expect(outside.status == 0 && !outside.stdout.contains("bad.yaml"), "\(outside.stdout)")
    }

    @Test func schemaListingNamesWhatEveryKindServes() throws {
        let scratch = try Scratch()
        let listing = try scratch.evident("schema")
        #expect(listing.status == 0)
        let lines = listing.stdout.split(separator: "\n")
        #expect(lines.count == 16)
        for line in lines {
            #expect(!line.hasSuffix("serves") && !line.hasSuffix("serves "), "\(line)")
        }
        #expect(listing.stdout.contains("guideline              GL-NNN      serves by sections.topic: SG-1"), "\(listing.stdout)")
    }
}
