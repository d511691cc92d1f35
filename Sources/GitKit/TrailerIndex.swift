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
        let files = cache.map { TrailerFacts.Files(directory: $0.directory, key: wanted) }
        let previous = files.flatMap { TrailerFacts.loadResult($0.result, key: wanted) }
        if let previous, previous.tip == tip { return previous.index }
        if let previous, let files, let extended = extend(previous, to: tip, key: wanted) {
            TrailerFacts.saveResult(extended, key: wanted, to: files.result)
            return extended.index
        }
        var facts = files.flatMap { TrailerFacts.load($0.facts, key: wanted) } ?? [:]
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
        if added > 0, let files { TrailerFacts.save(facts, key: wanted, to: files.facts) }
        // Newest first by committer time, ties in the order reached.
        var named: [(time: Int64, order: Int, id: ObjectID, values: [String])] = []
        for (order, id) in reached.enumerated() {
            if let fact = facts[id], !fact.values.isEmpty { named.append((fact.time, order, id, fact.values)) }
        }
        named.sort { $0.time != $1.time ? $0.time > $1.time : $0.order < $1.order }
        var result = TrailerFacts.Result(tip: tip, newest: reached.compactMap { facts[$0]?.time }.max() ?? .min, index: [:])
        for entry in named {
            for name in entry.values where result.index[name]?.last != entry.id { result.index[name, default: []].append(entry.id) }
        }
        if let files { TrailerFacts.saveResult(result, key: wanted, to: files.result) }
        return result.index
    }

    /// The previous answer with the commits since its tip put in front, when the tip only gained
    /// single-parent commits no older than anything before (a commit or two on the branch: the
    /// walk from the new tip reads only them). Nil when the history moved otherwise.
    private func extend(_ previous: TrailerFacts.Result, to tip: ObjectID, key: String) -> TrailerFacts.Result? {
        var chain: [(ObjectID, TrailerFacts.Fact)] = []
        var current = tip
        while current != previous.tip {
            guard chain.count < 1_000, let fact = readTrailerFacts(current, key: key), fact.parents.count == 1 else { return nil }
            chain.append((current, fact))
            current = fact.parents[0]
        }
        // Newest first (the chain's order), and every one at least as new as the newest before.
        for index in chain.indices {
            let time = chain[index].1.time
            if time < previous.newest || (index > 0 && time > chain[index - 1].1.time) { return nil }
        }
        var result = previous
        result.tip = tip
        result.newest = chain.first?.1.time ?? previous.newest
        var front: [String: [ObjectID]] = [:]
        for (id, fact) in chain {
            for name in fact.values where front[name]?.last != id { front[name, default: []].append(id) }
        }
        for (name, ids) in front { result.index[name] = ids + (result.index[name] ?? []) }
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

    /// The answer for one tip: what a warm run reads (the facts are read only when history moved
    /// other than by commits on top).
    struct Result {
        var tip: ObjectID
        /// The newest committer time among the commits reachable from the tip.
        var newest: Int64
        var index: [String: [ObjectID]]
    }

    static let magic: [UInt8] = Array("EVTRLR01".utf8)
    static let resultMagic: [UInt8] = Array("EVTRRS01".utf8)

    /// The facts file and the result file for a key.
    struct Files {
        var facts: URL
        var result: URL

        init(directory: String, key: String) {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            let base = URL(fileURLWithPath: directory).appendingPathComponent("trailers-" + String(h, radix: 16))
            facts = base.appendingPathExtension("bin")
            result = URL(fileURLWithPath: base.path + "-result.bin")
        }
    }

    static func loadResult(_ url: URL, key: String) -> Result? {
        checkedBody(url) { r in
            guard r.bytes(resultMagic.count) == resultMagic, r.string() == key,
                  let tipBytes = r.bytes(20), let tip = ObjectID(bytes: tipBytes), let newest = r.i64(), let names = r.u32() else { return nil }
            var index: [String: [ObjectID]] = [:]
            index.reserveCapacity(Int(names))
            for _ in 0..<names {
                guard let name = r.string(), let count = r.u32(), Int(count) * 20 <= r.raw.count - r.pos else { return nil }
                var ids: [ObjectID] = []
                ids.reserveCapacity(Int(count))
                for _ in 0..<count {
                    guard let bytes = r.bytes(20), let id = ObjectID(bytes: bytes) else { return nil }
                    ids.append(id)
                }
                index[name] = ids
            }
            return r.atEnd ? Result(tip: tip, newest: newest, index: index) : nil
        }
    }

    static func saveResult(_ result: Result, key: String, to url: URL) {
        var w = ByteWriter()
        w.bytes(resultMagic)
        w.string(key)
        w.bytes(result.tip.bytes)
        w.i64(result.newest)
        w.u32(UInt32(result.index.count))
        for (name, ids) in result.index.sorted(by: { $0.key < $1.key }) {
            w.string(name)
            w.u32(UInt32(ids.count))
            for id in ids { w.bytes(id.bytes) }
        }
        write(&w, to: url)
    }

    /// The file's body after its trailing checksum is verified, read by `decode`; nil when missing or damaged.
    private static func checkedBody<T>(_ url: URL, _ decode: (inout ByteReader) -> T?) -> T? {
        guard let data = try? Data(contentsOf: url), data.count > 16 else { return nil }
        return data.withUnsafeBytes { raw -> T? in
            let body = UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count - 8)])
            var tail = ByteReader(raw: UnsafeRawBufferPointer(rebasing: raw[(raw.count - 8)...]))
            guard let stored = tail.u64(), stored == HistoryCache.checksum(body) else { return nil }
            var r = ByteReader(raw: body)
            return decode(&r)
        }
    }

    /// Appends the checksum and writes to a temporary file renamed into place; failures are ignored.
    private static func write(_ w: inout ByteWriter, to url: URL) {
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

    static func load(_ url: URL, key: String) -> [ObjectID: Fact]? {
        checkedBody(url) { r in
            guard r.bytes(magic.count) == magic, r.string() == key, let count = r.u32() else { return nil }
            var facts: [ObjectID: Fact] = [:]
            facts.reserveCapacity(Int(min(count, 1 << 24)))
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
        write(&w, to: url)
    }
}
