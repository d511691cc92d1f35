import Foundation

/// Persists per-commit history facts under `<commonDir>/evident/`, so a later run reads only
/// commits it has not seen. Files are written to a temporary name and renamed (atomic; two
/// concurrent runs each write a complete file, the last one wins); a file that fails its checksum
/// or does not parse is ignored and rebuilt.
public final class HistoryCache {
    /// The directory holding the cache files.
    public let directory: String
    /// The folder the cache must stay inside once symlinks are followed (nil: no constraint).
    /// A cache folder that leads elsewhere is never written.
    public let boundary: String?

    /// A cache in `<commonDir>/evident/` (shared by all worktrees of the repository).
    public convenience init(repository: Repository) {
        self.init(directory: (repository.commonDir as NSString).appendingPathComponent("evident"), boundary: repository.commonDir)
    }

    public init(directory: String, boundary: String? = nil) {
        self.directory = directory
        self.boundary = boundary
    }

    func fileURL(prefix: String) -> URL {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in prefix.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let name = "history-" + String(h, radix: 16) + ".bin"
        return URL(fileURLWithPath: directory).appendingPathComponent(name)
    }

    /// Removes every cache file (e.g. for a cold benchmark).
    public func clear() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix("history-") || name.hasPrefix("trailers-") {
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
        }
    }

    static let magic: [UInt8] = Array("EVHIST02".utf8)

    func load(prefix: String, shallowFingerprint: UInt64) -> HistoryStore? {
        guard let data = try? Data(contentsOf: fileURL(prefix: prefix)) else { return nil }
        return data.withUnsafeBytes { raw -> HistoryStore? in
            var r = ByteReader(raw: raw)
            return HistoryCache.decode(&r, prefix: prefix, shallowFingerprint: shallowFingerprint)
        }
    }

    /// One path's commits as the file's last answer lists them, read straight from the file
    /// without building the store (`log` of one record in a folder of 100,000): only when that
    /// answer is for `tip` under the same prefix and grafts, and names the path. Nil otherwise, and
    /// for a file that does not read exactly; the caller then takes the whole way.
    func cachedAnswer(prefix: String, shallowFingerprint: UInt64, tip: ObjectID, path: String)
        -> (commits: [ObjectID], grafted: [ObjectID], reachable: Int)? {
        guard let data = try? Data(contentsOf: fileURL(prefix: prefix)) else { return nil }
        return data.withUnsafeBytes { raw -> (commits: [ObjectID], grafted: [ObjectID], reachable: Int)? in
            guard var r = HistoryCache.opened(raw, prefix: prefix, shallowFingerprint: shallowFingerprint),
                  let pathCount = r.u32() else { return nil }
            let body = r.raw
            let wanted = Array(path.utf8)
            var found: UInt32?
            for p in 0..<pathCount {
                guard let len = r.u32(), let same = r.matches(Int(len), wanted) else { return nil }
                if same && found == nil { found = p }
            }
            guard let found, let commitCount = r.u32() else { return nil }
            let n = Int(commitCount)
            let idsStart = r.pos
            guard r.skip(20 * n) else { return nil }
            func id(_ slot: UInt32) -> ObjectID? {
                guard Int(slot) < n else { return nil }
                let start = idsStart + 20 * Int(slot)
                return ObjectID(bytes: Array(body[start..<(start + 20)]))
            }
            // The commits' own facts are not needed: skipped, each field checked as decode checks it.
            for _ in 0..<n {
                guard r.skip(9), let parentCount = r.u32(), parentCount < 1 << 16, r.skip(4 * Int(parentCount)),
                      let edgeCount = r.u32(), edgeCount == max(1, parentCount) else { return nil }
                for _ in 0..<edgeCount {
                    guard let count = r.u32(), count <= pathCount, r.skip(4 * Int(count)) else { return nil }
                }
            }
            guard let resultTip = r.u32(), resultTip != UInt32.max, let tipID = id(resultTip), tipID == tip,
                  let reachable = r.u32(), let graftedCount = r.u32() else { return nil }
            var grafted: [ObjectID] = []
            for _ in 0..<graftedCount {
                guard let g = r.u32(), let gid = id(g) else { return nil }
                grafted.append(gid)
            }
            guard let entries = r.u32() else { return nil }
            var answer: [ObjectID]?
            for _ in 0..<entries {
                guard let p = r.u32(), p < pathCount, let count = r.u32(), Int(count) <= n else { return nil }
                if p == found {
                    var commits: [ObjectID] = []
                    commits.reserveCapacity(Int(count))
                    for _ in 0..<count {
                        guard let c = r.u32(), let cid = id(c) else { return nil }
                        commits.append(cid)
                    }
                    answer = commits
                } else {
                    guard r.skip(4 * Int(count)) else { return nil }
                }
            }
            guard r.atEnd, let answer else { return nil }
            return (answer, grafted, Int(reachable))
        }
    }

    /// A file's body (its trailing checksum verified) read past its header, when the header names
    /// this format, `prefix` and `shallowFingerprint`; nil otherwise.
    static func opened(_ raw: UnsafeRawBufferPointer, prefix: String, shallowFingerprint: UInt64) -> ByteReader? {
        guard raw.count > 16 else { return nil }
        // Trailing checksum over everything before it.
        let body = UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count - 8)])
        var tail = ByteReader(raw: UnsafeRawBufferPointer(rebasing: raw[(raw.count - 8)...]))
        guard let stored = tail.u64(), stored == checksum(body) else { return nil }
        var r = ByteReader(raw: body)
        guard r.bytes(magic.count) == magic,
              let storedPrefix = r.string(), storedPrefix == prefix,
              let fp = r.u64(), fp == shallowFingerprint else { return nil }
        return r
    }

    static func decode(_ r: inout ByteReader, prefix: String, shallowFingerprint: UInt64) -> HistoryStore? {
        guard let opened = opened(r.raw, prefix: prefix, shallowFingerprint: shallowFingerprint) else { return nil }
        r = opened
        guard let pathCount = r.u32() else { return nil }
        let store = HistoryStore(prefix: prefix, shallowFingerprint: shallowFingerprint)
        // Sized once: a records folder of 100,000 files grew the index a dozen times.
        store.paths.reserveCapacity(Int(min(pathCount, 1 << 24)))
        store.pathIndex.reserveCapacity(Int(min(pathCount, 1 << 24)))
        for _ in 0..<pathCount {
            guard let len = r.u32(), let bytes = r.bytes(Int(len)) else { return nil }
            let id = store.pathID(bytes)
            guard Int(id) == store.paths.count - 1 else { return nil }  // duplicate path
        }
        guard let commitCount = r.u32(), Int(commitCount) <= (r.raw.count - r.pos) / 20 else { return nil }
        // Sized once (a 20,000-commit history grew each list and the index a dozen times), and each
        // id read in place rather than through an array of its own.
        store.reserve(commits: Int(commitCount))
        for i in 0..<Int(commitCount) {
            guard let id = r.objectID() else { return nil }
            guard Int(store.slot(for: id)) == i else { return nil }
        }
        let n = Int(commitCount)
        for i in 0..<n {
            guard let time = r.i64(), let flags = r.u8(), let parentCount = r.u32(), parentCount < 1 << 16 else {
                return nil
            }
            var parents: [Int32] = []
            for _ in 0..<parentCount {
                guard let p = r.u32(), Int(p) < n else { return nil }
                parents.append(Int32(p))
            }
            guard let edgeCount = r.u32(), edgeCount == max(1, parentCount) else { return nil }
            var edges: [[Int32]] = []
            for _ in 0..<edgeCount {
                guard let count = r.u32(), Int(count) <= store.paths.count else { return nil }
                var edge: [Int32] = []
                edge.reserveCapacity(Int(count))
                for _ in 0..<count {
                    guard let p = r.u32(), Int(p) < store.paths.count else { return nil }
                    edge.append(Int32(p))
                }
                edges.append(edge)
            }
            store.times[i] = time
            store.grafted[i] = flags & 1 != 0
            store.parents[i] = parents
            store.edges[i] = edges
            store.complete[i] = true
        }
        // The last answer, if any.
        guard let resultTip = r.u32(), let reachable = r.u32(), let graftedCount = r.u32() else { return nil }
        if resultTip != UInt32.max {
            guard Int(resultTip) < n else { return nil }
            for _ in 0..<graftedCount {
                guard let g = r.u32(), Int(g) < n else { return nil }
                store.resultGrafted.append(Int32(g))
            }
            guard let entries = r.u32() else { return nil }
            for _ in 0..<entries {
                guard let p = r.u32(), Int(p) < store.paths.count, let count = r.u32(), Int(count) <= n else {
                    return nil
                }
                var slots: [Int32] = []
                slots.reserveCapacity(Int(count))
                for _ in 0..<count {
                    guard let c = r.u32(), Int(c) < n else { return nil }
                    slots.append(Int32(c))
                }
                store.results[Int32(p)] = slots
            }
            store.resultTip = Int32(resultTip)
            store.resultReachable = Int(reachable)
        }
        guard r.atEnd else { return nil }
        return store
    }

    /// Writes the complete part of `store`; failures are ignored (the cache is only an optimisation).
    func save(_ store: HistoryStore) {
        // Only commits whose ancestors are all complete are kept (the file is closed under parents).
        let n = store.count
        var keep = [Bool](repeating: false, count: n)
        for i in 0..<n where store.complete[i] { keep[i] = true }
        var changed = true
        while changed {
            changed = false
            for i in 0..<n where keep[i] {
                if store.parents[i].contains(where: { !keep[Int($0)] }) {
                    keep[i] = false
                    changed = true
                }
            }
        }
        var newIndex = [Int32](repeating: -1, count: n)
        var kept: [Int] = []
        for i in 0..<n where keep[i] {
            newIndex[i] = Int32(kept.count)
            kept.append(i)
        }
        var w = ByteWriter()
        w.bytes(HistoryCache.magic)
        w.string(store.prefix)
        w.u64(store.shallowFingerprint)
        w.u32(UInt32(store.paths.count))
        for p in store.paths {
            w.u32(UInt32(p.count))
            w.bytes(p)
        }
        w.u32(UInt32(kept.count))
        for i in kept { w.bytes(store.ids[i].bytes) }
        for i in kept {
            w.i64(store.times[i])
            w.u8(store.grafted[i] ? 1 : 0)
            w.u32(UInt32(store.parents[i].count))
            for p in store.parents[i] { w.u32(UInt32(newIndex[Int(p)])) }
            w.u32(UInt32(store.edges[i].count))
            for edge in store.edges[i] {
                w.u32(UInt32(edge.count))
                for p in edge { w.u32(UInt32(p)) }
            }
        }
        let mapped: (Int32) -> Int32 = { $0 >= 0 && Int($0) < n ? newIndex[Int($0)] : -1 }
        let resultsKept = store.resultTip >= 0 && mapped(store.resultTip) >= 0
            && !store.results.values.contains { $0.contains { mapped($0) < 0 } }
            && !store.resultGrafted.contains { mapped($0) < 0 }
        if resultsKept {
            w.u32(UInt32(mapped(store.resultTip)))
            w.u32(UInt32(store.resultReachable))
            w.u32(UInt32(store.resultGrafted.count))
            for g in store.resultGrafted { w.u32(UInt32(mapped(g))) }
            w.u32(UInt32(store.results.count))
            for (p, slots) in store.results.sorted(by: { $0.key < $1.key }) {
                w.u32(UInt32(p))
                w.u32(UInt32(slots.count))
                for c in slots { w.u32(UInt32(mapped(c))) }
            }
        } else {
            w.u32(UInt32.max)
            w.u32(0)
            w.u32(0)
        }
        let sum = w.data.withUnsafeBytes { HistoryCache.checksum($0) }
        w.u64(sum)
        if let boundary, !ContainedPath.isInside(directory, folder: boundary) { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let target = fileURL(prefix: store.prefix)
            let temp = URL(fileURLWithPath: directory).appendingPathComponent(
                ".tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
            try Data(w.data).write(to: temp)
            if rename(temp.path, target.path) != 0 {
                try? FileManager.default.removeItem(at: temp)
            }
        } catch {
            return
        }
    }

    static func checksum(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = 0
        let n = raw.count
        // FNV-1a over 8-byte words, then the tail bytes.
        while i + 8 <= n {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x100_0000_01b3
            i += 8
        }
        while i < n {
            h = (h ^ UInt64(raw[i])) &* 0x100_0000_01b3
            i += 1
        }
        return h
    }
}

struct ByteWriter {
    var data: [UInt8] = []
    mutating func u8(_ v: UInt8) { data.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
    mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    mutating func bytes(_ b: [UInt8]) { data.append(contentsOf: b) }
    mutating func string(_ s: String) {
        let b = Array(s.utf8)
        u32(UInt32(b.count))
        bytes(b)
    }
}

struct ByteReader {
    let raw: UnsafeRawBufferPointer
    var pos = 0
    init(raw: UnsafeRawBufferPointer) { self.raw = raw }
    var atEnd: Bool { pos == raw.count }
    mutating func u8() -> UInt8? {
        guard pos < raw.count else { return nil }
        defer { pos += 1 }
        return raw[pos]
    }
    mutating func u32() -> UInt32? {
        guard pos + 4 <= raw.count else { return nil }
        defer { pos += 4 }
        return UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: pos, as: UInt32.self))
    }
    mutating func u64() -> UInt64? {
        guard pos + 8 <= raw.count else { return nil }
        defer { pos += 8 }
        return UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: pos, as: UInt64.self))
    }
    mutating func i64() -> Int64? { u64().map { Int64(bitPattern: $0) } }
    mutating func bytes(_ n: Int) -> [UInt8]? {
        guard n >= 0, pos + n <= raw.count else { return nil }
        defer { pos += n }
        return Array(raw[pos..<(pos + n)])
    }
    mutating func objectID() -> ObjectID? {
        guard pos + 20 <= raw.count else { return nil }
        defer { pos += 20 }
        return ObjectID(raw: UnsafeRawBufferPointer(rebasing: raw[pos..<(pos + 20)]))
    }
    mutating func string() -> String? {
        guard let n = u32(), let b = bytes(Int(n)) else { return nil }
        return String(decoding: b, as: UTF8.self)
    }
    /// Moves past `n` bytes; false (and nothing moved) when fewer are left.
    mutating func skip(_ n: Int) -> Bool {
        guard n >= 0, pos + n <= raw.count else { return false }
        pos += n
        return true
    }
    /// Whether the next `n` bytes are `expected` (moving past them either way, when there are `n`).
    mutating func matches(_ n: Int, _ expected: [UInt8]) -> Bool? {
        guard n >= 0, pos + n <= raw.count else { return nil }
        defer { pos += n }
        guard n == expected.count else { return false }
        return expected.withUnsafeBytes { memcmp($0.baseAddress!, raw.baseAddress! + pos, n) == 0 }
    }
}
