/// Namespace for the JSON Schema validator.
public enum JSONSchemaInfo {
    public static let dialects = ["https://json-schema.org/draft/2020-12/schema", "http://json-schema.org/draft-07/schema#"]
}
