import Foundation

/// A scratch folder with the oracles: ssh-keygen and the git CLI, never reading the user's configuration.
final class Oracle {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("signatures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Runs a tool; returns status, stdout and stderr.
    @discardableResult
    func run(_ tool: String, _ arguments: [String], input: [UInt8]? = nil, in directory: String? = nil, date: Int = 1_700_000_000,
             check: Bool = true, environment extra: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? root.path)
        let when = "@\(date) +0000"
        process.environment = [
            "HOME": root.path, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "PATH": "/usr/bin:/bin", "LC_ALL": "C",
            "GIT_AUTHOR_NAME": "Ada Author", "GIT_AUTHOR_EMAIL": "ada@example.org", "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_NAME": "Ada Author", "GIT_COMMITTER_EMAIL": "ada@example.org", "GIT_COMMITTER_DATE": when,
            "SSH_AUTH_SOCK": "",
        ].merging(extra) { $1 }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input)) }
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let result = (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
        if check, result.0 != 0 { throw Failure(description: "\(tool) \(arguments.joined(separator: " ")) failed: \(result.2)") }
        return result
    }

    func git(_ arguments: [String], in directory: String, input: [UInt8]? = nil, date: Int = 1_700_000_000,
             environment: [String: String] = [:]) throws -> String {
        try run("/usr/bin/git", ["-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"] + arguments, input: input,
                in: directory, date: date, environment: environment).out
    }

    /// `ssh-keygen -t TYPE [-b BITS]` without a passphrase; returns the private key path (public at PATH.pub).
    func keygen(_ name: String, type: String, bits: Int? = nil, passphrase: String = "") throws -> String {
        let keyPath = path(name)
        try run("/usr/bin/ssh-keygen", ["-q", "-t", type] + (bits.map { ["-b", "\($0)"] } ?? []) + ["-N", passphrase, "-C", name, "-f", keyPath])
        return keyPath
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
    func write(_ text: String, to name: String) throws -> String {
        let target = path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: target))
        return target
    }
}
