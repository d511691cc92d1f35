/// The tables evident reads from its embedded schemas and templates, made once per process. A
/// command that judges records needs them soon after it starts; `prepare`, called on another thread
/// at start-up, makes them meanwhile (a thread that asks first waits for it instead of making them
/// again).
public enum SharedTables {
    public static func prepare() {
        _ = ReferenceFields.shared
        _ = TemplatePlaceholderRule.exampleAddresses
    }
}
