/// The tables evident reads from its embedded schemas, made once per process. A command that judges
/// records needs them soon after it starts; `prepare`, called on another thread at start-up, makes
/// them meanwhile (a thread that asks first waits for it instead of making them again). Nothing
/// here parses YAML: the work line `EVIDENT_TIMINGS` prints (which the growth tests read) must not
/// depend on how far another thread got before the process ended.
public enum SharedTables {
    public static func prepare() {
        _ = ReferenceFields.shared
    }
}
