import Foundation

/// Phase timings on standard error when `EVIDENT_TIMINGS` is set: where a run spends its time,
/// for benchmarks and bug reports. Off by default; never changes standard output.
public enum Timings {
    public static let enabled = ProcessInfo.processInfo.environment["EVIDENT_TIMINGS"].map { !$0.isEmpty } ?? false

    /// Runs `body`, and when timings are on prints "evident: timing LABEL N ms" to standard error.
    public static func measure<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
        guard enabled else { return try body() }
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
            var usage = rusage()
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
            FileHandle.standardError.write(Data("evident: timing \(label) \(String(format: "%.1f", elapsed)) ms (peak \(usage.ru_maxrss / 1024) MiB)\n".utf8))
        }
        return try body()
    }
}

/// Keeps a value alive until the process exits. A command's loaded project is a tree of millions
/// of small objects; freeing them one by one just before `exit` costs a tenth of a large check,
/// and the operating system reclaims the memory at once anyway.
public enum ProcessLifetime {
    private final class Box<T> {
        let value: T
        init(_ value: T) { self.value = value }
    }

    public static func keepUntilExit<T>(_ value: T) {
        _ = Unmanaged.passRetained(Box(value))
    }
}
