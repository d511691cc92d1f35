import Foundation

/// Runs the built `evident` binary, as a user would, and captures what it prints.
enum EvidentRun {
    typealias Result = RunResult

    /// The built binary (see `EvidentBinary`), for tests that drive the process themselves.
    static var url: URL { URL(fileURLWithPath: EvidentBinary.path ?? "evident") }

    @discardableResult
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> Result {
        guard let binary = EvidentBinary.path else { throw ScratchError.noBinary }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["EVIDENT_TODAY"] = "2026-06-01"
        for (key, value) in environment { env[key] = value }
        return try ProcessRunner.run(binary, arguments, in: directory, environment: env)
    }

    /// Runs the git CLI (a test oracle and fixture builder only) with a fixed identity and no global config.
    @discardableResult
    static func git(_ arguments: [String], in directory: URL, date: String = "2026-01-10T10:00:00Z") throws -> String {
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = directory.path
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_CONFIG_GLOBAL"] = "/dev/null"
        env["GIT_AUTHOR_NAME"] = "Test Author"
        env["GIT_AUTHOR_EMAIL"] = "author@example.com"
        env["GIT_COMMITTER_NAME"] = "Test Author"
        env["GIT_COMMITTER_EMAIL"] = "author@example.com"
        env["GIT_AUTHOR_DATE"] = date
        env["GIT_COMMITTER_DATE"] = date
        return try ProcessRunner.run("/usr/bin/env", ["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"] + arguments,
                                     in: directory, environment: env).stdout
    }

    static func scratch(_ name: String = #function) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("evident-test-\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// What a person does to a record `evident new` wrote before asking for its approval: replaces the
/// template's placeholder text with real content (placeholders are errors once a record is approved).
enum TemplateFilling {
    static func fill(_ text: String) -> String {
        var result = text.replacingOccurrences(of: #"Replace(?: with|:)?[^"\]\n]*"#, with: "Stated by the team", options: .regularExpression)
        result = result.replacingOccurrences(of: "replace-me.bin", with: "firmware.bin")
        return result
    }

    static func fill(at url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        try Data(fill(text).utf8).write(to: url)
    }
}
