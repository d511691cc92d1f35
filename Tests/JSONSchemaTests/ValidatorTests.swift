import Foundation
import Testing
@testable import JSONSchema

private func validate(_ schema: String, _ instance: String, dialect: Dialect = .draft2020_12, assertFormat: Bool = false) throws -> ValidationResult {
    let registry = SchemaRegistry(defaultDialect: dialect)
    let validator = Validator(registry: registry, options: ValidationOptions(assertFormat: assertFormat))
    let compiled = try validator.schema(try JSONValue.parse(schema))
    return validator.validate(instance: try JSONValue.parse(instance), against: compiled)
}

@Suite struct BadInputTests {
    @Test func refCycleIsReportedNotLooped() throws {
        let schema = ##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}"##
        let result = try validate(schema, "1")
        #expect(!result.isValid)
        #expect(result.errors.first?.message.contains("cycle") == true)
    }

    @Test func unknownRefNamesTheURI() throws {
        let schema = ##"{"properties": {"a": {"$ref": "https://example.com/missing.json#/x"}}}"##
        #expect {
            try validate(schema, "{}")
        } throws: { error in
            (error as? SchemaError)?.message.contains("https://example.com/missing.json#/x") == true
        }
    }

    @Test func invalidPatternIsAClearError() throws {
        #expect {
            try validate(##"{"pattern": "(unclosed"}"##, "\"x\"")
        } throws: { error in
            (error as? SchemaError)?.message.contains("invalid regular expression '(unclosed'") == true
        }
    }

    @Test func schemaThatIsNotJSON() {
        let registry = SchemaRegistry()
        #expect {
            try registry.add(data: Data("{\"type\": \n  strin}".utf8), retrievalURI: "file:///bad.json")
        } throws: { error in
            let message = (error as? SchemaError)?.message ?? ""
            return message.contains("file:///bad.json") && message.contains("line 2")
        }
    }

    @Test func deeplyNestedInstanceTextIsAParseError() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }

    @Test func deeplyNestedInstanceValueDoesNotOverflow() throws {
        var value = JSONValue.array([])
        for _ in 0..<10_000 { value = .array([value]) }
        let registry = SchemaRegistry()
        let validator = Validator(registry: registry)
        let schema = try validator.schema(try JSONValue.parse(##"{"items": {"$ref": "#"}}"##))
        let result = validator.validate(instance: value, against: schema)
        #expect(!result.isValid)
        #expect(result.errors.first?.message.contains("deeper than") == true)
    }

    @Test func tenThousandDigitInteger() throws {
        let digits = "7" + String(repeating: "0", count: 9_999)
        let value = try JSONValue.parse(digits)
        #expect(value.numberValue?.isInteger == true)
        #expect(try validate(##"{"type": "integer", "multipleOf": 7, "minimum": 5}"##, digits).isValid)
        #expect(!(try validate(##"{"maximum": 5}"##, digits).isValid))
        #expect(!(try validate(##"{"multipleOf": 3}"##, digits).isValid))
        #expect(try validate("{\"const\": \(digits).0}", digits).isValid)
        #expect(try JSONValue.parse("1.0") == JSONValue.parse("1"))
    }
}

@Suite struct ErrorLocationTests {
    struct Case: Sendable, CustomStringConvertible {
        let schema: String
        let instance: String
        let instanceLocation: String
        let keywordLocation: String
        var description: String { keywordLocation }
    }

    static let cases: [Case] = [
        Case(schema: ##"{"properties": {"a": {"type": "string"}}}"##, instance: ##"{"a": 1}"##,
             instanceLocation: "/a", keywordLocation: "/properties/a/type"),
        Case(schema: ##"{"$defs": {"s": {"minLength": 2}}, "properties": {"a": {"$ref": "#/$defs/s"}}}"##, instance: ##"{"a": "x"}"##,
             instanceLocation: "/a", keywordLocation: "/properties/a/$ref/minLength"),
        Case(schema: ##"{"additionalProperties": false}"##, instance: ##"{"b~/": 1}"##,
             instanceLocation: "/b~0~1", keywordLocation: "/additionalProperties"),
        Case(schema: ##"{"required": ["id"]}"##, instance: "{}", instanceLocation: "", keywordLocation: "/required"),
        Case(schema: ##"{"prefixItems": [true, {"enum": [1, 2]}]}"##, instance: "[0, 3]",
             instanceLocation: "/1", keywordLocation: "/prefixItems/1/enum"),
        Case(schema: ##"{"allOf": [{"items": {"maximum": 3}}]}"##, instance: "[1, 4]",
             instanceLocation: "/1", keywordLocation: "/allOf/0/items/maximum"),
    ]

    @Test(arguments: cases)
    func location(_ c: Case) throws {
        let result = try validate(c.schema, c.instance)
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.instanceLocation == c.instanceLocation)
        #expect(result.errors.first?.keywordLocation == c.keywordLocation)
    }

    @Test func allErrorsAreReported() throws {
        let result = try validate(##"{"properties": {"a": {"type": "string"}, "b": {"type": "integer"}}, "required": ["c"]}"##, ##"{"a": 1, "b": "x"}"##)
        #expect(result.errors.map(\.instanceLocation).sorted() == ["", "/a", "/b"])
    }
}

@Suite struct FormatTests {
    @Test(arguments: [
        ("date", "2024-02-29", "2023-02-29"),
        ("date-time", "2024-01-01T10:00:00Z", "2024-01-01 10:00"),
        ("time", "23:59:60Z", "24:00:00Z"),
        ("email", "a.b@example.com", "a@@b"),
        ("uri", "https://example.com/a?b#c", "/relative"),
        ("uri-reference", "../a#b", "a b"),
        ("uuid", "123e4567-e89b-12d3-a456-426614174000", "123e4567e89b12d3a456426614174000"),
        ("ipv4", "192.168.0.1", "256.1.1.1"),
        ("ipv6", "::ffff:192.168.0.1", "1:::2"),
        ("hostname", "example.com", "-bad-.com"),
        ("regex", "^a+$", "(unclosed"),
        ("json-pointer", "/a~1b", "a/b"),
    ])
    func formatIsAnAssertionOnlyWhenAsked(format: String, good: String, bad: String) throws {
        let schema = "{\"format\": \"\(format)\"}"
        #expect(try validate(schema, "\"\(good)\"", assertFormat: true).isValid)
        #expect(!(try validate(schema, "\"\(bad)\"", assertFormat: true).isValid))
        #expect(try validate(schema, "\"\(bad)\"", assertFormat: false).isValid)
    }
}

@Suite struct ParserTests {
    @Test func errorCarriesLineAndColumn() {
        #expect {
            try JSONValue.parse("{\n  \"a\": tru\n}")
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.line == 2 && error.column == 8
        }
    }

    @Test func objectsKeepKeyOrder() throws {
        let value = try JSONValue.parse(##"{"z": 1, "a": 2, "m": 3}"##)
        #expect(value.objectValue?.keys == ["z", "a", "m"])
    }

    @Test func positionsByPointer() throws {
        let (_, positions) = try JSONValue.parseWithPositions(Data("{\n  \"a\": [1,\n    2]\n}".utf8))
        #expect(positions["/a/1"] == SourcePosition(line: 3, column: 5))
    }

    @Test func ecmaRegexClassesAreASCII() throws {
        #expect(try validate(##"{"pattern": "^\\d$"}"##, "\"3\"").isValid)
        #expect(!(try validate(##"{"pattern": "^\\d$"}"##, "\"\u{0663}\"").isValid))
        #expect(!(try validate(##"{"pattern": "^a$"}"##, "\"a\\n\"").isValid))
    }
}

@Suite struct SchemaCheckTests {
    @Test func reportsErrorsWithPositionsAsJSON() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("schema-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let refs = dir.appendingPathComponent("refs")
        try FileManager.default.createDirectory(at: refs, withIntermediateDirectories: true)
        try Data(##"{"type": "string"}"##.utf8).write(to: refs.appendingPathComponent("name.json"))
        let schema = dir.appendingPathComponent("main.json")
        try Data(##"{"$id": "http://example.com/s/main.json", "properties": {"name": {"$ref": "name.json"}}}"##.utf8).write(to: schema)
        let good = dir.appendingPathComponent("good.json")
        let bad = dir.appendingPathComponent("bad.json")
        let broken = dir.appendingPathComponent("broken.json")
        try Data(##"{"name": "x"}"##.utf8).write(to: good)
        try Data("{\n  \"name\": 42\n}".utf8).write(to: bad)
        try Data("{\n  \"name\": \n".utf8).write(to: broken)
        let options = SchemaCheckOptions(schema: schema, referenceDirectories: [refs], baseURI: "http://example.com/s/")
        let report = try SchemaCheck.run(options, documents: [.file(good), .file(bad), .file(broken)])
        #expect(report.results.map(\.valid) == [true, false, false])
        let error = try #require(report.results[1].errors.first)
        #expect(error.instanceLocation == "/name")
        #expect(error.keywordLocation == "/properties/name/$ref/type")
        #expect(error.line == 2 && error.column == 11)
        #expect(report.results[2].errors.first?.line == 3)
        let json = try JSONValue.parse(report.renderJSON())
        #expect(json["version"] == .number(JSONNumber(1)))
        #expect(json["results"]?.arrayValue?.count == 3)
    }

    @Test func unresolvableReferenceIsASchemaError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("schema-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let schema = dir.appendingPathComponent("main.json")
        try Data(##"{"$ref": "other.json"}"##.utf8).write(to: schema)
        #expect(throws: SchemaError.self) {
            try SchemaCheck.run(SchemaCheckOptions(schema: schema), documents: [.parsed(path: "x", value: .null, positions: nil)])
        }
    }
}
