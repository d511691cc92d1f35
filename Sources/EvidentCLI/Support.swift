import ArgumentParser
import EvidentCore
import Foundation

/// Terminal facts: colour only on a terminal and never with NO_COLOR.
enum Terminal {
    static var stdoutIsColorTerminal: Bool {
        ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(STDOUT_FILENO) == 1
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data(("evident: " + text + "\n").utf8))
    }
}

/// Options shared by commands that read a repository.
struct RepositoryOptions: ParsableArguments {
    @Option(name: .customLong("repo"), help: ArgumentHelp("Repository to work in (default: the current directory).", valueName: "DIR"))
    var repositoryPath: String = "."
}

enum Clock {
    /// Today (UTC), or EVIDENT_TODAY (YYYY-MM-DD) for reproducible runs and tests.
    static var today: String {
        if let fixed = ProcessInfo.processInfo.environment["EVIDENT_TODAY"], DateText.isDate(fixed) { return fixed }
        return DateText.string(from: Date())
    }

    /// Now as a UTC date-time (what approvals are dated with): EVIDENT_NOW (YYYY-MM-DDTHH:MM:SSZ) when
    /// set, else EVIDENT_TODAY at midnight when that is set, else the real time.
    static var now: String {
        let environment = ProcessInfo.processInfo.environment
        if let fixed = environment["EVIDENT_NOW"], DateTimeText.isDateTime(fixed) { return fixed }
        if let fixed = environment["EVIDENT_TODAY"], DateText.isDate(fixed) { return fixed + "T00:00:00Z" }
        return DateTimeText.string(from: Date())
    }

    /// The instant the CRA clocks are judged at: EVIDENT_NOW (an ISO 8601 timestamp) when set; the end
    /// of EVIDENT_TODAY when only that is set (nil: the domain's default); the current time otherwise.
    static var instant: String? {
        let environment = ProcessInfo.processInfo.environment
        if let fixed = environment["EVIDENT_NOW"], !fixed.isEmpty { return fixed }
        if environment["EVIDENT_TODAY"].map(DateText.isDate) == true { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}

/// Runs a command body, turning "could not run" errors into one line on stderr and exit code 2.
func runOrExit2<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch let error as CleanExit {
        throw error
    } catch {
        Terminal.error(PlainError.describe(error))
        throw ExitCode(2)
    }
}

extension CheckFormat: ExpressibleByArgument {}
extension CoverageFormat: ExpressibleByArgument {}

/// Findings as `check` prints them, one per line, without the summary.
enum FindingLines {
    static func lines(_ findings: [Finding]) -> String {
        findings.map { "\($0.path):\($0.line):\($0.column): \($0.severity.rawValue): [\($0.rule)] \($0.message)\n" }.joined()
    }

    static func write(_ findings: [Finding]) {
        if !findings.isEmpty { Terminal.write(lines(Finding.sorted(findings))) }
    }

    static func writeError(_ findings: [Finding]) {
        FileHandle.standardError.write(Data(lines(Finding.sorted(findings)).utf8))
    }
}

/// Single quotes for a shell command line the user may paste.
enum ShellQuote {
    static func quote(_ text: String) -> String {
        let safe = text.allSatisfy { $0.isLetter || $0.isNumber || "-_./:@+=,".contains($0) }
        return safe && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
