import EvidentCore
import GitKit

/// Entry point used by the thin `evident` executable.
public enum EvidentMain {
    /// `Evident.main()`, with argument parsing timed as a phase of its own (`EVIDENT_TIMINGS`).
    public static func run() {
        Timings.startRun()
        Repository.prepareInBackground()
        do {
            var command = try Timings.measure("arguments") { try Evident.parseAsRoot() }
            try command.run()
        } catch {
            Evident.exit(withError: error)
        }
    }
}
