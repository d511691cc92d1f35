import Foundation
import Testing

/// The built `evident` binary, found beside the running test bundle (the build products folder of
/// whatever scratch path `swift test` used), or under `.build-hook` / `.build` in the package root.
enum EvidentBinary {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let path: String? = {
        var candidates: [String] = []
        if let fixed = ProcessInfo.processInfo.environment["EVIDENT_BINARY"] { candidates.append(fixed) }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("evident").path)
        }
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("evident").path)
        }
        for scratch in [".build-hook", ".build"] {
            candidates.append(packageRoot.appendingPathComponent(scratch).appendingPathComponent("debug/evident").path)
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
}

/// Runs a program to its end with no standard input, capturing what it prints through files (two
/// pipes read one after the other could fill and block the child). The one runner every end-to-end
/// helper uses.
enum ProcessRunner {
    static func run(_ executable: String, _ arguments: [String], in directory: URL, environment: [String: String]) throws -> RunResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("evident-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: capture, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: capture) }
        let out = capture.appendingPathComponent("out"), err = capture.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return RunResult(status: process.terminationStatus, stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                         stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
}

/// What a process printed and how it ended.
struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var output: String { stdout + stderr }
}

/// A scratch folder holding a git repository, a private HOME and a fixed identity.
final class Scratch {
    let root: URL
    let repo: URL
    let home: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("evident-e2e-\(UUID().uuidString)")
        repo = root.appendingPathComponent("product")
        home = root.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        env["HOME"] = home.path
        env["XDG_CONFIG_HOME"] = home.path
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_AUTHOR_NAME"] = "Ada Tester"
        env["GIT_AUTHOR_EMAIL"] = "ada@example.com"
        env["GIT_COMMITTER_NAME"] = "Ada Tester"
        env["GIT_COMMITTER_EMAIL"] = "ada@example.com"
        env["GIT_AUTHOR_DATE"] = "2026-03-01T10:00:00Z"
        env["GIT_COMMITTER_DATE"] = "2026-03-01T10:00:00Z"
        env["EVIDENT_TODAY"] = "2026-03-01"
        env["NO_COLOR"] = "1"
        return env
    }

    @discardableResult
    func run(_ executable: String, _ arguments: [String], in directory: URL? = nil, env extra: [String: String] = [:]) throws -> RunResult {
        try ProcessRunner.run(executable, arguments, in: directory ?? repo, environment: environment.merging(extra) { $1 })
    }

    /// Runs the built evident binary.
    @discardableResult
    func evident(_ arguments: String..., in directory: URL? = nil) throws -> RunResult {
        guard let binary = EvidentBinary.path else { throw ScratchError.noBinary }
        return try run(binary, arguments, in: directory)
    }

    /// Runs the git CLI (the test oracle), never with the developer's configuration.
    @discardableResult
    func git(_ arguments: String..., in directory: URL? = nil) throws -> RunResult {
        try run("/usr/bin/env", ["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"] + arguments, in: directory)
    }

    func write(_ relative: String, _ text: String) throws {
        let url = repo.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ relative: String) throws -> Data { try Data(contentsOf: repo.appendingPathComponent(relative)) }

    /// A git repository with `evident init` committed.
    static func product() throws -> Scratch {
        let scratch = try Scratch()
        try scratch.git("init", "-q")
        let initialised = try scratch.evident("init", "--product", "Test gateway")
        guard initialised.status == 0 else { throw ScratchError.failed("evident init: \(initialised.output)") }
        try scratch.git("add", "-A")
        let committed = try scratch.git("commit", "-q", "-m", "evident init")
        guard committed.status == 0 else { throw ScratchError.failed("git commit: \(committed.output)") }
        return scratch
    }
}

enum ScratchError: Error, CustomStringConvertible {
    case noBinary
    case failed(String)
    var description: String {
        switch self {
        case .noBinary: return "the built evident binary was not found (build it first, or set EVIDENT_BINARY)"
        case .failed(let why): return why
        }
    }
}

/// File mode bits, for byte-and-mode comparisons.
func fileMode(_ path: String) -> mode_t {
    var info = stat()
    guard lstat(path, &info) == 0 else { return 0 }
    return info.st_mode
}
