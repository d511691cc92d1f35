import Foundation

/// What `lstat` said about a working-tree file: if all of it is unchanged, so are its bytes (the
/// same test git's index uses), and the cache may answer without reading the file.
public struct FileStamp: Sendable, Hashable {
    public var size: Int64
    public var modified: Int64
    public var modifiedNanoseconds: Int64
    public var changed: Int64
    public var changedNanoseconds: Int64
    public var inode: UInt64

    /// Modification time in nanoseconds since the epoch.
    var modifiedTime: Int64 { modified &* 1_000_000_000 &+ modifiedNanoseconds }
}

/// Parsed records of earlier runs, so a warm check neither reads nor parses a record that has not
/// changed. Kept in `<commonDir>/evident/parse-cache.bin`:
///
/// - documents by git blob id (content-addressed, so correct in every mode: working tree, index,
///   commit), each a `YAMLCodec` tree with an FNV-1a checksum;
/// - working-tree stamps: path → (`FileStamp`, blob id), trusted only when the file was last
///   modified well before the run that wrote them (a file changed in the same clock tick as it
///   was read is "racily clean" and is read again next time).
///
/// Only files that parsed without any problem are cached; anything else is parsed every time. A
/// cache that is missing, damaged, from another format or written under other YAML limits is
/// ignored and rewritten; writes are atomic (temporary file, then rename), so concurrent runs at
/// worst each write a whole cache. Another build of evident starts afresh (the header names the
/// executable); bump `formatVersion` whenever the layout changes.
public final class ParseCache: @unchecked Sendable {
    static let formatVersion = "evident-parse-cache 1"
    /// Files modified this recently before a run began are not stamped (racy-clean protection).
    static let racyWindowNanoseconds: Int64 = 2_000_000_000

    public let path: String
    private let header: [UInt8]
    private let lock = NSLock()
    /// The cache file as read (documents are decoded from it on demand).
    private var data = Data()
    private var stamps: [String: (stamp: FileStamp, blob: String)] = [:]
    private var documents: [String: Range<Int>] = [:]
    /// This run: documents to keep (old ranges, or newly encoded bytes) and working-tree stamps seen.
    private var keptRanges: [String: Range<Int>] = [:]
    private var encoded: [String: [UInt8]] = [:]
    private var runStamps: [String: (stamp: FileStamp, blob: String)] = [:]
    private var sawWorkingTree = false
    private let maxDepth: Int
    /// Documents this run took from the cache (for timings and tests).
    public private(set) var hits = 0

    /// A cache in `directory` (`<commonDir>/evident`) for documents parsed under `limits`.
    public init(directory: String, limits: YAMLLimits) {
        path = (directory as NSString).appendingPathComponent("parse-cache.bin")
        maxDepth = limits.depth + 1
        header = Array("\(Self.formatVersion) depth=\(limits.depth) aliases=\(limits.aliasExpansion) scalar=\(limits.scalarLength) keys=\(limits.keys) size=\(limits.fileSize) executable=\(ExecutableIdentity.current)\n".utf8)
        if let bytes = FileManager.default.contents(atPath: path) { load(bytes) }
    }

    // MARK: Look-ups (thread-safe)

    /// The blob id of a working-tree file whose stamp is unchanged since a trusted earlier run.
    func blobID(path: String, stamp: FileStamp) -> String? {
        lock.lock()
        defer { lock.unlock() }
        guard let known = stamps[path], known.stamp == stamp else { return nil }
        return known.blob
    }

    /// The cached tree of a blob, or nil (not cached, or damaged).
    func document(blob: String) -> YAMLNode? {
        lock.lock()
        let range = documents[blob]
        let data = self.data
        lock.unlock()
        guard let range else { return nil }
        let node: YAMLNode? = data.withUnsafeBytes { buffer in
            let entry = UnsafeRawBufferPointer(rebasing: buffer[range])
            guard entry.count >= 8 else { return nil }
            var checksum: UInt64 = 0
            for index in 0..<8 { checksum |= UInt64(entry[index]) << (8 * UInt64(index)) }
            let body = UnsafeRawBufferPointer(rebasing: entry[8...])
            guard Self.fnv1a(body) == checksum else { return nil }
            return YAMLCodec.decode(body, maxDepth: maxDepth)
        }
        if node != nil {
            lock.lock()
            keptRanges[blob] = range
            hits += 1
            lock.unlock()
        }
        return node
    }

    // MARK: Recording this run (thread-safe)

    /// A file parsed this run without problems: remember its tree by blob id.
    func store(blob: String, root: YAMLNode) {
        lock.lock()
        let known = keptRanges[blob] != nil || encoded[blob] != nil
        lock.unlock()
        guard !known else { return }
        var body: [UInt8] = []
        YAMLCodec.encode(root, into: &body)
        let checksum = body.withUnsafeBytes { Self.fnv1a($0) }
        var entry: [UInt8] = []
        entry.reserveCapacity(body.count + 8)
        for index in 0..<8 { entry.append(UInt8(truncatingIfNeeded: checksum >> (8 * UInt64(index)))) }
        entry.append(contentsOf: body)
        lock.lock()
        encoded[blob] = entry
        lock.unlock()
    }

    /// A working-tree file seen this run with its stamp and blob id. `runStart` is when listing began.
    func stamp(path: String, stamp: FileStamp, blob: String, runStart: Int64) {
        guard stamp.modifiedTime < runStart - Self.racyWindowNanoseconds else { return }
        lock.lock()
        runStamps[path] = (stamp, blob)
        lock.unlock()
    }

    /// Marks this run as a working-tree run: its stamps replace the stored ones when saved.
    func beginWorkingTreeRun() {
        lock.lock()
        sawWorkingTree = true
        lock.unlock()
    }

    // MARK: Saving

    /// Writes the cache when this run learnt something: new documents, or changed stamps. Keeps the
    /// documents this run used and the ones the kept stamps name; failures are ignored (a cache).
    public func save() {
        lock.lock()
        defer { lock.unlock() }
        let newStamps = sawWorkingTree ? runStamps : stamps
        let stampsChanged = sawWorkingTree && (newStamps.count != stamps.count || newStamps.contains { stamps[$0.key]?.stamp != $0.value.stamp || stamps[$0.key]?.blob != $0.value.blob })
        guard !encoded.isEmpty || stampsChanged else { return }
        var kept = keptRanges
        for (_, entry) in newStamps where kept[entry.blob] == nil && encoded[entry.blob] == nil {
            if let range = documents[entry.blob] { kept[entry.blob] = range }
        }
        var out: [UInt8] = header
        YAMLCodec.appendVarint(UInt64(newStamps.count), to: &out)
        for (path, entry) in newStamps.sorted(by: { $0.key < $1.key }) {
            YAMLCodec.appendString(path, to: &out)
            let stamp = entry.stamp
            for value in [stamp.size, stamp.modified, stamp.modifiedNanoseconds, stamp.changed, stamp.changedNanoseconds, Int64(bitPattern: stamp.inode)] {
                YAMLCodec.appendVarint(UInt64(bitPattern: value), to: &out)
            }
            YAMLCodec.appendString(entry.blob, to: &out)
        }
        YAMLCodec.appendVarint(UInt64(kept.count + encoded.count), to: &out)
        data.withUnsafeBytes { old in
            for (blob, range) in kept.sorted(by: { $0.key < $1.key }) {
                YAMLCodec.appendString(blob, to: &out)
                YAMLCodec.appendVarint(UInt64(range.count), to: &out)
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: old[range]))
            }
        }
        for (blob, entry) in encoded.sorted(by: { $0.key < $1.key }) {
            YAMLCodec.appendString(blob, to: &out)
            YAMLCodec.appendVarint(UInt64(entry.count), to: &out)
            out.append(contentsOf: entry)
        }
        try? AtomicFile.write(Data(out), to: URL(fileURLWithPath: path))
    }

    // MARK: Reading the file

    private func load(_ bytes: Data) {
        guard bytes.starts(with: header) else { return }
        var stamps: [String: (stamp: FileStamp, blob: String)] = [:]
        var documents: [String: Range<Int>] = [:]
        let ok: Bool = bytes.withUnsafeBytes { buffer in
            var reader = YAMLCodec.Reader(bytes: buffer)
            reader.offset = header.count
            guard let stampCount = reader.count(atMost: buffer.count) else { return false }
            for _ in 0..<stampCount {
                guard let path = reader.string() else { return false }
                var values: [Int64] = []
                for _ in 0..<6 {
                    guard let value = reader.varint() else { return false }
                    values.append(Int64(bitPattern: value))
                }
                guard let blob = reader.string() else { return false }
                stamps[path] = (FileStamp(size: values[0], modified: values[1], modifiedNanoseconds: values[2], changed: values[3],
                                          changedNanoseconds: values[4], inode: UInt64(bitPattern: values[5])), blob)
            }
            guard let documentCount = reader.count(atMost: buffer.count) else { return false }
            for _ in 0..<documentCount {
                guard let blob = reader.string(), let length = reader.count(atMost: buffer.count), length <= buffer.count - reader.offset else { return false }
                documents[blob] = reader.offset..<reader.offset + length
                reader.offset += length
            }
            return reader.offset == buffer.count
        }
        guard ok else { return }
        data = bytes
        self.stamps = stamps
        self.documents = documents
    }

    static func fnv1a(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
