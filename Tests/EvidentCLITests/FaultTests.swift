import Foundation
import Testing

/// Faults: concurrent runs, runs killed mid-way, and damaged caches leave the repository and the
/// history cache usable, and every run agrees with a clean one.
@Suite(.serialized)
struct FaultTests {
    /// A repository with some history under the records root, so `check` has a cache to write.
    func repository() throws -> URL {
        let dir = try EvidentRun.scratch()
        try EvidentRun.git(["init", "-q"], in: dir)
        let initialised = try EvidentRun.run(["init", "--product", "Fault gateway"], in: dir)
        #expect(initialised.status == 0, "\(initialised.stderr)")
        for batch in 0..<12 {
            for index in 0..<10 {
                let id = batch * 10 + index
                let url = dir.appendingPathComponent("security/defects/DEF-\(id).yaml")
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data("kind: defect\nid: DEF-\(id)\ntitle: Defect \(id) batch \(batch)\nstatus: draft\nowner: a@example.com\n".utf8).write(to: url)
            }
            try EvidentRun.git(["add", "-A"], in: dir)
            try EvidentRun.git(["commit", "-q", "-m", "batch \(batch)"], in: dir, date: "2026-01-\(String(format: "%02d", batch + 1))T10:00:00Z")
        }
        return dir
    }

    func cacheFiles(_ dir: URL) -> [String] {
        let cache = dir.appendingPathComponent(".git/evident")
        return ((try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []).sorted()
    }

    func start(_ arguments: [String], in dir: URL, output: URL) throws -> Process {
        let process = Process()
        process.executableURL = EvidentRun.url
        process.arguments = arguments
        process.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["EVIDENT_TODAY"] = "2026-06-01"
        process.environment = env
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func twoChecksAtOnceAgreeAndKeepTheCache() throws {
        let dir = try repository()
        let baseline = try EvidentRun.run(["check", "--format", "json"], in: dir)
        let outputs = (0..<2).map { dir.deletingLastPathComponent().appendingPathComponent("fault-\($0)-\(UUID().uuidString).json") }
        for round in 0..<3 {
            // Cold cache in the first round: both processes build and write it at the same time.
            if round == 0 { try? FileManager.default.removeItem(at: dir.appendingPathComponent(".git/evident")) }
            let processes = try outputs.map { try start(["check", "--format", "json"], in: dir, output: $0) }
            for process in processes { process.waitUntilExit() }
            for (process, output) in zip(processes, outputs) {
                #expect(process.terminationStatus == baseline.status)
                #expect(String(decoding: try Data(contentsOf: output), as: UTF8.self) == baseline.stdout, "round \(round): concurrent runs disagree")
            }
            #expect(!cacheFiles(dir).contains { $0.hasPrefix(".tmp") }, "a temporary cache file was left behind")
        }
        let after = try EvidentRun.run(["check", "--format", "json"], in: dir)
        #expect(after.stdout == baseline.stdout)
    }

    @Test func killedRunLeavesRepositoryAndCacheUsable() throws {
        let dir = try repository()
        try? FileManager.default.removeItem(at: dir.appendingPathComponent(".git/evident"))
        let baseline = try EvidentRun.run(["check", "--format", "json"], in: dir)
        let status = try EvidentRun.git(["status", "--porcelain"], in: dir)
        for delay in [0, 5, 20, 60, 150] {
            try? FileManager.default.removeItem(at: dir.appendingPathComponent(".git/evident"))
            let output = dir.deletingLastPathComponent().appendingPathComponent("killed-\(UUID().uuidString)")
            let process = try start(["check", "--format", "json"], in: dir, output: output)
            usleep(useconds_t(delay * 1000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let next = try EvidentRun.run(["check", "--format", "json"], in: dir)
            #expect(next.stdout == baseline.stdout, "after a kill at \(delay) ms the next run disagrees")
            #expect(try EvidentRun.git(["status", "--porcelain"], in: dir) == status, "the kill changed the working tree")
        }
        // A damaged cache file (truncated, garbage) is ignored and rebuilt, never trusted.
        for name in cacheFiles(dir) where !name.hasPrefix(".") {
            let url = dir.appendingPathComponent(".git/evident/\(name)")
            let data = try Data(contentsOf: url)
            try data.prefix(data.count / 2).write(to: url)
        }
        #expect(try EvidentRun.run(["check", "--format", "json"], in: dir).stdout == baseline.stdout)
        for name in cacheFiles(dir) where !name.hasPrefix(".") {
            try Data(repeating: 0xA5, count: 4096).write(to: dir.appendingPathComponent(".git/evident/\(name)"))
        }
        #expect(try EvidentRun.run(["check", "--format", "json"], in: dir).stdout == baseline.stdout)
    }
}

/// Through the binary: a FIFO and a 20 MiB file under the records root are findings, and `check`
/// neither blocks on the FIFO nor reads the big file (it used to hash every file for attribution).
@Test func fifoAndHugeFileThroughTheBinary() throws {
    let dir = try EvidentRun.scratch()
    try EvidentRun.git(["init", "-q"], in: dir)
    #expect(try EvidentRun.run(["init", "--product", "Fifo gateway"], in: dir).status == 0)
    #expect(mkfifo(dir.appendingPathComponent("security/pipe.yaml").path, 0o644) == 0)
    try Data(repeating: 0x23, count: 20 * 1024 * 1024).write(to: dir.appendingPathComponent("security/huge.yaml"))
    let started = Date()
    let result = try EvidentRun.run(["check"], in: dir)
    #expect(Date().timeIntervalSince(started) < 20)
    #expect(result.stdout.contains("security/pipe.yaml:1:1: error: [invalid-encoding]"), "\(result.stdout)")
    #expect(result.stdout.contains("security/huge.yaml:1:1: error: [resource-limit]"), "\(result.stdout)")
}
