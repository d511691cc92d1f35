import Foundation
import Testing

/// A full disk, for real: a tiny tmpfs (needs root and permission to mount; skipped otherwise).
/// Errors are one plain line ("cannot write FILE: no space left on device") and nothing is left behind.
@Suite(.serialized)
struct FullDiskTests {
    /// Mounts a tmpfs of `size` at a new folder, or nil when this machine does not allow it.
    static func mountTiny(_ size: String) -> URL? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evident-tiny-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let mounted = try? ProcessRunner.run("/usr/bin/env", ["mount", "-t", "tmpfs", "-o", "size=\(size)", "tmpfs", folder.path],
                                             in: URL(fileURLWithPath: "/"), environment: ProcessInfo.processInfo.environment)
        guard mounted?.status == 0 else {
            try? FileManager.default.removeItem(at: folder)
            return nil
        }
        return folder
    }

    static func unmount(_ folder: URL) {
        _ = try? ProcessRunner.run("/usr/bin/env", ["umount", folder.path], in: URL(fileURLWithPath: "/"), environment: ProcessInfo.processInfo.environment)
        try? FileManager.default.removeItem(at: folder)
    }

    /// Fills the file system holding `folder` to the last byte.
    static func fill(_ folder: URL) {
        let handle = FileHandle(forWritingAtPath: { () -> String in
            let path = folder.appendingPathComponent("filler").path
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            return path
        }())
        let block = Data(count: 4096)
        while (try? handle?.write(contentsOf: block)) != nil {}
        try? handle?.close()
        // The last partial block.
        let small = Data(count: 1)
        while (try? handle?.write(contentsOf: small)) != nil {}
    }

    @Test func exportToAFullDiskSaysSoAndLeavesNothing() throws {
        guard let tiny = Self.mountTiny("64k") else {
            print("cannot mount a tmpfs here: full-disk export test skipped")
            return
        }
        defer { Self.unmount(tiny) }
        let base = try EvidentRun.scratch()
        let repo = base.appendingPathComponent("demo")
        #expect(try EvidentRun.run(["demo", repo.path], in: base).status == 0)
        let out = tiny.appendingPathComponent("bundle.zip")
        let export = try EvidentRun.run(["export", "--rev", "v2.3.1", "--out", out.path], in: repo)
        #expect(export.status == 2)
        #expect(export.stderr == "evident: cannot write \(out.path): no space left on device\n", "\(export.stderr)")
        #expect(!export.stderr.contains("Domain="))
        #expect((try FileManager.default.contentsOfDirectory(atPath: tiny.path)).isEmpty, "nothing left behind")
    }

    @Test func newRecordOnAFullDiskSaysSoAndLeavesNothing() throws {
        guard let tiny = Self.mountTiny("1m") else {
            print("cannot mount a tmpfs here: full-disk record test skipped")
            return
        }
        defer { Self.unmount(tiny) }
        let repo = tiny.appendingPathComponent("product")
        try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
        try EvidentRun.git(["init", "-q", "--template="], in: repo)
        let initialised = try EvidentRun.run(["init"], in: repo)
        #expect(initialised.status == 0, "\(initialised.stderr)")
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("security/defects"), withIntermediateDirectories: true)
        Self.fill(tiny)
        let created = try EvidentRun.run(["new", "defect", "--owner", "a@example.com"], in: repo)
        #expect(created.status == 2)
        #expect(created.stderr == "evident: cannot write security/defects/DEF-001.yaml: no space left on device\n", "\(created.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: repo.appendingPathComponent("security/defects").path)
        #expect(left.isEmpty, "nothing left behind: \(left)")
    }
}
