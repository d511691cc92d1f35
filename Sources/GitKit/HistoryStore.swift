import CLibGit2
import Foundation

/// Per-commit facts the history engine needs, immutable once computed: parents, committer time,
/// and for each parent the paths under the prefix that differ (for a root: the paths present).
/// This is what `HistoryCache` persists, so that a later run only reads new commits.
final class HistoryStore {
    let prefix: String
    /// Fingerprint of the shallow file: parents recorded for grafted commits depend on it.
    let shallowFingerprint: UInt64

    var paths: [[UInt8]] = []
    var pathIndex: [[UInt8]: Int32] = [:]

    var ids: [ObjectID] = []
    var index: [ObjectID: Int32] = [:]
    var parents: [[Int32]] = []
    var times: [Int64] = []
    var grafted: [Bool] = []
    /// edges[c][j]: path ids changed between parent j and c (for a root: all its paths), sorted.
    var edges: [[[Int32]]] = []
    var complete: [Bool] = []

    /// The last computed answer (path id -> commit slots, newest first) and the tip it is for;
    /// a later tip that extends it by single-parent commits only prepends to it.
    var resultTip: Int32 = -1
    var results: [Int32: [Int32]] = [:]
    var resultGrafted: [Int32] = []
    var resultReachable = 0

    init(prefix: String, shallowFingerprint: UInt64) {
        self.prefix = prefix
        self.shallowFingerprint = shallowFingerprint
    }

    var count: Int { ids.count }

    /// Room for `commits` more commits in every per-commit list and the index.
    func reserve(commits: Int) {
        let total = ids.count + commits
        ids.reserveCapacity(total)
        index.reserveCapacity(total)
        parents.reserveCapacity(total)
        times.reserveCapacity(total)
        grafted.reserveCapacity(total)
        edges.reserveCapacity(total)
        complete.reserveCapacity(total)
    }

    func slot(for id: ObjectID) -> Int32 {
        if let i = index[id] { return i }
        let i = Int32(ids.count)
        ids.append(id)
        index[id] = i
        parents.append([])
        times.append(0)
        grafted.append(false)
        edges.append([])
        complete.append(false)
        return i
    }

    func pathID(_ bytes: [UInt8]) -> Int32 {
        if let i = pathIndex[bytes] { return i }
        let i = Int32(paths.count)
        paths.append(bytes)
        pathIndex[bytes] = i
        return i
    }

    static func fingerprint(of grafts: Set<ObjectID>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for id in grafts.sorted() {
            for b in id.bytes {
                h = (h ^ UInt64(b)) &* 0x100_0000_01b3
            }
        }
        return grafts.isEmpty ? 0 : h
    }
}

/// Reads commits and trees as raw objects from the object database and diffs trees by hand,
/// comparing subtree ids first (unchanged subtrees cost nothing), as git's pathspec-limited log does.
final class RawObjectReader {
    private let repository: Repository
    private let odb: Handle
    private var treeCache: [ObjectID: Handle] = [:]
    private var treeOrder: [ObjectID] = []
    private var treeOrderStart = 0
    private let treeCacheLimit = 512

    init(repository: Repository) throws {
        self.repository = repository
        self.odb = try repository.odb()
    }

    func read(_ id: ObjectID, expecting type: git_object_t) throws -> Handle {
        var oid = id.oid
        let handle = try makeHandle(owner: repository, call: "git_odb_read(\(id.hex))",
                                    free: { git_odb_object_free($0) }) { git_odb_read($0, odb.pointer, &oid) }
        guard git_odb_object_type(handle.pointer) == type else {
            throw GitError(message: "object \(id.hex) is not a \(type == GIT_OBJECT_TREE ? "tree" : "commit")",
                           call: "git_odb_read", kind: .corrupt)
        }
        return handle
    }

    func tree(_ id: ObjectID) throws -> Handle {
        if let cached = treeCache[id] { return cached }
        let handle = try read(id, expecting: GIT_OBJECT_TREE)
        treeCache[id] = handle
        treeOrder.append(id)
        if treeOrder.count - treeOrderStart > treeCacheLimit {
            treeCache[treeOrder[treeOrderStart]] = nil
            treeOrderStart += 1
            if treeOrderStart > 4096 {
                treeOrder.removeFirst(treeOrderStart)
                treeOrderStart = 0
            }
        }
        return handle
    }

    static func bytes(_ handle: Handle) -> UnsafeRawBufferPointer {
        let size = git_odb_object_size(handle.pointer)
        guard let data = git_odb_object_data(handle.pointer), size > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: data, count: size)
    }

    struct CommitHeader {
        var tree: ObjectID
        var parents: [ObjectID]
        var time: Int64
    }

    /// Parses `tree`, `parent` and the committer time out of a raw commit.
    func commitHeader(_ id: ObjectID) throws -> CommitHeader {
        WorkCounts.add(.commitsRead)
        let handle = try read(id, expecting: GIT_OBJECT_COMMIT)
        let raw = RawObjectReader.bytes(handle)
        var tree: ObjectID?
        var parents: [ObjectID] = []
        var time: Int64 = 0
        var pos = 0
        let n = raw.count
        while pos < n {
            var end = pos
            while end < n && raw[end] != 10 { end += 1 }
            if end == pos { break }  // blank line: end of headers
            let line = UnsafeRawBufferPointer(rebasing: raw[pos..<end])
            if line.starts(with: "tree ".utf8), line.count >= 45 {
                tree = RawObjectReader.hexID(UnsafeRawBufferPointer(rebasing: line[5..<45]))
            } else if line.starts(with: "parent ".utf8), line.count >= 47 {
                if let p = RawObjectReader.hexID(UnsafeRawBufferPointer(rebasing: line[7..<47])) { parents.append(p) }
            } else if line.starts(with: "committer ".utf8) {
                time = RawObjectReader.signatureTime(line)
            }
            pos = end + 1
        }
        guard let tree else {
            throw GitError(message: "commit \(id.hex) has no tree", call: "commitHeader", kind: .corrupt)
        }
        return CommitHeader(tree: tree, parents: parents, time: time)
    }

    static func hexID(_ hex: UnsafeRawBufferPointer) -> ObjectID? {
        var out = [UInt8](repeating: 0, count: 20)
        for i in 0..<20 {
            guard let hi = ObjectID.nibble(hex[2 * i]), let lo = ObjectID.nibble(hex[2 * i + 1]) else { return nil }
            out[i] = hi << 4 | lo
        }
        return ObjectID(bytes: out)
    }

    /// The seconds field after the last `>` of a signature line.
    static func signatureTime(_ line: UnsafeRawBufferPointer) -> Int64 {
        guard let gt = line.lastIndex(of: UInt8(ascii: ">")) else { return 0 }
        var i = gt + 1
        while i < line.count && line[i] == 32 { i += 1 }
        var negative = false
        if i < line.count && line[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        var value: Int64 = 0
        while i < line.count, line[i] >= 48, line[i] <= 57 {
            value = value &* 10 &+ Int64(line[i] - 48)
            i += 1
        }
        return negative ? -value : value
    }

    struct Entry {
        var start: Int  // offset of the entry in the raw tree
        var end: Int  // offset after the 20-byte id
        var nameStart: Int
        var nameEnd: Int
        var isDir: Bool
    }

    /// Parses the entry at `pos`; nil at the end or on a malformed tree.
    @inline(__always)
    static func entry(_ raw: UnsafeRawBufferPointer, at pos: Int) -> Entry? {
        let n = raw.count
        var i = pos
        while i < n && raw[i] != 32 { i += 1 }
        guard i < n else { return nil }
        // A directory's mode is "40000"; every other mode is six digits.
        let isDir = (i - pos == 5 && raw[pos] == UInt8(ascii: "4"))
        let nameStart = i + 1
        var j = nameStart
        while j < n && raw[j] != 0 { j += 1 }
        guard j + 21 <= n else { return nil }
        return Entry(start: pos, end: j + 21, nameStart: nameStart, nameEnd: j, isDir: isDir)
    }

    @inline(__always)
    static func equal(_ a: UnsafeRawBufferPointer, _ oa: Int, _ b: UnsafeRawBufferPointer, _ ob: Int, _ len: Int) -> Bool {
        guard len > 0 else { return true }
        guard let pa = a.baseAddress, let pb = b.baseAddress, oa + len <= a.count, ob + len <= b.count else { return false }
        return memcmp(pa + oa, pb + ob, len) == 0
    }

    static func entryID(_ raw: UnsafeRawBufferPointer, _ e: Entry) -> ObjectID {
        ObjectID(raw: UnsafeRawBufferPointer(rebasing: raw[(e.end - 20)..<e.end]))
    }

    /// git's `base_name_compare`: directories sort as if their name ended in `/`.
    @inline(__always)
    static func compare(_ a: UnsafeRawBufferPointer, _ ea: Entry, _ b: UnsafeRawBufferPointer, _ eb: Entry) -> Int {
        let la = ea.nameEnd - ea.nameStart, lb = eb.nameEnd - eb.nameStart
        let len = min(la, lb)
        if len > 0, let pa = a.baseAddress, let pb = b.baseAddress {
            let c = memcmp(pa + ea.nameStart, pb + eb.nameStart, len)
            if c != 0 { return Int(c) }
        }
        var c1: UInt8 = la > len ? a[ea.nameStart + len] : 0
        var c2: UInt8 = lb > len ? b[eb.nameStart + len] : 0
        if c1 == 0 && ea.isDir { c1 = UInt8(ascii: "/") }
        if c2 == 0 && eb.isDir { c2 = UInt8(ascii: "/") }
        return c1 < c2 ? -1 : (c1 > c2 ? 1 : 0)
    }

    /// The id of the entry at `prefix` (a `/`-separated directory path) in `root`, nil when absent
    /// or not a directory.
    func subtree(root: ObjectID, prefix: [[UInt8]]) throws -> ObjectID? {
        var current = root
        for component in prefix {
            let handle = try tree(current)
            let raw = RawObjectReader.bytes(handle)
            var pos = 0
            var found: ObjectID?
            while let e = RawObjectReader.entry(raw, at: pos) {
                if e.isDir, e.nameEnd - e.nameStart == component.count,
                   component.withUnsafeBytes({ RawObjectReader.equal($0, 0, raw, e.nameStart, component.count) }) {
                    found = RawObjectReader.entryID(raw, e)
                    break
                }
                pos = e.end
            }
            guard let next = found else { return nil }
            current = next
        }
        return current
    }

    /// Calls `emit` with the path of every leaf that differs between trees `a` and `b`.
    func diff(_ a: ObjectID?, _ b: ObjectID?, base: [UInt8], emit: ([UInt8]) -> Void) throws {
        if a == b { return }
        guard let a else {
            if let b { try listAll(b, base: base, emit: emit) }
            return
        }
        guard let b else {
            try listAll(a, base: base, emit: emit)
            return
        }
        let ha = try tree(a), hb = try tree(b)
        let ra = RawObjectReader.bytes(ha), rb = RawObjectReader.bytes(hb)
        var pa = 0, pb = 0
        var ea = RawObjectReader.entry(ra, at: 0), eb = RawObjectReader.entry(rb, at: 0)
        while true {
            switch (ea, eb) {
            case (nil, nil):
                return
            case let (x?, nil):
                try emitEntry(ra, x, base: base, emit: emit)
                pa = x.end; ea = RawObjectReader.entry(ra, at: pa)
            case let (nil, y?):
                try emitEntry(rb, y, base: base, emit: emit)
                pb = y.end; eb = RawObjectReader.entry(rb, at: pb)
            case let (x?, y?):
                let lx = x.end - x.start
                if lx == y.end - y.start, RawObjectReader.equal(ra, x.start, rb, y.start, lx) {
                    pa = x.end; pb = y.end
                } else {
                    let c = RawObjectReader.compare(ra, x, rb, y)
                    if c < 0 {
                        try emitEntry(ra, x, base: base, emit: emit)
                        pa = x.end
                    } else if c > 0 {
                        try emitEntry(rb, y, base: base, emit: emit)
                        pb = y.end
                    } else {
                        let name = Array(UnsafeRawBufferPointer(rebasing: ra[x.nameStart..<x.nameEnd]))
                        if x.isDir {
                            try diff(RawObjectReader.entryID(ra, x), RawObjectReader.entryID(rb, y),
                                     base: base + name + [UInt8(ascii: "/")], emit: emit)
                        } else {
                            emit(base + name)
                        }
                        pa = x.end; pb = y.end
                    }
                }
                ea = RawObjectReader.entry(ra, at: pa)
                eb = RawObjectReader.entry(rb, at: pb)
            }
        }
    }

    private func emitEntry(_ raw: UnsafeRawBufferPointer, _ e: Entry, base: [UInt8], emit: ([UInt8]) -> Void) throws {
        let name = Array(UnsafeRawBufferPointer(rebasing: raw[e.nameStart..<e.nameEnd]))
        if e.isDir {
            try listAll(RawObjectReader.entryID(raw, e), base: base + name + [UInt8(ascii: "/")], emit: emit)
        } else {
            emit(base + name)
        }
    }

    func listAll(_ id: ObjectID, base: [UInt8], emit: ([UInt8]) -> Void) throws {
        let h = try tree(id)
        let raw = RawObjectReader.bytes(h)
        var pos = 0
        while let e = RawObjectReader.entry(raw, at: pos) {
            try emitEntry(raw, e, base: base, emit: emit)
            pos = e.end
        }
    }
}
