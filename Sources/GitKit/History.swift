import CLibGit2
import Foundation

/// For every path that ever existed under a prefix (in the history of `tip`), the commits
/// `git log --format=%H -- PATH` lists, newest first, in git's order.
public struct PathHistory: Sendable {
    public let prefix: String
    public let tip: ObjectID
    /// Path -> commits (newest first). Paths that existed only on pruned side branches map to [].
    public let commitsByPath: [String: [ObjectID]]
    /// Commits reachable from `tip` whose parents are missing because the clone is shallow.
    public let graftedCommits: [ObjectID]
    /// Commits reachable from `tip` (in the full graph).
    public let reachableCommitCount: Int
    /// Commits whose objects were read in this run (0 when everything came from the cache).
    public let commitsRead: Int

    /// The commits for one path ([] when it never existed or was never listed).
    public func commits(for path: String) -> [ObjectID] { commitsByPath[path] ?? [] }
    /// Oldest listed commit: the path's creation as far as this history can tell.
    public func created(_ path: String) -> ObjectID? { commitsByPath[path]?.last }
    /// Newest listed commit.
    public func lastChanged(_ path: String) -> ObjectID? { commitsByPath[path]?.first }
}

extension Repository {
    /// `git log --format=%H -- PATH` for every path under `prefix`, computed by one walk.
    public func history(under prefix: String, from tip: ObjectID) throws -> [String: [ObjectID]] {
        try pathHistory(under: prefix, from: tip, cache: nil).commitsByPath
    }

    /// Like `history(under:from:)`, with details, optionally reusing and updating a `HistoryCache`.
    /// With `only`, `commitsByPath` holds just those paths (`log` asks for one record's commits of
    /// a folder's history: building the map of 100,000 paths took longer than the question).
    public func pathHistory(under prefix: String, from tip: ObjectID, cache: HistoryCache? = nil, only: Set<String>? = nil) throws
        -> PathHistory {
        WorkCounts.add(.historyWalks)
        let normalized = normalizePrefix(prefix)
        // One path asked, and the cache's last answer is for this very tip: read from the file alone.
        if let only, only.count == 1, let path = only.first, let cache,
           let answer = cache.cachedAnswer(prefix: normalized, shallowFingerprint: HistoryStore.fingerprint(of: graftedCommits()), tip: tip, path: path) {
            return PathHistory(prefix: normalized, tip: tip, commitsByPath: [path: answer.commits], graftedCommits: answer.grafted,
                               reachableCommitCount: answer.reachable, commitsRead: 0)
        }
        let (store, tipSlot, read) = try collectedStore(prefix: normalized, tip: tip, cache: cache)
        let previous = store.resultTip
        if previous != tipSlot {
            if !HistoryEngine.extend(store: store, to: tipSlot) {
                HistoryEngine.simulate(store: store, tipSlot: tipSlot)
            }
        }
        if read > 0 || previous != tipSlot { cache?.save(store) }
        var byPath: [String: [ObjectID]] = [:]
        if let only {
            for path in only {
                if let p = store.pathIndex[Array(path.utf8)], let slots = store.results[p] { byPath[path] = slots.map { store.ids[Int($0)] } }
            }
        } else {
            byPath.reserveCapacity(store.results.count)
            for (p, slots) in store.results {
                byPath[String(decoding: store.paths[Int(p)], as: UTF8.self)] = slots.map { store.ids[Int($0)] }
            }
        }
        return PathHistory(prefix: normalized, tip: tip, commitsByPath: byPath,
                           graftedCommits: store.resultGrafted.map { store.ids[Int($0)] },
                           reachableCommitCount: store.resultReachable, commitsRead: read)
    }
}

extension Repository {
    /// `git log --format=%H -- FOLDER`: the commits that changed anything below `folder` ("" for
    /// the whole tree), with git's history simplification for the folder as one pathspec (a merge
    /// TREESAME to a parent for the folder follows that parent only), in git's order.
    public func folderHistory(_ folder: String, from tip: ObjectID, cache: HistoryCache? = nil) throws -> [ObjectID] {
        let (store, tipSlot, read) = try collectedStore(prefix: normalizePrefix(folder), tip: tip, cache: cache)
        if read > 0 { cache?.save(store) }
        return HistoryEngine.prefixWalk(store: store, tipSlot: tipSlot).map { store.ids[Int($0)] }
    }

    /// The per-commit facts under a (normalised) prefix, from the cache and then git up to `tip`:
    /// the store, the tip's slot and how many commits were read now.
    private func collectedStore(prefix: String, tip: ObjectID, cache: HistoryCache?) throws -> (HistoryStore, Int32, Int) {
        let grafts = graftedCommits()
        let fingerprint = HistoryStore.fingerprint(of: grafts)
        let store = cache?.load(prefix: prefix, shallowFingerprint: fingerprint)
            ?? HistoryStore(prefix: prefix, shallowFingerprint: fingerprint)
        let read = try HistoryEngine.collect(repository: self, store: store, tip: tip, grafts: grafts)
        guard let tipSlot = store.index[tip] else {
            throw GitError(message: "commit \(tip.hex) was not read", call: "pathHistory", kind: .notFound)
        }
        return (store, tipSlot, read)
    }
}

enum HistoryEngine {
    /// git's walk for the store's whole prefix as the pathspec: the edges already hold only paths
    /// under it, so a commit changed the prefix against a parent when that edge is not empty.
    static func prefixWalk(store: HistoryStore, tipSlot: Int32) -> [Int32] {
        var queued = Set<Int32>([tipSlot])
        var heap = WalkHeap()
        var seq: Int32 = 0
        heap.push(time: store.times[Int(tipSlot)], seq: seq, commit: tipSlot)
        var shown: [Int32] = []
        while let c = heap.pop() {
            let edges = store.edges[Int(c)]
            let parents = store.parents[Int(c)]
            var followed = parents
            if parents.count > 1 {
                if let same = edges.firstIndex(where: { $0.isEmpty }), same < parents.count {
                    followed = [parents[same]]
                } else {
                    shown.append(c)
                }
            } else if let first = edges.first, !first.isEmpty {
                shown.append(c)
            }
            for p in followed where queued.insert(p).inserted {
                seq += 1
                heap.push(time: store.times[Int(p)], seq: seq, commit: p)
            }
        }
        return shown
    }

    /// Reads every commit reachable from `tip` that the store does not hold yet; returns how many.
    static func collect(repository: Repository, store: HistoryStore, tip: ObjectID, grafts: Set<ObjectID>) throws
        -> Int {
        if let t = store.index[tip], store.complete[Int(t)] { return 0 }
        let reader = try RawObjectReader(repository: repository)
        let prefixComponents = store.prefix.isEmpty ? [] : store.prefix.split(separator: "/").map { Array($0.utf8) }
        let base: [UInt8] = store.prefix.isEmpty ? [] : Array(store.prefix.utf8) + [UInt8(ascii: "/")]
        // Subtree id at the prefix for commits read in this run (nil value: no such subtree).
        var subtrees: [Int32: ObjectID?] = [:]
        var headers: [Int32: RawObjectReader.CommitHeader] = [:]

        func header(_ c: Int32) throws -> RawObjectReader.CommitHeader {
            if let h = headers[c] { return h }
            let h = try reader.commitHeader(store.ids[Int(c)])
            headers[c] = h
            return h
        }
        func subtree(_ c: Int32) throws -> ObjectID? {
            if let s = subtrees[c] { return s }
            let s = try reader.subtree(root: try header(c).tree, prefix: prefixComponents)
            subtrees[c] = s
            return s
        }

        var read = 0
        var stack: [Int32] = [store.slot(for: tip)]
        while let c = stack.popLast() {
            let ci = Int(c)
            if store.complete[ci] { continue }
            let h = try header(c)
            read += 1
            let isGrafted = grafts.contains(store.ids[ci])
            let parentIDs = isGrafted ? [] : h.parents
            let parentSlots = parentIDs.map { store.slot(for: $0) }
            let mine = try subtree(c)
            var edges: [[Int32]] = []
            if parentSlots.isEmpty {
                var list: [Int32] = []
                WorkCounts.add(.treeDiffs)
                try reader.diff(nil, mine, base: base) { list.append(store.pathID($0)) }
                edges.append(list.sorted())
            } else {
                for p in parentSlots {
                    var list: [Int32] = []
                    WorkCounts.add(.treeDiffs)
                    try reader.diff(try subtree(p), mine, base: base) { list.append(store.pathID($0)) }
                    edges.append(list.sorted())
                }
            }
            store.parents[ci] = parentSlots
            store.times[ci] = h.time
            store.grafted[ci] = isGrafted
            store.edges[ci] = edges
            store.complete[ci] = true
            headers[c] = nil
            subtrees[c] = nil
            for p in parentSlots.reversed() where !store.complete[Int(p)] {
                stack.append(p)
            }
        }
        return read
    }

    /// When `tipSlot` reaches the stored result's tip through single-parent, non-grafted commits,
    /// prepends them: git's walk pops them one by one (the queue holds one commit) and then
    /// continues exactly as it did from the old tip, for every path.
    static func extend(store: HistoryStore, to tipSlot: Int32) -> Bool {
        let old = store.resultTip
        guard old >= 0 else { return false }
        var chain: [Int32] = []
        var c = tipSlot
        while c != old {
            let ps = store.parents[Int(c)]
            guard ps.count == 1, !store.grafted[Int(c)], chain.count < 100_000 else { return false }
            chain.append(c)
            c = ps[0]
        }
        var known = Set(store.results.keys)
        for commit in chain {
            for p in store.edges[Int(commit)].first ?? [] { known.insert(p) }
        }
        var additions: [Int32: [Int32]] = [:]
        for commit in chain {
            var affected = Set<Int32>()
            for p in store.edges[Int(commit)].first ?? [] {
                affected.insert(p)
                // A pathspec `a` also matches `a/b`: credit leaf paths that are ancestors too.
                let bytes = store.paths[Int(p)]
                for (i, b) in bytes.enumerated() where b == UInt8(ascii: "/") {
                    if let a = store.pathIndex[Array(bytes[0..<i])], known.contains(a) { affected.insert(a) }
                }
            }
            for p in affected { additions[p, default: []].append(commit) }
        }
        for (p, commits) in additions {
            store.results[p] = commits + (store.results[p] ?? [])
        }
        store.resultTip = tipSlot
        store.resultReachable += chain.count
        return true
    }

    /// Replays git's default history simplification for each path over the stored graph.
    static func simulate(store: HistoryStore, tipSlot: Int32) {
        let n = store.count
        // 1. Commits reachable from the tip in the full graph.
        var reachable = [Bool](repeating: false, count: n)
        var order: [Int32] = []
        var stack: [Int32] = [tipSlot]
        reachable[Int(tipSlot)] = true
        while let c = stack.popLast() {
            order.append(c)
            for p in store.parents[Int(c)] where !reachable[Int(p)] {
                reachable[Int(p)] = true
                stack.append(p)
            }
        }
        order.sort()

        // 2. Paths that ever existed, and leaf paths that are also directories of other leaves
        //    (a pathspec `a` matches `a/b` too).
        var inUniverse = [Bool](repeating: false, count: store.paths.count)
        var universe: [Int32] = []
        for c in order {
            for edge in store.edges[Int(c)] {
                for p in edge where !inUniverse[Int(p)] {
                    inUniverse[Int(p)] = true
                    universe.append(p)
                }
            }
        }
        var ancestorsOf: [Int32: [Int32]] = [:]
        for p in universe {
            let bytes = store.paths[Int(p)]
            for (i, b) in bytes.enumerated() where b == UInt8(ascii: "/") {
                if let a = store.pathIndex[Array(bytes[0..<i])], inUniverse[Int(a)] {
                    ancestorsOf[p, default: []].append(a)
                }
            }
        }
        func affected(_ edge: [Int32]) -> [Int32] {
            if ancestorsOf.isEmpty { return edge }
            var out = Set(edge)
            for p in edge { if let a = ancestorsOf[p] { out.formUnion(a) } }
            return out.sorted()
        }

        // 3. Per path: commits not TREESAME when walked (non-merges, roots, merges changed against
        //    every parent) and, at merges, which single parent the walk follows (TREESAME to it).
        var candidates = [[Int32]](repeating: [], count: store.paths.count)
        var decisions = [[Int32]](repeating: [], count: store.paths.count)  // flattened (merge, choice)
        for c in order {
            let ci = Int(c)
            let edges = store.edges[ci]
            guard let first = edges.first else { continue }
            let changedVsFirst = affected(first)
            if edges.count == 1 {
                for p in changedVsFirst { candidates[Int(p)].append(c) }
                continue
            }
            let others = edges.dropFirst().map { Set(affected($0)) }
            for p in changedVsFirst {
                var choice: Int32 = -1
                for (j, set) in others.enumerated() where !set.contains(p) {
                    choice = Int32(j + 1)
                    break
                }
                decisions[Int(p)].append(c)
                decisions[Int(p)].append(choice)
                if choice < 0 { candidates[Int(p)].append(c) }
            }
        }

        // 4. Paths with the same choices at every merge share one walk.
        var groups: [[Int32]: [Int32]] = [:]
        for p in universe { groups[decisions[Int(p)], default: []].append(p) }

        // Flat parent lists and a per-commit choice table keep the per-group walk a tight loop.
        var parentStart = [Int32](repeating: 0, count: n + 1)
        var parentList: [Int32] = []
        parentList.reserveCapacity(n + n / 8)
        for i in 0..<n {
            parentStart[i] = Int32(parentList.count)
            parentList.append(contentsOf: store.parents[i])
        }
        parentStart[n] = Int32(parentList.count)
        let times = store.times
        var stamp = [Int32](repeating: -1, count: n)
        var position = [Int32](repeating: 0, count: n)
        var choiceAt = [Int32](repeating: 0, count: n)
        var result: [Int32: [Int32]] = [:]
        result.reserveCapacity(universe.count)
        var generation: Int32 = 0
        var heap = WalkHeap()
        for (key, members) in groups {
            var k = 0
            while k + 1 < key.count {
                choiceAt[Int(key[k])] = key[k + 1]
                k += 2
            }
            // git's revision walk: a date-ordered queue (ties first-in first-out); a merge that is
            // TREESAME to a parent continues through that parent only.
            var seq: Int32 = 0
            var counter: Int32 = 0
            heap.removeAll()
            stamp[Int(tipSlot)] = generation
            var next: Int32 = tipSlot  // the queue's only element, when it has exactly one (-1: use heap)
            while true {
                let c: Int32
                if next >= 0 {
                    c = next
                    next = -1
                } else if let popped = heap.pop() {
                    c = popped
                } else {
                    break
                }
                let ci = Int(c)
                position[ci] = counter
                counter += 1
                var lo = Int(parentStart[ci])
                var hi = Int(parentStart[ci + 1])
                if hi - lo > 1 {
                    let choice = choiceAt[ci]
                    if choice >= 0 {
                        lo += Int(choice)
                        hi = lo + 1
                    }
                }
                var j = lo
                while j < hi {
                    let p = parentList[j]
                    j += 1
                    if stamp[Int(p)] == generation { continue }
                    stamp[Int(p)] = generation
                    if heap.isEmpty && next < 0 && hi - lo == 1 {
                        next = p  // straight line: skip the queue
                    } else {
                        if next >= 0 {
                            heap.push(time: times[Int(next)], seq: seq - 1, commit: next)
                            next = -1
                        }
                        heap.push(time: times[Int(p)], seq: seq, commit: p)
                    }
                    seq += 1
                }
            }
            k = 0
            while k + 1 < key.count {
                choiceAt[Int(key[k])] = 0
                k += 2
            }
            for p in members {
                var shown = candidates[Int(p)].filter { stamp[Int($0)] == generation }
                shown.sort { position[Int($0)] < position[Int($1)] }
                result[p] = shown
            }
            generation += 1
        }
        store.results = result
        store.resultTip = tipSlot
        store.resultGrafted = order.filter { store.grafted[Int($0)] }
        store.resultReachable = order.count
    }
}

/// Max-heap on (time, -seq): newest commit first, equal times in insertion order, like
/// git's `commit_list_insert_by_date`.
struct WalkHeap {
    private var times: [Int64] = []
    private var seqs: [Int32] = []
    private var commits: [Int32] = []

    var isEmpty: Bool { commits.isEmpty }

    mutating func removeAll() {
        times.removeAll(keepingCapacity: true)
        seqs.removeAll(keepingCapacity: true)
        commits.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private func before(_ i: Int, _ j: Int) -> Bool {
        times[i] > times[j] || (times[i] == times[j] && seqs[i] < seqs[j])
    }

    private mutating func swapAt(_ i: Int, _ j: Int) {
        times.swapAt(i, j)
        seqs.swapAt(i, j)
        commits.swapAt(i, j)
    }

    mutating func push(time: Int64, seq: Int32, commit: Int32) {
        times.append(time)
        seqs.append(seq)
        commits.append(commit)
        var i = times.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if before(i, parent) {
                swapAt(i, parent)
                i = parent
            } else {
                break
            }
        }
    }

    mutating func pop() -> Int32? {
        guard let top = commits.first else { return nil }
        let last = times.count - 1
        swapAt(0, last)
        times.removeLast()
        seqs.removeLast()
        commits.removeLast()
        var i = 0
        let n = times.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var best = i
            if l < n && before(l, best) { best = l }
            if r < n && before(r, best) { best = r }
            if best == i { break }
            swapAt(i, best)
            i = best
        }
        return top
    }
}
