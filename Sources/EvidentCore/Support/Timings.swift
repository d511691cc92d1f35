import Foundation

/// Phase timings on standard error when `EVIDENT_TIMINGS` is set: where a run spends its time,
/// for benchmarks and bug reports. Off by default; never changes standard output.
public enum Timings {
    public static let enabled = ProcessInfo.processInfo.environment["EVIDENT_TIMINGS"].map { !$0.isEmpty } ?? false

    /// Runs `body`, and when timings are on prints "evident: timing LABEL N ms" to standard error.
    /// The label is only built when timings are on.
    public static func measure<T>(_ label: @autoclosure () -> String, _ body: () throws -> T) rethrows -> T {
        guard enabled else { return try body() }
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
            var usage = rusage()
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
            FileHandle.standardError.write(Data("evident: timing \(label()) \(String(format: "%.1f", elapsed)) ms (peak \(usage.ru_maxrss / 1024) MiB)\n".utf8))
        }
        return try body()
    }
}
