import EvidentDeflate
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
///   commit), each a `YAMLCodec` tree behind a CRC-32 (libdeflate's: FNV-1a, a byte at a time, took a fifth of decoding);
/// - working-tree stamps: path → (`FileStamp`, blob id), trusted only when the file was last
///   modified well before the run that wrote them (a file changed in the same clock tick as it
///   was read is "racily clean" and is read again next time).
///
/// Layout: a header line (format, YAML limits, executable), the documents, the index (stamps, then
/// blob id → offset and length of each document), and the index's length (8 bytes, little endian).
/// Opening reads the index only; documents are read in bounded batches as they are decoded, and
/// saving streams them (new ones encoded batch by batch as they are written), so neither the cache
/// nor the encodings of a first run ever sit whole in memory beside the trees.
///
/// Only files that parsed without any problem are cached; anything else is parsed every time. A
/// cache that is missing, damaged, from another format or written under other YAML limits is
/// ignored and rewritten; writes go to a temporary file renamed into place, so concurrent runs at
/// worst each write a whole cache. Another build of evident starts afresh (the header names the
/// executable); bump `formatVersion` whenever the layout changes.
public final class ParseCache: @unchecked Sendable {
    static let formatVersion = "evident-parse-cache 4"
    /// Files modified this recently before a run began are not stamped (racy-clean protection).
    static let racyWindowNanoseconds: Int64 = 2_000_000_000
    /// Documents are read from the file in batches of about this many bytes.
    static let batchBytes = 8 << 20

    public let path: String
    private let header: [UInt8]
    private let lock = NSLock()
    /// The cache file as opened (kept open: a concurrent run may rename a new cache over it).
    private var descriptor: Int32 = -1
    private var stamps: [String: (stamp: FileStamp, blob: String)] = [:]
    /// Absolute file ranges of each document's entry (checksum, then encoded tree).
    private var documents: [String: Range<Int>] = [:]
    /// This run: documents to keep (old ranges, or new trees to encode when saving) and working-tree stamps seen.
    private var keptRanges: [String: Range<Int>] = [:]
    private var pending: [String: YAMLNode] = [:]
    private var runStamps: [String: (stamp: FileStamp, blob: String)] = [:]
    private let maxDepth: Int
    /// Documents this run took from the cache (for timings and tests).
    public private(set) var hits = 0

    /// A cache in `directory` (`<commonDir>/evident`) for documents parsed under `limits`.
    public init(directory: String, limits: YAMLLimits) {
        path = (directory as NSString).appendingPathComponent("parse-cache.bin")
        maxDepth = limits.depth + 1
        header = Array("\(Self.formatVersion) depth=\(limits.depth) aliases=\(limits.aliasExpansion) scalar=\(limits.scalarLength) keys=\(limits.keys) size=\(limits.fileSize) executable=\(ExecutableIdentity.current)\n".utf8)
        open()
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    // MARK: Look-ups

    /// The blob id under which the cache holds this file's tree, or nil when it must be read.
    func blob(for file: SourceFile) -> String? {
        guard file.kind == .regular else { return nil }
        lock.lock()
        defer { lock.unlock() }
        var blob = file.blobID
        if blob == nil, let stamp = file.stamp, let known = stamps[file.path], known.stamp == stamp { blob = known.blob }
        guard let blob, documents[blob] != nil else { return nil }
        return blob
    }

    /// The trees of these blobs (nil where there is none, or its entry is damaged), read from the
    /// file in batches in file order and decoded on all cores.
    func decode(_ blobs: [String?]) -> [YAMLNode?] {
        var results = [YAMLNode?](repeating: nil, count: blobs.count)
        lock.lock()
        var requests: [(index: Int, range: Range<Int>)] = []
        for (index, blob) in blobs.enumerated() {
            if let blob, let range = documents[blob] { requests.append((index, range)) }
        }
        lock.unlock()
        requests.sort { $0.range.lowerBound < $1.range.lowerBound }
        var start = 0
        while start < requests.count {
            var end = start + 1
            while end < requests.count, requests[end].range.upperBound - requests[start].range.lowerBound <= Self.batchBytes { end += 1 }
            let batch = Array(requests[start..<end])
            let base = batch[0].range.lowerBound
            // The largest end, not the last one: a damaged index may nest or overlap ranges.
            let span = (batch.map(\.range.upperBound).max() ?? base) - base
            if let bytes = read(at: base, count: span) {
                // In a few lanes of neighbouring entries, each with its own interner, so the texts
                // records repeat are shared within a lane.
                let lanes = Self.lanes(batch.count)
                let trees: [YAMLNode?] = bytes.withUnsafeBytes { buffer in
                    Parallel.map(lanes) { lane -> [YAMLNode?] in
                        let interner = StringInterner()
                        return batch[lane].map { request in
                            Self.decodeEntry(UnsafeRawBufferPointer(rebasing: buffer[(request.range.lowerBound - base)..<(request.range.upperBound - base)]),
                                             maxDepth: maxDepth, interner: interner)
                        }
                    }.flatMap { $0 }
                }
                lock.lock()
                for (request, tree) in zip(batch, trees) where tree != nil {
                    results[request.index] = tree
                    if let blob = blobs[request.index] { keptRanges[blob] = request.range }
                    hits += 1
                }
                lock.unlock()
            }
            start = end
        }
        return results
    }

    /// The tree of one blob, when the cache holds it (for a file read because its stamp was
    /// unknown, whose bytes turned out to be known): one read, decoded on the calling thread.
    func decode(blob: String) -> YAMLNode? {
        lock.lock()
        let range = documents[blob]
        lock.unlock()
        guard let range, let bytes = read(at: range.lowerBound, count: range.count),
              let tree = bytes.withUnsafeBytes({ Self.decodeEntry($0, maxDepth: maxDepth) }) else { return nil }
        lock.lock()
        keptRanges[blob] = range
        hits += 1
        lock.unlock()
        return tree
    }

    /// `count` entries cut into runs of neighbours: a few per core (so every core stays busy),
    /// each long, so its interner sees many records.
    static func lanes(_ count: Int) -> [Range<Int>] {
        let lanes = max(1, min(count, 4 * ProcessInfo.processInfo.activeProcessorCount))
        return (0..<lanes).map { (count * $0 / lanes)..<(count * ($0 + 1) / lanes) }
    }

    /// One entry: 8 bytes of checksum (`checksum`) over the encoded tree, then the tree.
    static func decodeEntry(_ entry: UnsafeRawBufferPointer, maxDepth: Int, interner: StringInterner? = nil) -> YAMLNode? {
        guard entry.count >= 8 else { return nil }
        var checksum: UInt64 = 0
        for index in 0..<8 { checksum |= UInt64(entry[index]) << (8 * UInt64(index)) }
        let body = UnsafeRawBufferPointer(rebasing: entry[8...])
        guard Self.checksum(body) == checksum else { return nil }
        return YAMLCodec.decode(body, maxDepth: maxDepth, interner: interner)
    }

    // MARK: Recording this run (thread-safe)

    /// A file parsed this run without problems: remember its tree by blob id (encoded when saved).
    func store(blob: String, root: YAMLNode) {
        lock.lock()
        defer { lock.unlock() }
        guard keptRanges[blob] == nil, pending[blob] == nil else { return }
        pending[blob] = root
    }

    /// One entry: the checksum of the encoded tree (8 bytes, little endian), then the tree.
    static func encodeEntry(_ root: YAMLNode) -> [UInt8] {
        var entry = [UInt8](repeating: 0, count: 8)
        YAMLCodec.encode(root, into: &entry)
        let checksum = entry.withUnsafeBytes { Self.checksum(UnsafeRawBufferPointer(rebasing: $0[8...])) }
        for index in 0..<8 { entry[index] = UInt8(truncatingIfNeeded: checksum >> (8 * UInt64(index))) }
        return entry
    }

    /// A working-tree file seen this run with its stamp and blob id. `runStart` is when listing began.
    func stamp(path: String, stamp: FileStamp, blob: String, runStart: Int64) {
        guard stamp.modifiedTime < runStart - Self.racyWindowNanoseconds else { return }
        lock.lock()
        runStamps[path] = (stamp, blob)
        lock.unlock()
    }

    // MARK: Saving

    /// Writes the cache when this run learnt something: new documents, or changed stamps. Keeps the
    /// documents this run used and the ones the kept stamps name; failures are ignored (a cache).
    /// `replacingStamps`: this run listed a working tree, so its stamps replace the stored ones
    /// (an index or commit run keeps them).
    public func save(replacingStamps: Bool) {
        lock.lock()
        defer { lock.unlock() }
        let newStamps = replacingStamps ? runStamps : stamps
        let stampsChanged = replacingStamps && (newStamps.count != stamps.count || newStamps.contains { stamps[$0.key]?.stamp != $0.value.stamp || stamps[$0.key]?.blob != $0.value.blob })
        guard !pending.isEmpty || stampsChanged else { return }
        var kept = keptRanges
        for (_, entry) in newStamps where kept[entry.blob] == nil && pending[entry.blob] == nil {
            if let range = documents[entry.blob] { kept[entry.blob] = range }
        }
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = (directory as NSString).appendingPathComponent(".parse-cache.\(ProcessInfo.processInfo.processIdentifier).\(UUID().uuidString.prefix(8)).tmp")
        let output = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else { return }
        var ok = Self.writeAll(output, header)
        // Documents, each remembered with its offset from the end of the header.
        var table: [(blob: String, offset: Int, length: Int)] = []
        var offset = 0
        let keptInFileOrder = kept.sorted { $0.value.lowerBound < $1.value.lowerBound }
        var position = 0
        while ok, position < keptInFileOrder.count {
            // Neighbouring entries are copied from the old file together, up to a batch at a time.
            var end = position + 1
            while end < keptInFileOrder.count, keptInFileOrder[end].value.lowerBound == keptInFileOrder[end - 1].value.upperBound,
                  keptInFileOrder[end].value.upperBound - keptInFileOrder[position].value.lowerBound <= Self.batchBytes { end += 1 }
            let base = keptInFileOrder[position].value.lowerBound
            guard let bytes = read(at: base, count: keptInFileOrder[end - 1].value.upperBound - base) else { ok = false; break }
            ok = Self.writeAll(output, bytes)
            for (blob, range) in keptInFileOrder[position..<end] {
                table.append((blob, offset + range.lowerBound - base, range.count))
            }
            offset += bytes.count
            position = end
        }
        let newInOrder = pending.sorted { $0.key < $1.key }
        var start = 0
        while ok, start < newInOrder.count {
            let batch = Array(newInOrder[start..<min(start + 1_024, newInOrder.count)])
            for (entry, bytes) in zip(batch, Project.concurrentMap(batch) { Self.encodeEntry($0.value) }) where ok {
                ok = Self.writeAll(output, bytes)
                table.append((entry.key, offset, bytes.count))
                offset += bytes.count
            }
            start += batch.count
        }
        // The index, then its length.
        var index: [UInt8] = []
        YAMLCodec.appendVarint(UInt64(newStamps.count), to: &index)
        for (path, entry) in newStamps.sorted(by: { $0.key < $1.key }) {
            YAMLCodec.appendString(path, to: &index)
            let stamp = entry.stamp
            for value in [stamp.size, stamp.modified, stamp.modifiedNanoseconds, stamp.changed, stamp.changedNanoseconds, Int64(bitPattern: stamp.inode)] {
                YAMLCodec.appendVarint(UInt64(bitPattern: value), to: &index)
            }
            YAMLCodec.appendString(entry.blob, to: &index)
        }
        YAMLCodec.appendVarint(UInt64(table.count), to: &index)
        for entry in table {
            YAMLCodec.appendString(entry.blob, to: &index)
            YAMLCodec.appendVarint(UInt64(entry.offset), to: &index)
            YAMLCodec.appendVarint(UInt64(entry.length), to: &index)
        }
        let indexLength = UInt64(index.count)
        for byte in 0..<8 { index.append(UInt8(truncatingIfNeeded: indexLength >> (8 * UInt64(byte)))) }
        if ok { ok = Self.writeAll(output, index) }
        close(output)
        if !ok || rename(temporary, path) != 0 { unlink(temporary) }
    }

    // MARK: The file

    private func open() {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        var info = Glibc.stat()
        let fileSize = fstat(descriptor, &info) == 0 && info.st_mode & S_IFMT == S_IFREG ? Int(info.st_size) : 0
        guard fileSize >= header.count + 8, let head = pread(descriptor, at: 0, count: header.count), head == header,
              let tail = pread(descriptor, at: fileSize - 8, count: 8) else {
            close(descriptor)
            return
        }
        var indexLength = 0
        for byte in 0..<7 { indexLength |= Int(tail[byte]) << (8 * byte) }
        let bodiesStart = header.count
        let indexStart = fileSize - 8 - indexLength
        guard tail[7] == 0, indexStart >= bodiesStart, let indexBytes = pread(descriptor, at: indexStart, count: indexLength) else {
            close(descriptor)
            return
        }
        var stamps: [String: (stamp: FileStamp, blob: String)] = [:]
        var documents: [String: Range<Int>] = [:]
        let ok: Bool = indexBytes.withUnsafeBytes { buffer in
            var reader = YAMLCodec.Reader(bytes: buffer)
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
            let bodies = indexStart - bodiesStart
            guard let documentCount = reader.count(atMost: buffer.count) else { return false }
            for _ in 0..<documentCount {
                guard let blob = reader.string(), let offset = reader.count(atMost: bodies), let length = reader.count(atMost: bodies),
                      offset + length <= bodies else { return false }
                documents[blob] = (bodiesStart + offset)..<(bodiesStart + offset + length)
            }
            return reader.offset == buffer.count
        }
        guard ok else {
            close(descriptor)
            return
        }
        self.descriptor = descriptor
        self.stamps = stamps
        self.documents = documents
    }

    /// `count` bytes of the opened cache at `offset`, or nil.
    private func read(at offset: Int, count: Int) -> [UInt8]? {
        guard descriptor >= 0 else { return nil }
        return pread(descriptor, at: offset, count: count)
    }

    private func pread(_ descriptor: Int32, at offset: Int, count: Int) -> [UInt8]? {
        guard count >= 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { Glibc.pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { return nil }
            done += got
        }
        return bytes
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        var done = 0
        while done < bytes.count {
            let wrote = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + done, bytes.count - done) }
            if wrote < 0 && errno == EINTR { continue }
            guard wrote > 0 else { return false }
            done += wrote
        }
        return true
    }

    /// An entry's checksum: CRC-32 of its bytes, widened to the entry's 8-byte field.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return UInt64(libdeflate_crc32(0, nil, 0)) }
        return UInt64(libdeflate_crc32(0, base, bytes.count))
    }
}
