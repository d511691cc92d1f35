import Foundation
import GitKit
import Testing

/// Benchmark, run only when `EVIDENT_BENCH_REPO` names a repository (see scripts/bench-history):
/// cold attribution of every record under `EVIDENT_BENCH_PREFIX` (default `security`), then a warm
/// run after one new commit. Prints the figures.
@Suite struct BenchTests {
    static let repoPath = ProcessInfo.processInfo.environment["EVIDENT_BENCH_REPO"]

    @Test(.enabled(if: BenchTests.repoPath != nil))
    func benchHistory() throws {
        guard let path = BenchTests.repoPath else { return }
        let prefix = ProcessInfo.processInfo.environment["EVIDENT_BENCH_PREFIX"] ?? "security"
        let repo = try Repository.open(at: path)
        guard let head = repo.headCommitID() else { return }
        let cacheDir = FileManager.default.temporaryDirectory.appendingPathComponent("bench-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cacheDir) }
        let cache = HistoryCache(directory: cacheDir.path)

        func seconds(_ body: () throws -> Void) rethrows -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        func attribute(_ history: PathHistory) throws -> Int {
            var authors = Set<String>()
            for (_, commits) in history.commitsByPath {
                if let first = commits.last { authors.insert(try repo.commit(first).author.name) }
                if let last = commits.first { authors.insert(try repo.commit(last).author.name) }
            }
            return authors.count
        }

        var cold: PathHistory?
        let coldTime = try seconds {
            let h = try repo.pathHistory(under: prefix, from: head, cache: cache)
            _ = try attribute(h)
            cold = h
        }
        let noCache = try seconds { _ = try repo.pathHistory(under: prefix, from: head, cache: nil) }
        let sameTip = try seconds { _ = try repo.pathHistory(under: prefix, from: head, cache: cache) }

        // One new commit (not moving any reference) changing one record.
        let files = try repo.files(inCommit: head, under: prefix)
        guard let victim = files.first else { return }
        let sigNow = Signature(name: "Bench", email: "bench@example.org",
                               time: Date(timeIntervalSince1970: 2_000_000_000))
        let newTip = try repo.commit(files: [victim.path: Data("changed by bench\n".utf8)], message: "bench\n",
                                     author: sigNow, committer: sigNow, parents: [head], updateRef: nil)
        let warmRepo = try Repository.open(at: path)
        var warm: PathHistory?
        let warmTime = try seconds {
            let h = try warmRepo.pathHistory(under: prefix, from: newTip, cache: HistoryCache(directory: cacheDir.path))
            _ = try attribute(h)
            warm = h
        }
        #expect(warm?.commitsRead == 1)
        #expect(warm?.commits(for: victim.path).first == newTip)

        // Then a merge on top: a side commit (from the old tip) changing another record, merged in.
        var mergeTime = 0.0
        if files.count > 1 {
            let other = files[1].path
            let side = try repo.commit(files: [other: Data("changed on a side branch\n".utf8)], message: "side\n",
                                       author: sigNow, committer: sigNow, parents: [head], updateRef: nil)
            let merge = try repo.commit(files: [other: Data("changed on a side branch\n".utf8)], message: "merge\n",
                                        author: sigNow, committer: sigNow, parents: [newTip, side], updateRef: nil)
            let mergeRepo = try Repository.open(at: path)
            var merged: PathHistory?
            mergeTime = try seconds {
                let h = try mergeRepo.pathHistory(under: prefix, from: merge, cache: HistoryCache(directory: cacheDir.path))
                _ = try attribute(h)
                merged = h
            }
            #expect(merged?.commitsRead == 2)
            #expect(merged?.commits(for: other).first == side)
        }
        let line = String(format: "BENCH paths=%d commits=%d cold(history+attribution)=%.3fs history-no-cache=%.3fs "
                          + "warm-same-tip=%.3fs warm-after-1-commit=%.3fs warm-after-a-merge=%.3fs",
                          cold?.commitsByPath.count ?? 0, cold?.reachableCommitCount ?? 0, coldTime, noCache, sameTip,
                          warmTime, mergeTime)
        print(line)
    }
}
