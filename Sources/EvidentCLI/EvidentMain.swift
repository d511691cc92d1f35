import EvidentCore
import Foundation
import GitKit

/// Entry point used by the thin `evident` executable.
public enum EvidentMain {
    /// `Evident.main()`, with argument parsing timed as a phase of its own (`EVIDENT_TIMINGS`).
    public static func run() {
        Timings.startRun()
        // On another thread, overlapping argument parsing and the first reads: libgit2's set-up,
        // then the tables evident reads from its embedded schemas.
        Thread.detachNewThread {
            Repository.prepare()
            SharedTables.prepare()
        }
        do {
            var command = try Timings.measure("arguments") { try Evident.parseAsRoot() }
            try command.run()
        } catch {
            Evident.exit(withError: error)
        }
    }
}
