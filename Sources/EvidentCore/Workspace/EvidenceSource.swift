import Foundation
import GitKit

/// A file as a source lists it.
public struct SourceFile: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case regular, symlink, other }
    /// Path relative to the repository root, forward slashes.
    public var path: String
    public var kind: Kind
    /// Git blob id, when the source knows it (index and commits).
    public var blobID: String?
    /// What `lstat` said when the working tree was listed (the parse cache's freshness test).
    public var stamp: FileStamp?

    public init(path: String, kind: Kind, blobID: String? = nil, stamp: FileStamp? = nil) {
        self.path = path
        self.kind = kind
        self.blobID = blobID
        self.stamp = stamp
    }
}

/// Where evidence is read from: the working tree, the index, a commit, or memory (tests).
public protocol EvidenceSource: Sendable {
    /// Human description for messages: "working tree", "index", "commit 1a2b3c4".
    var label: String { get }
    /// Every file under a folder (relative to the repository root), recursively, sorted by path.
    func files(under folder: String) throws -> [SourceFile]
    /// A file's bytes. Never follows a path out of the repository.
    func read(_ path: String) throws -> Data
    /// Whether a regular file exists at the path.
    func exists(_ path: String) -> Bool
    /// The file's size in bytes, when known without reading it.
    func size(_ path: String) -> Int?
    /// Whether `read` may be called from several threads at once (false for git-backed sources).
    var allowsConcurrentReads: Bool { get }
}

extension EvidenceSource {
    public func size(_ path: String) -> Int? { nil }
    public var allowsConcurrentReads: Bool { false }
}

/// Reading a file failed.
public enum SourceError: Error, CustomStringConvertible, Equatable {
    case notFound(String)
    case outsideRepository(String)
    case unreadable(String, String)

    public var description: String {
        switch self {
        case .notFound(let path): return "\(path): no such file"
        case .outsideRepository(let path): return "\(path): path leaves the repository"
        case .unreadable(let path, let reason): return "\(path): \(reason)"
        }
    }
}

/// Repository-relative path hygiene shared by every source.
public enum RepositoryPath {
    /// A normalised relative path, or nil when it is absolute or climbs out with `..`.
    public static func normalize(_ path: String) -> String? {
        if path.hasPrefix("/") || path.hasPrefix("\\") { return nil }
        if path.count >= 2, path.dropFirst().first == ":" { return nil } // C:\...
        return isNormal(path) ? path : segmentsNormalized(path)
    }

    /// The path's segments without empty and `.` ones, `..` taking the one before (nil past the top).
    static func segmentsNormalized(_ path: String) -> String? {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }

    /// No empty, `.` or `..` segment (so no leading, trailing or doubled `/`): the path is its own
    /// normal form (nearly every path a listing gives; a byte scan instead of splitting and joining).
    static func isNormal(_ path: String) -> Bool {
        var segmentLength = 0
        var dots = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                if segmentLength == 0 || segmentLength == dots { return false }
                segmentLength = 0
                dots = 0
            } else {
                segmentLength += 1
                if byte == UInt8(ascii: "."), dots == segmentLength - 1 { dots += 1 }
            }
        }
        return segmentLength > 0 && segmentLength != dots
    }

    /// Whether `path` is the folder or lies under it.
    public static func isUnder(_ path: String, folder: String) -> Bool {
        folder.isEmpty || path == folder || path.hasPrefix(folder + "/")
    }
}

/// Files in memory: rule examples and tests.
public struct MemorySource: EvidenceSource {
    public var files: [String: Data]
    public var label: String { "memory" }
    public var allowsConcurrentReads: Bool { true }

    public init(_ files: [String: String]) {
        self.files = files.mapValues { Data($0.utf8) }
    }

    public init(data: [String: Data]) {
        self.files = data
    }

    public func files(under folder: String) throws -> [SourceFile] {
        files.keys.filter { RepositoryPath.isUnder($0, folder: folder) }.sorted().map { SourceFile(path: $0, kind: .regular) }
    }

    public func read(_ path: String) throws -> Data {
        guard let normalized = RepositoryPath.normalize(path) else { throw SourceError.outsideRepository(path) }
        guard let data = files[normalized] else { throw SourceError.notFound(path) }
        return data
    }

    public func exists(_ path: String) -> Bool {
        RepositoryPath.normalize(path).map { files[$0] != nil } ?? false
    }
}

/// The working tree on disk: never follows a symlink (it lists it as one) and never reads outside the root.
public struct WorkingTreeSource: EvidenceSource {
    public var root: URL
    public var label: String { "working tree" }
    public var allowsConcurrentReads: Bool { true }

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    public func files(under folder: String) throws -> [SourceFile] {
        var result: [SourceFile] = []
        // The records root itself (or a folder on the way to it) may be a link out of the repository:
        // list it as one symlink, never descend into it.
        if let normalized = RepositoryPath.normalize(folder), !normalized.isEmpty {
            var current = root
            var walked: [Substring] = []
            for component in normalized.split(separator: "/") {
                current = current.appendingPathComponent(String(component))
                walked.append(component)
                if FileType.of(current.path) == .symlink { return [SourceFile(path: walked.joined(separator: "/"), kind: .symlink)] }
            }
        } else if !folder.isEmpty {
            throw SourceError.outsideRepository(folder)
        }
        let rootPath = root.path
        let base = folder.isEmpty ? rootPath : rootPath + (rootPath.hasSuffix("/") ? "" : "/") + folder
        // readdir and lstat directly: Foundation's directory listing and URL building cost more
        // than the rest of a warm check on a large repository.
        var pending: [(directory: String, relative: String)] = [(base, folder)]
        while let (directory, relative) = pending.popLast() {
            guard let handle = opendir(directory) else {
                if relative == folder { throw SourceError.notFound(folder) }
                continue
            }
            defer { closedir(handle) }
            let descriptor = dirfd(handle)
            while let entry = readdir(handle) {
                // lstat relative to the open folder: no path walk from the root per file.
                var info = Glibc.stat()
                let name = withUnsafePointer(to: entry.pointee.d_name) { pointer -> String? in
                    let cName = UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self)
                    guard fstatat(descriptor, cName, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
                    return String(cString: cName)
                }
                guard let name, name != ".", name != ".." else { continue }
                if relative.isEmpty && name == ".git" { continue }
                let childPath = relative.isEmpty ? name : relative + "/" + name
                let type = FileType(mode: info.st_mode)
                switch type {
                case .directory:
                    if name == ".git" { continue }
                    pending.append((directory + "/" + name, childPath))
                case .regular:
                    let stamp = FileStamp(size: Int64(info.st_size), modified: Int64(info.st_mtim.tv_sec), modifiedNanoseconds: Int64(info.st_mtim.tv_nsec),
                                          changed: Int64(info.st_ctim.tv_sec), changedNanoseconds: Int64(info.st_ctim.tv_nsec), inode: UInt64(info.st_ino))
                    result.append(SourceFile(path: childPath, kind: .regular, stamp: stamp))
                case .symlink:
                    result.append(SourceFile(path: childPath, kind: .symlink))
                case .other:
                    result.append(SourceFile(path: childPath, kind: .other))
                }
            }
        }
        return result.sorted { $0.path < $1.path }
    }

    public func read(_ path: String) throws -> Data {
        guard let normalized = RepositoryPath.normalize(path), !normalized.isEmpty else { throw SourceError.outsideRepository(path) }
        WorkCounts.add(.filesRead)
        // Refuse any symlink along the way: a link could lead out of the repository.
        var current = root.path
        var type: FileType?
        for component in normalized.split(separator: "/") {
            current += (current.hasSuffix("/") ? "" : "/") + component
            type = FileType.of(current)
            guard let type else { throw SourceError.notFound(path) }
            if type == .symlink { throw SourceError.outsideRepository(path) }
        }
        // Opening a FIFO would block until someone writes to it; devices never end.
        guard type == .regular else { throw SourceError.unreadable(path, "not a regular file") }
        let descriptor = open(current, O_RDONLY | O_NOFOLLOW)
        guard descriptor >= 0 else { throw SourceError.unreadable(path, "cannot open") }
        defer { close(descriptor) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SourceError.unreadable(path, String(cString: strerror(errno)))
            }
            if count == 0 { break }
            data.append(contentsOf: chunk[0..<count])
        }
        return data
    }

    public func size(_ path: String) -> Int? {
        guard let normalized = RepositoryPath.normalize(path) else { return nil }
        var info = stat()
        let base = root.path
        guard lstat(base + (base.hasSuffix("/") ? "" : "/") + normalized, &info) == 0 else { return nil }
        return Int(info.st_size)
    }

    public func exists(_ path: String) -> Bool {
        guard let normalized = RepositoryPath.normalize(path) else { return false }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: root.appendingPathComponent(normalized).path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}

/// POSIX `read` (the name is shadowed inside sources by their `read(_:)`).
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

/// What `lstat` says a path is (never following a symlink); nil when it does not exist.
enum FileType {
    case directory, regular, symlink, other

    static func of(_ path: String) -> FileType? {
        stat(path)?.type
    }

    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFDIR: self = .directory
        case S_IFREG: self = .regular
        case S_IFLNK: self = .symlink
        default: self = .other
        }
    }

    /// The type and the whole `lstat` answer.
    static func stat(_ path: String) -> (type: FileType, info: Glibc.stat)? {
        var info = Glibc.stat()
        guard lstat(path, &info) == 0 else { return nil }
        return (FileType(mode: info.st_mode), info)
    }
}
