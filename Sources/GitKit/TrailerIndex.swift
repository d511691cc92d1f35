import CLibGit2
import Foundation

extension Repository {
    /// For one trailer key (e.g. `Evidence-For`), every value named by commits reachable from `tip`,
    /// mapped to those commits, newest first (committer time; ties in walk order). Values split on
    /// commas (`Evidence-For: SI-1, SI-2`). With a cache, each commit's parents, time and values are
    /// kept by commit id under the cache's directory, so a later run reads only new commits.
    public func trailerIndex(key: String, from tip: ObjectID, cache: HistoryCache? = nil) throws -> [String: [ObjectID]] {
        WorkCounts.add(.historyWalks)
        let wanted = key.lowercased()
        let file = cache.map { TrailerFacts.fileURL(directory: $0.directory, key: wanted) }
        var facts = file.flatMap { TrailerFacts.load($0, key: wanted) } ?? [:]
        var added = 0
        // Every commit reachable from the tip, with the order it was first reached in.
        var reached: [ObjectID] = []
        var seen = Set<ObjectID>()
        var pending = [tip]
        while let id = pending.popLast() {
            guard seen.insert(id).inserted else { continue }
            if facts[id] == nil {
                guard let read = readTrailerFacts(id, key: wanted) else { continue }  // missing (shallow clone)
                facts[id] = read
                added += 1
            }
            guard let fact = facts[id] else { continue }
            reached.append(id)
            pending.append(contentsOf: fact.parents.reversed())
        }
        if added > 0, let file { TrailerFacts.save(facts, key: wanted, to: file) }
        let order = Dictionary(uniqueKeysWithValues: reached.enumerated().map { ($0.element, $0.offset) })
        let named = reached.filter { !(facts[$0]?.values.isEmpty ?? true) }
            .sorted { a, b in
                let ta = facts[a]!.time, tb = facts[b]!.time
                return ta != tb ? ta > tb : order[a]! < order[b]!
            }
        var result: [String: [ObjectID]] = [:]
        for id in named {
            for name in facts[id]!.values where result[name]?.last != id { result[name, default: []].append(id) }
        }
        return result
    }

    /// One commit's parents, committer time and the values of trailer `key` (lowercased), or nil when
    /// the commit cannot be read.
    private func readTrailerFacts(_ id: ObjectID, key: String) -> TrailerFacts.Fact? {
        WorkCounts.add(.commitsRead)
        var oid = id.oid
        var object: OpaquePointer?
        guard git_commit_lookup(&object, pointer, &oid) == 0, let commit = object else { return nil }
        defer { git_commit_free(commit) }
        var parents: [ObjectID] = []
        for i in 0..<git_commit_parentcount(commit) {
            if let parent = git_commit_parent_id(commit, i) { parents.append(ObjectID(pointer: parent)) }
        }
        var values: [String] = []
        if let raw = git_commit_message_raw(commit), lossyString(raw).range(of: key, options: .caseInsensitive) != nil {
            for trailer in Repository.trailers(ofRawMessage: raw) where trailer.key.lowercased() == key {
                for value in trailer.value.split(separator: ",") {
                    let name = value.trimmingCharacters(in: .whitespaces)
                    if !name.isEmpty { values.append(name) }
                }
            }
        }
        return TrailerFacts.Fact(parents: parents, time: Int64(git_commit_time(commit)), values: values)
    }
}

/// The trailer cache file: per commit id, its parents, committer time and trailer values. Commits
/// never change, so an entry never goes stale; a damaged or foreign file fails its checksum and is
/// ignored.
enum TrailerFacts {
    struct Fact {
        var parents: [ObjectID]
        var time: Int64
        var values: [String]
    }

    static let magic: [UInt8] = Array("EVTRLR01".utf8)

    static func fileURL(directory: String, key: String) -> URL {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return URL(fileURLWithPath: directory).appendingPathComponent("trailers-" + String(h, radix: 16) + ".bin")
    }

    static func load(_ url: URL, key: String) -> [ObjectID: Fact]? {
        guard let data = try? Data(contentsOf: url), data.count > 16 else { return nil }
        return data.withUnsafeBytes { raw -> [ObjectID: Fact]? in
            let body = UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count - 8)])
            var tail = ByteReader(raw: UnsafeRawBufferPointer(rebasing: raw[(raw.count - 8)...]))
            guard let stored = tail.u64(), stored == HistoryCache.checksum(body) else { return nil }
            var r = ByteReader(raw: body)
            guard r.bytes(magic.count) == magic, r.string() == key, let count = r.u32() else { return nil }
            var facts: [ObjectID: Fact] = [:]
            facts.reserveCapacity(Int(count))
            for _ in 0..<count {
                guard let idBytes = r.bytes(20), let id = ObjectID(bytes: idBytes), let time = r.i64(), let parentCount = r.u32(), parentCount < 1 << 16 else { return nil }
                var parents: [ObjectID] = []
                for _ in 0..<parentCount {
                    guard let bytes = r.bytes(20), let parent = ObjectID(bytes: bytes) else { return nil }
                    parents.append(parent)
                }
                guard let valueCount = r.u32(), valueCount < 1 << 16 else { return nil }
                var values: [String] = []
                for _ in 0..<valueCount {
                    guard let value = r.string() else { return nil }
                    values.append(value)
                }
                facts[id] = Fact(parents: parents, time: time, values: values)
            }
            return r.atEnd ? facts : nil
        }
    }

    /// Writes every fact (temporary file, then rename); failures are ignored (only an optimisation).
    static func save(_ facts: [ObjectID: Fact], key: String, to url: URL) {
        var w = ByteWriter()
        w.bytes(magic)
        w.string(key)
        w.u32(UInt32(facts.count))
        for (id, fact) in facts.sorted(by: { $0.key < $1.key }) {
            w.bytes(id.bytes)
            w.i64(fact.time)
            w.u32(UInt32(fact.parents.count))
            for parent in fact.parents { w.bytes(parent.bytes) }
            w.u32(UInt32(fact.values.count))
            for value in fact.values { w.string(value) }
        }
        w.u64(w.data.withUnsafeBytes { HistoryCache.checksum($0) })
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let temp = directory.appendingPathComponent(".tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
            try Data(w.data).write(to: temp)
            if rename(temp.path, url.path) != 0 { try? FileManager.default.removeItem(at: temp) }
        } catch {
            return
        }
    }
}
