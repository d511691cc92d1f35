import Foundation

/// A file as a source lists it.
public struct SourceFile: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case regular, symlink, other }
    /// Path relative to the repository root, forward slashes.
    public var path: String
    public var kind: Kind
    /// Git blob id, when the source knows it (index and commits).
    public var blobID: String?

    public init(path: String, kind: Kind, blobID: String? = nil) {
        self.path = path
        self.kind = kind
        self.blobID = blobID
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
}

extension EvidenceSource {
    public func size(_ path: String) -> Int? { nil }
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

    /// Whether `path` is the folder or lies under it.
    public static func isUnder(_ path: String, folder: String) -> Bool {
        folder.isEmpty || path == folder || path.hasPrefix(folder + "/")
    }
}

/// Files in memory: rule examples and tests.
public struct MemorySource: EvidenceSource {
    public var files: [String: Data]
    public var label: String { "memory" }

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
                let type = (try? FileManager.default.attributesOfItem(atPath: current.path))?[.type] as? FileAttributeType
                if type == .typeSymbolicLink { return [SourceFile(path: walked.joined(separator: "/"), kind: .symlink)] }
            }
        } else if !folder.isEmpty {
            throw SourceError.outsideRepository(folder)
        }
        let base = folder.isEmpty ? root : root.appendingPathComponent(folder)
        var pending: [(URL, String)] = [(base, folder)]
        let manager = FileManager.default
        while let (url, relative) = pending.popLast() {
            let names: [String]
            do {
                names = try manager.contentsOfDirectory(atPath: url.path)
            } catch {
                if relative == folder { throw SourceError.notFound(folder) }
                continue
            }
            for name in names {
                if relative.isEmpty && name == ".git" { continue }
                let childPath = relative.isEmpty ? name : relative + "/" + name
                let childURL = url.appendingPathComponent(name)
                guard let attributes = try? manager.attributesOfItem(atPath: childURL.path),
                      let type = attributes[.type] as? FileAttributeType else { continue }
                switch type {
                case .typeDirectory:
                    if name == ".git" { continue }
                    pending.append((childURL, childPath))
                case .typeRegular:
                    result.append(SourceFile(path: childPath, kind: .regular))
                case .typeSymbolicLink:
                    result.append(SourceFile(path: childPath, kind: .symlink))
                default:
                    result.append(SourceFile(path: childPath, kind: .other))
                }
            }
        }
        return result.sorted { $0.path < $1.path }
    }

    public func read(_ path: String) throws -> Data {
        guard let normalized = RepositoryPath.normalize(path), !normalized.isEmpty else { throw SourceError.outsideRepository(path) }
        // Refuse any symlink along the way: a link could lead out of the repository.
        var current = root
        var type: FileAttributeType?
        for component in normalized.split(separator: "/") {
            current = current.appendingPathComponent(String(component))
            let attributes = try? FileManager.default.attributesOfItem(atPath: current.path)
            type = attributes?[.type] as? FileAttributeType
            guard let type else { throw SourceError.notFound(path) }
            if type == .typeSymbolicLink { throw SourceError.outsideRepository(path) }
        }
        // Opening a FIFO would block until someone writes to it; devices never end.
        guard type == .typeRegular else { throw SourceError.unreadable(path, "not a regular file") }
        guard let handle = FileHandle(forReadingAtPath: current.path) else { throw SourceError.unreadable(path, "cannot open") }
        defer { try? handle.close() }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw SourceError.unreadable(path, "\(error.localizedDescription)")
        }
    }

    public func size(_ path: String) -> Int? {
        guard let normalized = RepositoryPath.normalize(path) else { return nil }
        let attributes = try? FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(normalized).path)
        return (attributes?[.size] as? NSNumber)?.intValue
    }

    public func exists(_ path: String) -> Bool {
        guard let normalized = RepositoryPath.normalize(path) else { return false }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: root.appendingPathComponent(normalized).path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
