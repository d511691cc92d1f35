import EvidentCore

/// Entry point used by the thin `evident` executable.
public enum EvidentMain {
    public static func run() {
        Timings.startRun()
        Evident.main()
    }
}
