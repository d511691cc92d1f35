import Foundation
import ZIPFoundation

/// Reads zip entries with the compressed stream bounded by the entry's compressed size.
///
/// ZIPFoundation's Linux inflate loop asks its provider for more input until the deflate stream
/// ends, reading past the entry and then, at the end of the file, getting empty chunks forever: a
/// corrupt or truncated entry made `verify` hang (found by FuzzBundle). Here the provider throws
/// once the entry's compressed bytes are used up, so every entry ends, intact or not.
struct BoundedEntryReader {
    struct Located {
        var dataOffset: UInt64
        var compressedSize: UInt64
        var method: UInt16
    }

    enum ReadError: Error, CustomStringConvertible {
        case notFound, unsupported(String), truncated, headerMismatch(String)
        var description: String {
            switch self {
            case .headerMismatch(let field): return "its local header disagrees with the central directory (\(field)): the archive was altered"
            case .notFound: return "no readable local header"
            case .unsupported(let what): return "unsupported entry (\(what))"
            case .truncated: return "compressed data ends before the stream does (truncated or corrupt)"
            }
        }
    }

    let handle: FileHandle
    let size: UInt64
    /// Central directory records by name (the first of duplicates).
    private var records: [String: (offset: UInt64, compressed: UInt64, method: UInt16, crc: UInt32, uncompressed: UInt32, flags: UInt16, header: [UInt8])] = [:]

    init?(url: URL) {
        guard let handle = FileHandle(forReadingAtPath: url.path),
              let size = try? handle.seekToEnd() else { return nil }
        self.handle = handle
        self.size = size
        let tailLength = min(size, 65_557)
        guard let tail = Self.read(handle, at: size - tailLength, count: Int(tailLength)) else { return nil }
        let bytes = [UInt8](tail)
        var eocd: Int?
        var index = bytes.count - 22
        while index >= 0 {
            if bytes[index] == 0x50, bytes[index + 1] == 0x4B, bytes[index + 2] == 0x05, bytes[index + 3] == 0x06 { eocd = index; break }
            index -= 1
        }
        guard let end = eocd else { return nil }
        let count = Int(Self.u16(bytes, end + 10))
        let directorySize = UInt64(Self.u32(bytes, end + 12))
        let directoryOffset = UInt64(Self.u32(bytes, end + 16))
        guard directoryOffset + directorySize <= size, directorySize <= 64 * 1024 * 1024,
              let directoryData = Self.read(handle, at: directoryOffset, count: Int(directorySize)) else { return nil }
        let directory = [UInt8](directoryData)
        var position = 0
        for _ in 0..<count {
            guard position + 46 <= directory.count, Self.u32(directory, position) == 0x0201_4B50 else { break }
            let flags = Self.u16(directory, position + 8)
            let method = Self.u16(directory, position + 10)
            let crc = Self.u32(directory, position + 16)
            let compressed = UInt64(Self.u32(directory, position + 20))
            let uncompressed = Self.u32(directory, position + 24)
            let nameLength = Int(Self.u16(directory, position + 28))
            let extraLength = Int(Self.u16(directory, position + 30))
            let commentLength = Int(Self.u16(directory, position + 32))
            let offset = UInt64(Self.u32(directory, position + 42))
            guard position + 46 + nameLength <= directory.count else { break }
            let name = String(decoding: directory[(position + 46)..<(position + 46 + nameLength)], as: UTF8.self)
            // The central record's copy of the local header's fields from "version needed" to the
            // name length (26 bytes at offset 6), for the comparison in `extract`.
            let shared = Array(directory[(position + 6)..<(position + 32)])
            if records[name] == nil { records[name] = (offset, compressed, method, crc, uncompressed, flags, shared) }
            position += 46 + nameLength + extraLength + commentLength
        }
    }

    /// Streams an entry's uncompressed bytes to `consumer`; throws for anything that does not end cleanly.
    func extract(_ name: String, bufferSize: Int = 64 * 1024, consumer: (Data) throws -> Void) throws {
        guard let record = records[name] else { throw ReadError.notFound }
        if record.compressed == 0xFFFF_FFFF || record.offset == 0xFFFF_FFFF { throw ReadError.unsupported("zip64") }
        guard record.offset + 30 <= size, let header = Self.read(handle, at: record.offset, count: 30).map({ [UInt8]($0) }),
              Self.u32(header, 0) == 0x0403_4B50 else { throw ReadError.notFound }
        // The local header must say what the central directory says (name, method, and unless sizes
        // follow in a data descriptor, CRC and sizes): a reader going by either must see one file.
        let nameLength = Int(Self.u16(header, 26))
        if Self.u16(header, 8) != record.method { throw ReadError.headerMismatch("compression method") }
        if Self.u16(header, 6) & 0x08 == 0 {
            if Self.u32(header, 14) != record.crc { throw ReadError.headerMismatch("CRC-32") }
            if UInt64(Self.u32(header, 18)) != record.compressed { throw ReadError.headerMismatch("compressed size") }
            if Self.u32(header, 22) != record.uncompressed { throw ReadError.headerMismatch("size") }
            // Version needed, flags, method, time, date, CRC, sizes, name length: byte for byte.
            if Array(header[4..<28]) != Array(record.header[0..<24]) { throw ReadError.headerMismatch("version, flags, time or date") }
        }
        guard let localName = Self.read(handle, at: record.offset + 30, count: nameLength), String(decoding: localName, as: UTF8.self) == name else {
            throw ReadError.headerMismatch("name")
        }
        let dataOffset = record.offset + 30 + UInt64(nameLength) + UInt64(Self.u16(header, 28))
        guard dataOffset + record.compressed <= size else { throw ReadError.truncated }
        let total = Int64(record.compressed)
        let provider: (Int64, Int) throws -> Data = { position, chunk in
            let remaining = total - position
            guard remaining > 0 else { throw ReadError.truncated }
            let length = Int(min(Int64(chunk), remaining))
            guard let data = Self.read(handle, at: dataOffset + UInt64(position), count: length), data.count == length else {
                throw ReadError.truncated
            }
            return data
        }
        switch record.method {
        case 0:
            var position: Int64 = 0
            while position < total {
                let data = try provider(position, bufferSize)
                position += Int64(data.count)
                try consumer(data)
            }
        case 8:
            // ZIPFoundation's inflate sets avail_in to the requested size, not to the chunk's: a
            // shorter last chunk let zlib read past it on a corrupt stream (FuzzBundle, under ASan).
            // Pad every chunk to the requested size; a stream still running past the entry's bytes
            // then gets a throwing provider on the next call.
            let padded: (Int64, Int) throws -> Data = { position, chunk in
                var data = try provider(position, chunk)
                if data.count < chunk { data.append(Data(count: chunk - data.count)) }
                return data
            }
            _ = try Data.decompress(size: total, bufferSize: bufferSize, skipCRC32: true, provider: padded, consumer: consumer)
        default:
            throw ReadError.unsupported("compression method \(record.method)")
        }
    }

    private static func read(_ handle: FileHandle, at offset: UInt64, count: Int) -> Data? {
        do {
            try handle.seek(toOffset: offset)
            return try handle.read(upToCount: count) ?? Data()
        } catch {
            return nil
        }
    }

    private static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        guard at + 2 <= bytes.count else { return 0 }
        return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        guard at + 4 <= bytes.count else { return 0 }
        return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
}
