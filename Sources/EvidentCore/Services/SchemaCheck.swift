import Foundation
import JSONSchema

/// `evident schema check` over JSON and YAML documents: YAML files are read with positions
/// (YAML 1.2 core typing) and handed to the validator already parsed; JSON files are read by it.
public enum DocumentSchemaCheck {
    public static func run(_ options: SchemaCheckOptions, paths: [URL]) throws -> SchemaCheckReport {
        var yamlFailures: [Int: DocumentCheckResult] = [:]
        var documents: [(Int, SchemaCheckDocument)] = []
        for (index, url) in paths.enumerated() {
            let ext = url.pathExtension.lowercased()
            guard ext == "yaml" || ext == "yml", let data = FileManager.default.contents(atPath: url.path) else {
                documents.append((index, .file(url)))
                continue
            }
            let document = YAMLLoader.load(data)
            guard let root = document.root, document.problems.isEmpty else {
                let problems = document.problems.isEmpty ? [YAMLProblem(kind: .empty, message: "file holds no YAML document", mark: Mark(line: 1, column: 1))] : document.problems
                yamlFailures[index] = DocumentCheckResult(path: url.path, errors: problems.map {
                    LocatedValidationError(instanceLocation: "", keywordLocation: "", message: "\($0.kind.rawValue): \($0.message)", line: $0.mark.line, column: $0.mark.column)
                })
                continue
            }
            let json = RecordJSON(root)
            var positions: [String: SourcePosition] = [:]
            for (pointer, mark) in json.marks { positions[pointer] = SourcePosition(line: mark.line, column: mark.column) }
            documents.append((index, .parsed(path: url.path, value: json.value, positions: positions)))
        }
        let checked = try JSONSchema.SchemaCheck.run(options, documents: documents.map(\.1)).results
        var results: [Int: DocumentCheckResult] = yamlFailures
        for (offset, result) in checked.enumerated() where offset < documents.count { results[documents[offset].0] = result }
        return SchemaCheckReport(results: paths.indices.compactMap { results[$0] })
    }
}
