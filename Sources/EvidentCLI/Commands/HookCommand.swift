import ArgumentParser
import EvidentCore
import Foundation

/// `evident hook install|uninstall`: the git pre-commit hook running `evident check --staged`.
struct HookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Install or remove the git pre-commit hook that runs 'evident check --staged'.",
        subcommands: [Install.self, Uninstall.self])

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install the pre-commit hook (honours core.hooksPath; an existing hook is kept and runs first).",
            discussion: "An existing pre-commit hook is renamed to pre-commit.evident-chained and run before the check. --force rewrites the evident hook and, when pre-commit.evident-chained is already taken, keeps it as pre-commit.evident-chained.bak.")

        @OptionGroup var repository: RepositoryOptions
        @Flag(help: "Rewrite the hook and move a leftover pre-commit.evident-chained aside.") var force = false

        func run() throws {
            let outcome = try runOrExit2 {
                try HookInstaller(repositoryPath: repository.repositoryPath).install(executable: ExecutablePath.current, force: force)
            }
            Terminal.write(outcome.message + "\n")
        }
    }

    struct Uninstall: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the evident pre-commit hook and restore the hook that was there before.")

        @OptionGroup var repository: RepositoryOptions

        func run() throws {
            let outcome = try runOrExit2 { try HookInstaller(repositoryPath: repository.repositoryPath).uninstall() }
            Terminal.write(outcome.message + "\n")
        }
    }
}

/// The absolute path of the running evident binary as it was invoked (a symlink such as
/// /usr/local/bin/evident stays a symlink, so upgrades behind it keep working), nil when unknown.
enum ExecutablePath {
    static var current: String? {
        let fileManager = FileManager.default
        if let invoked = CommandLine.arguments.first, !invoked.isEmpty {
            if invoked.contains("/") {
                let absolute = URL(fileURLWithPath: invoked).standardizedFileURL.path
                if fileManager.isExecutableFile(atPath: absolute) { return absolute }
            } else {
                for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") where folder.hasPrefix("/") {
                    let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(invoked).standardizedFileURL.path
                    if fileManager.isExecutableFile(atPath: candidate) { return candidate }
                }
            }
        }
        if let link = try? fileManager.destinationOfSymbolicLink(atPath: "/proc/self/exe"), link.hasPrefix("/") { return link }
        if let path = Bundle.main.executablePath, path.hasPrefix("/") { return path }
        return nil
    }
}
