import EvidentDeflate
import Foundation
import ZIPFoundation

/// Writes a zip one entry at a time, streaming to disk, with the bytes ZIPFoundation's `Archive.addEntry`
/// writes for a deflated file (UTF-8 names, sizes in the local header, no data descriptor, Unix mode,
/// UTC DOS time, ZIPFoundation's own deflate). `addEntry` reads and rewrites the whole central directory
/// for every entry added, which made a 20,000-entry bundle quadratic; here the directory is kept in memory
/// (about a hundred bytes an entry) and written once by `finish`.
///
/// Only plain zip is written: more than 65,534 entries, or an entry or offset past 4 GiB, throws
/// `LimitExceeded` (ZIPFoundation would switch to zip64, which `verify` does not read).
final class BundleZipWriter {
    struct LimitExceeded: Error, CustomStringConvertible {
        var what: String
        var description: String { "the bundle needs zip64 (\(what)), which evident does not write" }
    }

    private struct DirectoryEntry {
        var name: [UInt8]
        var crc32: UInt32
        var compressedSize: UInt32
        var uncompressedSize: UInt32
        var offset: UInt64
        var externalAttributes: UInt32
    }

    let url: URL
    private let handle: FileHandle
    private let time: UInt16
    private let date: UInt16
    private var buffer = Data()
    private var directory: [DirectoryEntry] = []
    /// Bytes written so far (flushed or buffered): the offset of the next local header.
    private(set) var offset: UInt64 = 0
    private static let flushSize = 1 << 20

    /// Creates (truncating) the file at `url`; every entry is dated `modificationDate`.
    init(url: URL, modificationDate: Date) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        close(descriptor)
        self.url = url
        handle = try FileHandle(forWritingTo: url)
        (date, time) = Self.dosDateTime(modificationDate)
    }

    deinit {
        try? handle.close()
    }

    /// A file's bytes deflated as `add` stores them, with their CRC-32 and size.
    struct Deflated {
        var crc32: UInt32
        var compressed: Data
        var size: Int
    }

    /// Deflates `data` (raw deflate, level 6: zlib's default) with libdeflate, in one call, and takes
    /// its CRC-32 from libdeflate: about 2.5 times faster than zlib on a bundle's files, which made
    /// deflating the larger part of an export. Touches no writer, so files can be deflated on several
    /// threads and added in order; the same bytes in give the same bytes out.
    static func deflate(_ data: Data, name: String) throws -> Deflated {
        let size = data.count
        guard size < Int(UInt32.max) else { throw LimitExceeded(what: "\(name) past 4 GiB") }
        guard let compressor = Compressors.shared.take() else { throw DeflateFailed(name: name) }
        defer { Compressors.shared.give(compressor) }
        let bound = libdeflate_deflate_compress_bound(compressor, size)
        var compressed = Data(count: bound)
        var checksum: UInt32 = 0
        let written = data.withUnsafeBytes { input -> Int in
            checksum = libdeflate_crc32(0, input.baseAddress, size)
            return compressed.withUnsafeMutableBytes { output in
                libdeflate_deflate_compress(compressor, input.baseAddress, size, output.baseAddress, bound)
            }
        }
        // libdeflate gives 0 when the output does not fit; its bound always fits.
        guard written > 0 || size == 0 else { throw DeflateFailed(name: name) }
        compressed.count = written
        guard compressed.count < Int(UInt32.max) else { throw LimitExceeded(what: "\(name) past 4 GiB") }
        return Deflated(crc32: checksum, compressed: compressed, size: size)
    }

    /// libdeflate compressors (one per thread at a time: a compressor is not shared while in use),
    /// kept for the process's life, since setting one up costs more than deflating a small file.
    private final class Compressors: @unchecked Sendable {
        static let shared = Compressors()
        static let level: Int32 = 6
        private let lock = NSLock()
        private var idle: [OpaquePointer] = []

        func take() -> OpaquePointer? {
            lock.lock()
            let reused = idle.popLast()
            lock.unlock()
            return reused ?? libdeflate_alloc_compressor(Self.level)
        }

        func give(_ compressor: OpaquePointer) {
            lock.lock()
            idle.append(compressor)
            lock.unlock()
        }
    }

    /// libdeflate refused to deflate a file (it could not set up, or did not finish in the bound it gave).
    struct DeflateFailed: Error, CustomStringConvertible {
        var name: String
        var description: String { "cannot compress \(name) for the bundle" }
    }

    /// Appends one deflated regular file.
    func add(name: String, data: Data, permissions: UInt16 = 0o644) throws {
        guard directory.count < Int(UInt16.max) - 1 else { throw LimitExceeded(what: "more than 65,534 entries") }
        guard offset < UInt64(UInt32.max) else { throw LimitExceeded(what: "\(name) past 4 GiB") }
        try add(name: name, deflated: Self.deflate(data, name: name), permissions: permissions)
    }

    /// Appends one regular file deflated by `deflate`.
    func add(name: String, deflated: Deflated, permissions: UInt16 = 0o644) throws {
        let nameBytes = Array(name.utf8)
        guard directory.count < Int(UInt16.max) - 1 else { throw LimitExceeded(what: "more than 65,534 entries") }
        guard offset < UInt64(UInt32.max) else { throw LimitExceeded(what: "\(name) past 4 GiB") }
        let compressed = deflated.compressed
        let entry = DirectoryEntry(name: nameBytes, crc32: deflated.crc32, compressedSize: UInt32(compressed.count),
                                   uncompressedSize: UInt32(deflated.size), offset: offset,
                                   externalAttributes: UInt32(UInt16(S_IFREG) | permissions) << 16)
        var header = Data(capacity: 30 + nameBytes.count)
        header.le32(0x0403_4B50)
        header.le16(20)  // version needed to extract: 2.0
        header.le16(2048)  // general purpose flags: UTF-8 name
        header.le16(8)  // deflate
        header.le16(time)
        header.le16(date)
        header.le32(entry.crc32)
        header.le32(entry.compressedSize)
        header.le32(entry.uncompressedSize)
        header.le16(UInt16(nameBytes.count))
        header.le16(0)  // extra field length
        header.append(contentsOf: nameBytes)
        try write(header)
        try write(compressed)
        directory.append(entry)
    }

    /// Appends every entry `other` holds, byte for byte, after this writer's own; `other` is finished with.
    func append(_ other: BundleZipWriter) throws {
        try other.flush()
        let base = offset
        let reader = try FileHandle(forReadingFrom: other.url)
        defer { try? reader.close() }
        while let chunk = try reader.read(upToCount: Self.flushSize), !chunk.isEmpty {
            try write(chunk)
        }
        guard offset - base == other.offset else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: other.url.path])
        }
        for var entry in other.directory {
            guard directory.count < Int(UInt16.max) - 1 else { throw LimitExceeded(what: "more than 65,534 entries") }
            entry.offset += base
            guard entry.offset < UInt64(UInt32.max) else { throw LimitExceeded(what: "an entry past 4 GiB") }
            directory.append(entry)
        }
    }

    /// Writes the central directory and its end record, and closes the file.
    func finish() throws {
        let start = offset
        guard start < UInt64(UInt32.max) else { throw LimitExceeded(what: "a central directory past 4 GiB") }
        for entry in directory {
            var record = Data(capacity: 46 + entry.name.count)
            record.le32(0x0201_4B50)
            record.le16(789)  // made by: Unix, ZIP 2.1 (what ZIPFoundation writes)
            record.le16(20)
            record.le16(2048)
            record.le16(8)
            record.le16(time)
            record.le16(date)
            record.le32(entry.crc32)
            record.le32(entry.compressedSize)
            record.le32(entry.uncompressedSize)
            record.le16(UInt16(entry.name.count))
            record.le16(0)  // extra field length
            record.le16(0)  // comment length
            record.le16(0)  // disk number start
            record.le16(0)  // internal attributes
            record.le32(entry.externalAttributes)
            record.le32(UInt32(entry.offset))
            record.append(contentsOf: entry.name)
            try write(record)
        }
        let size = offset - start
        guard size < UInt64(UInt32.max) else { throw LimitExceeded(what: "a central directory past 4 GiB") }
        var end = Data(capacity: 22)
        end.le32(0x0605_4B50)
        end.le16(0)  // this disk
        end.le16(0)  // disk with the central directory
        end.le16(UInt16(directory.count))
        end.le16(UInt16(directory.count))
        end.le32(UInt32(size))
        end.le32(UInt32(start))
        end.le16(0)  // comment length
        try write(end)
        try flush()
        try handle.synchronize()
        try handle.close()
    }

    private func write(_ data: Data) throws {
        buffer.append(data)
        offset += UInt64(data.count)
        if buffer.count >= Self.flushSize { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// MS-DOS date and time in UTC, clamped to 1980...2099, as ZIPFoundation computes them.
    static func dosDateTime(_ date: Date) -> (date: UInt16, time: UInt16) {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return (0, 0) }
        let year = min(max(Int(parts.tm_year) + 1900, 1980), 2099)
        let day = Int(parts.tm_mday) + (Int(parts.tm_mon) + 1) * 32 + (year - 1980) * 512
        let time = Int(parts.tm_sec) / 2 + Int(parts.tm_min) * 32 + Int(parts.tm_hour) * 2048
        return (UInt16(truncatingIfNeeded: day), UInt16(truncatingIfNeeded: time))
    }
}

private extension Data {
    mutating func le16(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func le32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
}
