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

    /// The instant the CRA clocks are judged at: EVIDENT_NOW (an ISO 8601 timestamp) when set; the end
    /// of EVIDENT_TODAY when only that is set (nil: the domain's default); the current time otherwise.
    static var now: String? {
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
        Terminal.error("\(error)")
        throw ExitCode(2)
    }
}

extension CheckFormat: ExpressibleByArgument {}
extension CoverageFormat: ExpressibleByArgument {}
