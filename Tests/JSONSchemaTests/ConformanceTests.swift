import Foundation
import Testing
@testable import JSONSchema

/// Runs the official JSON-Schema-Test-Suite (required tests) for both dialects.
@Suite struct ConformanceTests {
    struct Outcome: Hashable {
        let dialect: String
        let file: String
        let group: String
        let test: String
    }

    static func remotes(_ suite: URL) throws -> [(String, JSONValue)] {
        let folder = suite.appendingPathComponent("remotes").standardizedFileURL.resolvingSymlinksInPath()
        var result: [(String, JSONValue)] = []
        guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        for case let file as URL in files where file.pathExtension == "json" {
            let path = file.standardizedFileURL.resolvingSymlinksInPath().path
            let relative = String(path.dropFirst(folder.path.count + 1))
            result.append(("http://localhost:1234/" + relative, try JSONValue.parse(Data(contentsOf: file))))
        }
        return result.sorted { $0.0 < $1.0 }
    }

    /// Known failures: dialect, file, group, test, reason, tab-separated.
    static func knownFailures() throws -> [Outcome: String] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("known-failures.txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        var result: [Outcome: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 5 else { continue }
            result[Outcome(dialect: fields[0], file: fields[1], group: fields[2], test: fields[3])] = fields[4]
        }
        return result
    }

    @Test(arguments: [("draft2020-12", Dialect.draft2020_12), ("draft7", Dialect.draft7)])
    func officialSuite(folder: String, dialect: Dialect) throws {
        guard let suite = Corpora.folder("json-schema-test-suite") else { return }
        let remotes = try Self.remotes(suite)
        let known = try Self.knownFailures().filter { $0.key.dialect == folder }
        let testsFolder = suite.appendingPathComponent("tests/\(folder)")
        let files = try FileManager.default.contentsOfDirectory(atPath: testsFolder.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        var passed = 0
        var failures: [Outcome: String] = [:]
        for file in files {
            let groups = try JSONValue.parse(Data(contentsOf: testsFolder.appendingPathComponent(file)))
            for group in groups.arrayValue ?? [] {
                let registry = SchemaRegistry(defaultDialect: dialect)
                for (uri, remote) in remotes { try registry.add(remote, retrievalURI: uri) }
                let schema = group["schema"] ?? .bool(true)
                let uri = try registry.add(schema)
                let validator = Validator(registry: registry)
                for test in group["tests"]?.arrayValue ?? [] {
                    let outcome = Outcome(dialect: folder, file: file, group: group["description"]?.stringValue ?? "",
                                          test: test["description"]?.stringValue ?? "")
                    let expected = test["valid"]?.boolValue ?? true
                    let result = validator.validateLeniently(instance: test["data"] ?? .null, against: uri)
                    if result.isValid == expected {
                        passed += 1
                    } else {
                        failures[outcome] = "expected \(expected ? "valid" : "invalid"), got \(result.errors.map(\.description))"
                    }
                }
            }
        }
        print("\(folder): \(passed) passed, \(failures.count) failed")
        for (outcome, reason) in failures.sorted(by: { "\($0.key)" < "\($1.key)" }) where known[outcome] == nil {
            Issue.record("unexpected failure: \(outcome.file) / \(outcome.group) / \(outcome.test): \(reason)")
        }
        for outcome in known.keys where failures[outcome] == nil {
            Issue.record("listed in known-failures.txt but passes: \(outcome.file) / \(outcome.group) / \(outcome.test)")
        }
        #expect(Double(failures.count) < Double(passed + failures.count) * 0.01)
    }
}
