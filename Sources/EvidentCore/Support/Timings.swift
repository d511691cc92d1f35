import Foundation
import GitKit

/// Phase timings on standard error when `EVIDENT_TIMINGS` is set: where a run spends its time,
/// for benchmarks and bug reports. Off by default; never changes standard output.
///
/// The phases measured on the main thread outside any other phase are the run's top-level phases;
/// with `startup` (from the process's start to `main`) they cover the whole run, and the last lines
/// say how much of the wall time they account for, and how much work the run did (`WorkCounts`).
/// A run's lines are written together when it ends (a run killed by a signal prints none).
public enum Timings {
    public static let enabled = ProcessInfo.processInfo.environment["EVIDENT_TIMINGS"].map { !$0.isEmpty } ?? false

    /// Top-level bookkeeping, touched only on the main thread.
    nonisolated(unsafe) private static var depth = 0
    nonisolated(unsafe) private static var topLevel: UInt64 = 0
    nonisolated(unsafe) private static var runStart: UInt64?

    /// Runs `body`, and when timings are on prints "evident: timing LABEL N ms" to standard error.
    /// The label is only built when timings are on.
    public static func measure<T>(_ label: @autoclosure () -> String, _ body: () throws -> T) rethrows -> T {
        guard enabled else { return try body() }
        let onMain = Thread.isMainThread
        let isTopLevel = onMain && depth == 0
        if onMain { depth += 1 }
        let start = clock()
        defer {
            let elapsed = clock() - start
            if onMain { depth -= 1 }
            if isTopLevel { topLevel += elapsed }
            print("\(label()) \(milliseconds(elapsed)) ms (peak \(peakMiB()) MiB)")
        }
        return try body()
    }

    /// Called first thing in `main`: notes the run's start (the process's start where the system
    /// tells it) and prints the totals when the process exits, however it exits.
    public static func startRun() {
        guard enabled, runStart == nil else { return }
        let now = clock()
        let processStart = processStartTime(now: now)
        runStart = processStart
        topLevel += now - processStart
        print("startup \(milliseconds(now - processStart)) ms (process start to main)")
        atexit { Timings.finishRun() }
    }

    static func finishRun() {
        guard let runStart else { return }
        let total = clock() - runStart
        let share = total > 0 ? Double(topLevel) / Double(total) * 100 : 100
        print("total \(milliseconds(total)) ms: phases \(milliseconds(topLevel)) ms (\(String(format: "%.0f", share))%), outside phases \(milliseconds(total > topLevel ? total - topLevel : 0)) ms (peak \(peakMiB()) MiB)")
        linesLock.lock()
        let text = lines.joined() + "evident: work \(WorkCounts.summary)\n"
        lines = []
        linesLock.unlock()
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// The lines of a run, written together when it ends: a write to standard error between two
    /// phases fell outside both (about a tenth of a millisecond each, a tenth of a 20 ms run).
    nonisolated(unsafe) private static var lines: [String] = []
    private static let linesLock = NSLock()

    private static func print(_ line: String) {
        let text = "evident: timing \(line)\n"
        linesLock.lock()
        defer { linesLock.unlock() }
        // Outside a run (a library caller that never called `startRun`) nothing would write them later.
        guard runStart != nil else {
            FileHandle.standardError.write(Data(text.utf8))
            return
        }
        lines.append(text)
    }

    private static func milliseconds(_ nanoseconds: UInt64) -> String {
        String(format: "%.1f", Double(nanoseconds) / 1_000_000)
    }

    private static func peakMiB() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss / 1024)
    }

    /// Nanoseconds on the clock the process start time is given in (time since boot on Linux).
    private static func clock() -> UInt64 {
        var time = timespec()
        #if os(Linux)
        clock_gettime(CLOCK_BOOTTIME, &time)
        #else
        clock_gettime(CLOCK_MONOTONIC, &time)
        #endif
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// When the process started, on `clock()`'s scale. The kernel gives it in clock ticks
    /// (`/proc/self/stat`, 10 ms each), so the start lies within one tick after that; within the
    /// tick it is taken as now less the CPU time this thread has used, which is exact for a process
    /// that has not yet waited (a binary read from the page cache) and never earlier than the start.
    private static func processStartTime(now: UInt64) -> UInt64 {
        guard let ticks = processStartTick(), ticks.start <= now else { return now }
        var used = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &used) == 0 else { return ticks.start }
        let cpu = UInt64(used.tv_sec) * 1_000_000_000 + UInt64(used.tv_nsec)
        let estimate = now > cpu ? now - cpu : 0
        return min(max(estimate, ticks.start), ticks.start + ticks.length - 1, now)
    }

    /// `/proc/self/stat` field 22 (clock ticks since boot), and the length of a tick, in nanoseconds.
    private static func processStartTick() -> (start: UInt64, length: UInt64)? {
        #if os(Linux)
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name (which may hold spaces) start at field 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = UInt64(fields[19]) else { return nil }
        let perSecond = UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))
        return (ticks * (1_000_000_000 / perSecond), 1_000_000_000 / perSecond)
        #else
        return nil
        #endif
    }
}
