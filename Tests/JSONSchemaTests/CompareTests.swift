import Foundation
import Testing
@testable import JSONSchema

/// Compares our verdicts with the reference verdicts in the TSV that scripts/compare-jsonschema
/// writes (schema URI, "dir|base;dir|base" reference folders, document, verdict). Does nothing without EVIDENT_COMPARE_TSV.
@Suite struct CompareTests {
    @Test func referenceVerdicts() throws {
        guard let path = ProcessInfo.processInfo.environment["EVIDENT_COMPARE_TSV"] else { return }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var validators: [String: (Validator, Schema)] = [:]
        var passed = 0
        var failed = 0
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4 else { continue }
            let (schemaURI, mappings, document, expected) = (fields[0], fields[1], fields[2], fields[3])
            let key = "\(schemaURI)\t\(mappings)"
            if validators[key] == nil {
                let registry = SchemaRegistry()
                for mapping in mappings.split(separator: ";") {
                    let parts = mapping.split(separator: "|", maxSplits: 1).map(String.init)
                    guard parts.count == 2 else { continue }
                    try registry.addDirectory(URL(fileURLWithPath: parts[0]), baseURI: parts[1])
                }
                let validator = Validator(registry: registry)
                validators[key] = (validator, try validator.schema(schemaURI))
            }
            guard let (validator, schema) = validators[key] else { continue }
            let ours: String
            do {
                let value = try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: document)))
                let result = validator.validate(instance: value, against: schema)
                ours = result.isValid ? "valid" : "invalid"
                if ours != expected {
                    print("MISMATCH \(document): python \(expected), ours \(ours) \(result.errors.prefix(3).map(\.description))")
                }
            } catch {
                ours = "error"
                print("MISMATCH \(document): python \(expected), ours failed to parse: \(error)")
            }
            if ours == expected { passed += 1 } else { failed += 1 }
        }
        print("compare: \(passed) passed, \(failed) failed")
        #expect(failed == 0)
    }
}
