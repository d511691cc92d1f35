import Foundation
import GitKit

/// Why `evident hook install` or `uninstall` could not do its work. Nothing is changed when one is thrown.
public enum HookError: Error, CustomStringConvertible, Equatable {
    case notARepository(String)
    case hooksPathNotDirectory(String)
    case hookIsDirectory(String)
    case chainedSlotTaken(hook: String, chained: String)
    case notEvidentHook(String)
    case cannotWrite(path: String, reason: String)
    case outsideRepository(String)

    public var description: String {
        switch self {
        case .notARepository(let path):
            return "\(path) is not inside a git repository (run 'git init' first)"
        case .hooksPathNotDirectory(let path):
            return "hooks path \(path) exists but is not a folder (check core.hooksPath)"
        case .hookIsDirectory(let path):
            return "\(path) is a folder, not a hook; evident will not replace it"
        case .chainedSlotTaken(let hook, let chained):
            return "\(hook) is not evident's hook and \(chained) already exists; move one of them away, or pass --force to keep the old \(chained) as \(chained).bak"
        case .notEvidentHook(let path):
            return "\(path) was not installed by evident; left as it is"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason); nothing was changed"
        case .outsideRepository(let path):
            return "hooks folder \(path) is outside this repository (core.hooksPath, or a symlink); evident writes only inside the repository: point core.hooksPath inside it, or add 'evident check --staged' to that hook by hand"
        }
    }
}

/// What an install or uninstall did, for the command to print.
public enum HookOutcome: Equatable, Sendable {
    case installed(hook: String, chained: String?)
    case updated(hook: String)
    case unchanged(hook: String)
    case removed(hook: String)
    case restored(hook: String)
    case notInstalled(hook: String)

    public var message: String {
        switch self {
        case .installed(let hook, nil): return "Installed the evident pre-commit hook at \(hook)."
        case .installed(let hook, let chained?):
            return "Installed the evident pre-commit hook at \(hook); the previous hook was kept as \(chained) and runs first."
        case .updated(let hook): return "Updated the evident pre-commit hook at \(hook)."
        case .unchanged(let hook): return "The evident pre-commit hook at \(hook) is already installed."
        case .removed(let hook): return "Removed the evident pre-commit hook at \(hook)."
        case .restored(let hook): return "Removed the evident pre-commit hook and restored the previous hook at \(hook)."
        case .notInstalled(let hook): return "No evident pre-commit hook at \(hook); nothing to do."
        }
    }
}

/// Installs and removes the git pre-commit hook that runs `evident check --staged`.
///
/// A pre-existing hook is chained, not replaced: it is renamed to `pre-commit.evident-chained` (a
/// rename keeps its bytes, mode, and a symlink as a symlink), the evident hook runs it first with
/// the same arguments and stdin and stops with its exit status, and `uninstall` renames it back.
public struct HookInstaller {
    /// The line that marks a hook as evident's.
    public static let marker = "# evident-hook: pre-commit v1"
    public static let hookName = "pre-commit"
    public static let chainedName = "pre-commit.evident-chained"

    /// The folder holding the hooks and the repository's working directory (nil when bare).
    public let hooksDirectory: String
    /// The folders a hook may be written in: the working tree and the git folders.
    let boundaries: [URL]
    let fileManager = FileManager.default

    /// Finds the repository containing `path` and its hooks folder: `core.hooksPath` (relative to
    /// the working tree, `~/` expanded) or the common git directory's `hooks/`, shared by worktrees.
    public init(repositoryPath path: String) throws {
        let repository: Repository
        do {
            repository = try Repository.discover(startingAt: path)
        } catch {
            throw HookError.notARepository(path)
        }
        let base = repository.workdir ?? repository.gitDir
        boundaries = ([repository.workdir].compactMap { $0 } + [repository.gitDir, repository.commonDir]).map { URL(fileURLWithPath: $0, isDirectory: true) }
        if let configured = repository.config(string: "core.hooksPath"), !configured.isEmpty {
            var expanded = configured
            if expanded == "~" || expanded.hasPrefix("~/") {
                let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
                expanded = home + expanded.dropFirst()
            }
            hooksDirectory = expanded.hasPrefix("/") ? expanded : URL(fileURLWithPath: base).appendingPathComponent(expanded).standardizedFileURL.path
        } else {
            hooksDirectory = URL(fileURLWithPath: repository.commonDir).appendingPathComponent("hooks").standardizedFileURL.path
        }
    }

    public var hookPath: String { hooksDirectory + "/" + Self.hookName }
    public var chainedPath: String { hooksDirectory + "/" + Self.chainedName }

    /// The hook script. `executable` is the absolute path of the evident binary to run; when that file
    /// is gone (the binary moved) the hook falls back to `evident` on PATH, and fails the commit with
    /// a message when neither exists.
    public static func script(executable: String?) -> String {
        let pinned = executable.map { quote($0) } ?? "''"
        let shown = (executable ?? "evident on PATH").replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        return """
        #!/bin/sh
        \(marker)
        # Installed by `evident hook install`; remove with `evident hook uninstall`.
        # Refuses a commit whose staged evidence records fail `evident check --staged`.
        # evident binary: \(shown) (falls back to `evident` on PATH when that file is gone;
        # run `evident hook install` again after moving it). Skip once with `git commit --no-verify`.
        # A hook that was here before (if any) is kept as \(chainedName) and runs first.

        chained="$(dirname -- "$0")/\(chainedName)"
        if [ -x "$chained" ]; then
            "$chained" "$@" || exit $?
        fi

        pinned=\(pinned)
        evident="$pinned"
        if [ -z "$evident" ] || [ ! -x "$evident" ]; then
            if command -v evident >/dev/null 2>&1; then
                evident=evident
            else
                echo "evident pre-commit hook: evident not found at ${pinned:-its installed path} nor on PATH; reinstall it, run 'evident hook uninstall', or skip with 'git commit --no-verify'" >&2
                exit 1
            fi
        fi

        "$evident" check --staged
        status=$?
        if [ "$status" -ne 0 ]; then
            echo "evident pre-commit hook: commit refused (evident check --staged exited $status); fix the records above or skip with 'git commit --no-verify'" >&2
        fi
        exit "$status"

        """
    }

    /// Single-quotes a string for /bin/sh.
    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Installs the hook (idempotent: installing twice is installing once; an outdated evident hook is rewritten).
    public func install(executable: String?, force: Bool = false) throws -> HookOutcome {
        try ensureHooksDirectory()
        let script = Self.script(executable: executable)
        switch kind(at: hookPath) {
        case .directory:
            throw HookError.hookIsDirectory(hookPath)
        case .evident(let current):
            if current == Data(script.utf8) && isExecutable(hookPath) && !force { return .unchanged(hook: hookPath) }
            try write(script)
            return .updated(hook: hookPath)
        case .missing:
            try write(script)
            return .installed(hook: hookPath, chained: nil)
        case .other:
            if kind(at: chainedPath) != .missing {
                guard force else { throw HookError.chainedSlotTaken(hook: hookPath, chained: chainedPath) }
                let backup = chainedPath + ".bak"
                guard kind(at: backup) == .missing else { throw HookError.chainedSlotTaken(hook: hookPath, chained: backup) }
                try move(chainedPath, to: backup)
            }
            try move(hookPath, to: chainedPath)
            do {
                try write(script)
            } catch {
                try? move(chainedPath, to: hookPath)
                throw error
            }
            return .installed(hook: hookPath, chained: chainedPath)
        }
    }

    /// Removes the evident hook and puts back, by rename, whatever was there before.
    public func uninstall() throws -> HookOutcome {
        switch kind(at: hookPath) {
        case .missing:
            return .notInstalled(hook: hookPath)
        case .directory, .other:
            throw HookError.notEvidentHook(hookPath)
        case .evident:
            if kind(at: chainedPath) != .missing {
                try move(chainedPath, to: hookPath)
                return .restored(hook: hookPath)
            }
            guard unlink(hookPath) == 0 else { throw HookError.cannotWrite(path: hookPath, reason: Self.errnoText()) }
            return .removed(hook: hookPath)
        }
    }

    // MARK: File system

    enum Kind: Equatable {
        case missing, directory, evident(Data), other
    }

    /// What is at `path`, without following a symlink (a symlink is never evident's hook).
    func kind(at path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        let type = info.st_mode & S_IFMT
        if type == S_IFDIR { return .directory }
        guard type == S_IFREG, info.st_size < 1_000_000, let data = fileManager.contents(atPath: path) else { return .other }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n", maxSplits: 3).contains { $0 == Self.marker } ? .evident(data) : .other
    }

    func ensureHooksDirectory() throws {
        guard ContainedPath.isInside(hooksDirectory, anyOf: boundaries.map(\.path)) else { throw HookError.outsideRepository(hooksDirectory) }
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: hooksDirectory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw HookError.hooksPathNotDirectory(hooksDirectory) }
            guard access(hooksDirectory, W_OK) == 0 else { throw HookError.cannotWrite(path: hooksDirectory, reason: Self.errnoText()) }
            return
        }
        var info = stat()
        if lstat(hooksDirectory, &info) == 0 { throw HookError.hooksPathNotDirectory(hooksDirectory) }
        do {
            try fileManager.createDirectory(atPath: hooksDirectory, withIntermediateDirectories: true)
        } catch {
            throw HookError.cannotWrite(path: hooksDirectory, reason: "could not create the folder")
        }
    }

    func write(_ script: String) throws {
        do {
            try AtomicFile.write(Data(script.utf8), to: URL(fileURLWithPath: hookPath), within: boundaries, permissions: 0o755, shown: hookPath)
        } catch WriteError.outside {
            throw HookError.outsideRepository(hooksDirectory)
        } catch WriteError.cannotWrite(_, let reason) {
            throw HookError.cannotWrite(path: hookPath, reason: reason)
        }
        // The umask may have narrowed the mode given at creation.
        _ = chmod(hookPath, 0o755)
    }

    func move(_ from: String, to destination: String) throws {
        guard rename(from, destination) == 0 else { throw HookError.cannotWrite(path: destination, reason: Self.errnoText()) }
    }

    func isExecutable(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return info.st_mode & 0o111 == 0o111
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
