import Foundation
import Testing

/// The audit bundle through the built binary: export, verify, signing, tampering, diff, refusals.
@Suite(.serialized)
struct BundleEndToEndTests {
    func demo() throws -> URL {
        let dir = try EvidentRun.scratch().appendingPathComponent("demo")
        let result = try EvidentRun.run(["demo", dir.path], in: dir.deletingLastPathComponent())
        #expect(result.status == 0, "\(result.stderr)")
        return dir
    }

    /// Every byte of a local header (version, flags, method, time, date, CRC, sizes, name) is
    /// covered: a reader going by the local headers must see the files the manifest lists.
    @Test func changedLocalHeaderBytesAreCaught() throws {
        let repo = try demo()
        let zip = repo.deletingLastPathComponent().appendingPathComponent("h.zip")
        #expect(try EvidentRun.run(["export", "--rev", "v2.3.1", "--out", zip.path], in: repo).status == 0)
        let original = [UInt8](try Data(contentsOf: zip))
        // The third local header in the file (any entry serves).
        var starts: [Int] = []
        for index in 0..<(original.count - 4) where original[index] == 0x50 && original[index + 1] == 0x4B && original[index + 2] == 3 && original[index + 3] == 4 {
            starts.append(index)
        }
        let start = try #require(starts.dropFirst(2).first)
        let nameLength = Int(original[start + 26]) | Int(original[start + 27]) << 8
        for offset in Array(4..<28) + Array(30..<(30 + nameLength)) {
            var bytes = original
            bytes[start + offset] ^= 0x01
            let tampered = repo.deletingLastPathComponent().appendingPathComponent("t.zip")
            try Data(bytes).write(to: tampered)
            let result = try EvidentRun.run(["verify", tampered.path], in: repo)
            #expect(result.status == 1, "local header byte \(offset) changed, yet: \(result.stdout)")
        }
    }

    @Test func exportVerifiesAndIsReproducible() throws {
        let repo = try demo()
        let out = repo.deletingLastPathComponent()
        let first = try EvidentRun.run(["export", "--rev", "v2.3.1", "--out", out.appendingPathComponent("a.zip").path], in: repo)
        #expect(first.status == 0, "\(first.stderr)")
        let second = try EvidentRun.run(["export", "--rev", "v2.3.1", "--out", out.appendingPathComponent("b.zip").path], in: repo,
                                        environment: ["TZ": "Pacific/Kiritimati", "EVIDENT_TODAY": "2027-01-01"])
        #expect(second.status == 0, "\(second.stderr)")
        let a = try Data(contentsOf: out.appendingPathComponent("a.zip"))
        let b = try Data(contentsOf: out.appendingPathComponent("b.zip"))
        #expect(a == b)
        let verify = try EvidentRun.run(["verify", out.appendingPathComponent("a.zip").path], in: repo)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

        // One changed byte in the middle of the archive is caught.
        var tampered = a
        let index = tampered.count / 2
        tampered[index] = tampered[index] ^ 0xFF
        try tampered.write(to: out.appendingPathComponent("t.zip"))
        let bad = try EvidentRun.run(["verify", out.appendingPathComponent("t.zip").path], in: repo)
        #expect(bad.status == 1)

        // Not a zip at all.
        try Data("not a zip".utf8).write(to: out.appendingPathComponent("n.zip"))
        #expect(try EvidentRun.run(["verify", out.appendingPathComponent("n.zip").path], in: repo).status == 1)
    }

    @Test func signedBundleNeedsTheRightKey() throws {
        let repo = try demo()
        let out = repo.deletingLastPathComponent()
        let key = out.appendingPathComponent("release.key").path
        let other = out.appendingPathComponent("other.key").path
        #expect(try EvidentRun.run(["keygen", "--out", key], in: repo).status == 0)
        #expect(try EvidentRun.run(["keygen", "--out", other], in: repo).status == 0)
        #expect(try EvidentRun.run(["keygen", "--out", key], in: repo).status == 2, "keygen never overwrites silently")
        let attributes = try FileManager.default.attributesOfItem(atPath: key)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let zip = out.appendingPathComponent("signed.zip").path
        let export = try EvidentRun.run(["export", "--rev", "v2.3.1", "--out", zip, "--sign-key", key], in: repo)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(try EvidentRun.run(["verify", zip, "--key", key + ".pub"], in: repo).status == 0)
        let wrong = try EvidentRun.run(["verify", zip, "--key", other + ".pub"], in: repo)
        #expect(wrong.status == 1)
        #expect(wrong.stdout.contains("signature") || wrong.stderr.contains("signature"))
    }

    @Test func refusals() throws {
        let repo = try demo()
        let out = repo.deletingLastPathComponent().appendingPathComponent("x.zip").path
        #expect(try EvidentRun.run(["export", "--rev", "v2.3.1", "--out", out], in: repo).status == 0)
        let existing = try EvidentRun.run(["export", "--rev", "v2.3.1", "--out", out], in: repo)
        #expect(existing.status == 2)
        let unknown = try EvidentRun.run(["export", "--rev", "v9.9.9", "--out", out + "2"], in: repo)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.split(separator: "\n").count == 1)
        let inside = try EvidentRun.run(["export", "--rev", "v2.3.1", "--out", repo.appendingPathComponent("security/b.zip").path], in: repo)
        #expect(inside.status == 2)
        #expect(!FileManager.default.fileExists(atPath: repo.appendingPathComponent("security/b.zip").path))
        try Data("not a key\n".utf8).write(to: repo.deletingLastPathComponent().appendingPathComponent("bad.key"))
        let badKey = try EvidentRun.run(["export", "--rev", "v2.3.1", "--out", out + "3", "--sign-key", repo.deletingLastPathComponent().appendingPathComponent("bad.key").path], in: repo)
        #expect(badKey.status == 2)
    }

    @Test func diffBetweenReleases() throws {
        let repo = try demo()
        let diff = try EvidentRun.run(["diff", "v2.3.0..v2.3.1", "--format", "json"], in: repo)
        #expect(diff.status == 0, "\(diff.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any]
        let text = diff.stdout
        #expect(object != nil)
        #expect(text.contains("DEF-2026-001"))
    }
}

/// A bundle unpacked and packed again by stock tools (`zip -r` adds folder entries) still verifies;
/// folder entries with `..` or a leading `/` are still refused.
@Suite(.serialized)
struct RezippedBundleTests {
    func tool(_ name: String) -> Bool {
        (try? ProcessRunner.run("/usr/bin/env", ["sh", "-c", "command -v \(name)"], in: URL(fileURLWithPath: "/"), environment: ProcessInfo.processInfo.environment).status) == 0
    }

    @Test func zipDashRVerifiesAndUnsafeFolderNamesDoNot() throws {
        guard tool("zip"), tool("unzip"), tool("python3") else {
            print("zip, unzip or python3 not installed: re-zipped bundle test skipped")
            return
        }
        let base = try EvidentRun.scratch()
        let repo = base.appendingPathComponent("demo")
        #expect(try EvidentRun.run(["demo", repo.path], in: base).status == 0)
        let bundle = base.appendingPathComponent("bundle.zip")
        let export = try EvidentRun.run(["export", "--rev", "v2.3.1", "--out", bundle.path], in: repo)
        #expect(export.status == 0, "\(export.stderr)")
        let unpacked = base.appendingPathComponent("unpacked")
        try FileManager.default.createDirectory(at: unpacked, withIntermediateDirectories: true)
        let env = ProcessInfo.processInfo.environment
        #expect(try ProcessRunner.run("/usr/bin/env", ["unzip", "-q", bundle.path], in: unpacked, environment: env).status == 0)
        let rezipped = base.appendingPathComponent("rezipped.zip")
        let zip = try ProcessRunner.run("/usr/bin/env", ["zip", "-q", "-r", rezipped.path, "."], in: unpacked, environment: env)
        #expect(zip.status == 0, "\(zip.stderr)")
        let listing = try ProcessRunner.run("/usr/bin/env", ["unzip", "-Z1", rezipped.path], in: base, environment: env).stdout
        #expect(listing.split(separator: "\n").contains { $0.hasSuffix("/") }, "zip -r wrote folder entries")
        let verify = try EvidentRun.run(["verify", rezipped.path], in: base)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

        for evil in ["../evil/", "/abs/", "records/../../up/"] {
            let copy = base.appendingPathComponent("evil-\(evil.filter(\.isLetter)).zip")
            try FileManager.default.copyItem(at: rezipped, to: copy)
            let script = "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], 'a'); z.writestr(zipfile.ZipInfo(sys.argv[2]), b''); z.close()"
            #expect(try ProcessRunner.run("/usr/bin/env", ["python3", "-c", script, copy.path, evil], in: base, environment: env).status == 0)
            let refused = try EvidentRun.run(["verify", copy.path], in: base)
            #expect(refused.status == 1, "\(evil): \(refused.stdout)")
            #expect(refused.stdout.contains("unsafe-name") || refused.stdout.contains("zip-slip"), "\(evil): \(refused.stdout)")
        }
    }
}
