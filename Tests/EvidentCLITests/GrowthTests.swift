import Foundation
import Testing

/// Work grows in proportion to the input: the built binary, run as a user runs it, on repositories
/// of N and 2N records of every kind (as `evident new` writes them, then shaped as people write
/// them) over N/4 commits, counts its history walks, commits read, tree diffs, blobs and files read
/// and YAML documents parsed (`EVIDENT_TIMINGS` prints them); twice the records and twice the
/// history may cost at most twice the work, plus a few fixed items. A rule walking history per
/// record, or comparing every record with every other through git, grows four times. No timing.
struct GrowthTests {
    /// The shapes of the issue: templates as written (test reports without `tested-paths`, code
    /// reviews with the template's range), reviews and reports naming real commits and tags, records
    /// full of links, and a repository where every record has findings.
    enum Shape: String, CaseIterable, CustomTestStringConvertible {
        case template, revisions, links, findings
        var testDescription: String { rawValue }
    }

    /// Commands measured, with the record they concern where one does.
    static let commands: [(name: String, arguments: [String])] = [
        ("check cold", ["check"]),
        ("check warm", ["check"]),
        ("check --format json", ["check", "--format", "json"]),
        ("coverage", ["coverage", "--format", "json"]),
        ("log", ["log", "TR-00002"]),
        ("export", ["export", "--out", "../bundle.zip", "--force"]),
        ("coverage after a commit", ["coverage", "--format", "json"]),
        ("check --staged", ["check", "--staged"]),
    ]

    @Test(arguments: Shape.allCases)
    func workGrowsLinearly(_ shape: Shape) throws {
        let small = try Self.measure(shape, records: 64)
        let large = try Self.measure(shape, records: 128)
        for (command, counts) in small {
            let bigger = try #require(large[command], "\(command) ran at 128 records")
            for (counter, value) in counts {
                let grown = bigger[counter] ?? 0
                #expect(grown <= 2 * value + 4, "\(shape) \(command): \(counter) \(value) at 64 records, \(grown) at 128")
            }
        }
        // The counts are real: a check parses every record and reads the history once.
        #expect((small["check cold"]?["yaml-parsed"] ?? 0) >= 64)
        #expect((small["check cold"]?["history-walks"] ?? 0) >= 1)
        // The record rules judge every record cold and none warm (their findings come from the cache).
        #expect((small["check cold"]?["records-judged"] ?? 0) >= 64)
        #expect((small["check warm"]?["records-judged"] ?? 99) == 0)
        // One new commit on a warm cache: beyond what a warm run reads (the commits attribution names), only that commit.
        for counts in [small, large] {
            let warm = counts["coverage"]?["commits-read"] ?? 0, after = counts["coverage after a commit"]?["commits-read"] ?? 99
            #expect(after <= warm + 3, "coverage after one commit reads \(after) commits, a warm one \(warm)")
            #expect((counts["coverage after a commit"]?["tree-diffs"] ?? 99) <= 2, "coverage after one commit diffs only it")
        }
        // `log ID` reads the record's own file, not every record.
        let logged = try #require(small["log"]), loggedLarge = try #require(large["log"])
        #expect((loggedLarge["yaml-parsed"] ?? 0) <= (logged["yaml-parsed"] ?? 0), "log parses the same documents at any size")
        #expect((loggedLarge["files-read"] ?? 0) <= (logged["files-read"] ?? 0) + 1, "log reads the same files at any size")
    }

    /// `log ID` for records not named after their ids: through the index the last check wrote, then
    /// (index stale or missing) by reading every record; the answer is the same either way.
    @Test func logFindsRecordsNotNamedAfterTheirIDs() throws {
        let scratch = try Scratch.product()
        let record = "kind: defect\nid: DEF-7\ntitle: Parser overflow\nstatus: draft\nowner: ada@example.com\n"
        try scratch.write("security/defects/parser-overflow.yaml", record)
        try scratch.write("security/defects/other.yaml", record.replacingOccurrences(of: "DEF-7", with: "DEF-8"))
        try scratch.git("add", "-A")
        try scratch.git("commit", "-q", "-m", "Defects")
        func log(_ id: String) throws -> (String, [String: Int]) {
            let run = try scratch.run(try #require(EvidentBinary.path), ["log", id], env: ["EVIDENT_TIMINGS": "1"])
            let line = run.stderr.split(separator: "\n").last { $0.hasPrefix("evident: work ") } ?? ""
            var counts: [String: Int] = [:]
            for pair in line.dropFirst("evident: work ".count).split(separator: " ") {
                let parts = pair.split(separator: "=")
                if parts.count == 2 { counts[String(parts[0])] = Int(parts[1]) }
            }
            return (run.stdout, counts)
        }
        let (first, _) = try log("DEF-7")  // no index yet: every record read (and the index written)
        #expect(first.hasPrefix("DEF-7 security/defects/parser-overflow.yaml\n"))
        let (indexed, counts) = try log("DEF-7")
        #expect(indexed == first)
        #expect((counts["yaml-parsed"] ?? 99) <= 3, "through the index: configuration, catalog, the record")
        // The file moves: the index is stale, the answer still right.
        try scratch.git("mv", "security/defects/parser-overflow.yaml", "security/defects/moved.yaml")
        try scratch.git("commit", "-q", "-m", "Move")
        let (moved, _) = try log("DEF-7")
        #expect(moved.hasPrefix("DEF-7 security/defects/moved.yaml\n"))
        let (missing, _) = try log("DEF-9")
        #expect(missing.isEmpty)
    }

    /// Builds the repository for `shape` with `records` records and returns each command's counts.
    static func measure(_ shape: Shape, records count: Int) throws -> [String: [String: Int]] {
        let scratch = try Scratch.product()
        let templates = try Self.templates(in: scratch)
        // Product history first: N/8 commits changing source files, tags v1.0 (first) and v2.0 (last).
        var commits: [String] = []
        for index in 0..<(count / 8) {
            try scratch.write("src/part-\(index % 5).c", "int part\(index) = \(index);\n")
            try scratch.git("add", "-A")
            try scratch.git("commit", "-q", "-m", "Change part \(index)")
            commits.append(try scratch.git("rev-parse", "HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            if index == 0 { try scratch.git("tag", "v1.0") }
        }
        try scratch.git("tag", "v2.0")
        // Records: round-robin over the kinds, fresh ids, committed in N/8 batches.
        var counters: [String: Int] = [:]
        let rendered = (0..<count).map { index -> (path: String, id: String, text: String) in
            let template = templates[index % templates.count]
            counters[template.prefix, default: 0] += 1
            let id = template.prefix + String(format: "%05d", counters[template.prefix]!)
            return (template.folder + "/" + id + ".yaml", id, template.text.replacingOccurrences(of: "id: \(template.id)\n", with: "id: \(id)\n"))
        }
        let ids = rendered.map(\.id)
        for (index, record) in rendered.enumerated() {
            try scratch.write(record.path, shaped(record.text, shape, index: index, id: record.id, ids: ids, commits: commits))
            if index % 8 == 7 || index == rendered.count - 1 {
                try scratch.git("add", "-A")
                try scratch.git("commit", "-q", "-m", "Records up to \(record.id)\n\nEvidence-For: \(record.id)")
            }
        }
        try? FileManager.default.removeItem(at: scratch.repo.appendingPathComponent(".git/evident"))
        var results: [String: [String: Int]] = [:]
        for (name, arguments) in commands {
            if name == "coverage after a commit" {
                let changed = rendered[0].path
                try scratch.write(changed, try String(decoding: scratch.read(changed), as: UTF8.self) + "x-changed: true\n")
                try scratch.git("commit", "-q", "-am", "One more commit\n\nEvidence-For: SI-1")
            }
            if name == "check --staged" {
                let staged = rendered[1].path
                try scratch.write(staged, try String(decoding: scratch.read(staged), as: UTF8.self) + "x-staged: true\n")
                try scratch.git("add", staged)
            }
            let run = try scratch.run(try #require(EvidentBinary.path), arguments, env: ["EVIDENT_TIMINGS": "1"])
            guard let line = run.stderr.split(separator: "\n").last(where: { $0.hasPrefix("evident: work ") }) else {
                throw ScratchError.failed("\(name) printed no work line (exit \(run.status)): \(run.stderr.suffix(2000))")
            }
            var counts: [String: Int] = [:]
            for pair in line.dropFirst("evident: work ".count).split(separator: " ") {
                let parts = pair.split(separator: "=")
                if parts.count == 2, let value = Int(parts[1]) { counts[String(parts[0])] = value }
            }
            results[name] = counts
        }
        return results
    }

    struct Template { var kind: String; var id: String; var prefix: String; var folder: String; var text: String }

    /// One record per kind exactly as `evident new` writes it (the files are then removed).
    static func templates(in scratch: Scratch) throws -> [Template] {
        let kinds = try scratch.evident("schema").stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        var templates: [Template] = []
        // `new sbom` describes an SBOM the build made: one as a generator writes it.
        let bom = #"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"metadata":{"timestamp":"2026-05-01T10:00:00Z","#
            + #""component":{"type":"firmware","name":"gateway","version":"1.0.0"}},"components":[{"type":"library","name":"zlib","#
            + #""version":"1.3.1","purl":"pkg:generic/zlib@1.3.1","supplier":{"name":"zlib"}}]}"#
        try scratch.write("sbom/gateway.cdx.json", bom)
        for kind in kinds {
            let made = kind == "sbom"
                ? try scratch.evident("new", kind, "--owner", "ada@example.com", "--document", "sbom/gateway.cdx.json")
                : try scratch.evident("new", kind, "--owner", "ada@example.com")
            guard made.status == 0 else { throw ScratchError.failed("evident new \(kind): \(made.output)") }
            let path = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let text = String(decoding: try scratch.read(path), as: UTF8.self)
            guard let idLine = text.split(separator: "\n").first(where: { $0.hasPrefix("id: ") }) else { throw ScratchError.failed("no id in \(path)") }
            let id = String(idLine.dropFirst(4))
            let prefix = String(id.reversed().drop(while: \.isNumber).reversed())
            templates.append(Template(kind: kind, id: id, prefix: prefix, folder: (path as NSString).deletingLastPathComponent, text: text))
            try FileManager.default.removeItem(at: scratch.repo.appendingPathComponent(path))
        }
        return templates
    }

    /// The template text shaped as people write it.
    static func shaped(_ text: String, _ shape: Shape, index: Int, id: String, ids: [String], commits: [String]) -> String {
        switch shape {
        case .template:
            return text
        case .revisions:
            // Reviews of a real one-commit range each, reports of a release with the paths tested, fixes named by commit.
            let commit = commits[index % commits.count]
            let next = commits[(index + 1) % commits.count]
            let defects = ids.filter { $0.hasPrefix("DEF-") }
            return text
                .replacingOccurrences(of: "range: HEAD~1..HEAD", with: "range: \(commit)..\(next)")
                .replacingOccurrences(of: "tested-revision: HEAD", with: "tested-revision: v\(index % 2 + 1).0\ntested-paths: [src/part-\(index % 5).c]")
                .replacingOccurrences(of: "tag: v1.0.0 ", with: "tag: v2.0 ")
                .replacingOccurrences(of: "release: REL-TODO ", with: "release: REL-00001 ")
                .replacingOccurrences(of: "fixes: [DEF-TODO]", with: "fixes: [\(defects[index / 16 % defects.count])]")
                + (text.contains("kind: defect") ? "fixed-in: \(next)\n" : "")
        case .links:
            let targets = (1...8).map { ids[(index + $0 * 7) % ids.count] }
            return text + "links:\n" + targets.map { "  - {to: \($0), relation: references}\n" }.joined()
        case .findings:
            // A dangling link with a near miss, an unknown requirement and an unknown field in every record.
            let near = String(id.dropLast()) + "X"
            var out = text + "links:\n  - {to: \(near), relation: references}\nx-note: findings\ncolour: blue\n"
            if out.contains("\nevidence-for: [") {
                out = out.replacingOccurrences(of: "\nevidence-for: [", with: "\nevidence-for: [SR-99, ")
            } else {
                out += "evidence-for: [SR-99]\n"
            }
            return out
        }
    }
}
