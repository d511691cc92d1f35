import Foundation
import GitKit

/// Why a file could not be written, in plain words (never a Foundation error dump). Nothing is left
/// behind when one is thrown: the temporary file is removed and the target is untouched.
public enum WriteError: Error, CustomStringConvertible, Equatable {
    /// The path, followed through `..` and symlinks, leaves the folders evident may write in.
    case outside(path: String, resolved: String, boundary: String)
    /// The operating system refused the write (disk full, read-only, permission...).
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .outside(let path, let resolved, let boundary):
            let via = resolved == path ? "" : " (it leads to \(resolved))"
            return "refusing to write \(path): it is outside \(boundary)\(via); evident writes only inside the repository"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        }
    }

    /// The text of an errno value, as `strerror` gives it, lower-cased as a message continues.
    public static func reason(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        guard let first = text.first else { return "error \(code)" }
        return first.lowercased() + text.dropFirst()
    }
}

/// Writes files atomically (temporary file then rename), so an interrupted write never leaves half a
/// file, and only inside the folders it is given: the target is resolved (symlinks included) first.
public enum AtomicFile {
    /// Writes `data` to `url`, which must resolve inside one of `boundaries` (the repository's
    /// working tree, or its git folder for hooks). `shown` names the file in messages. `synced`
    /// flushes the bytes to disk before the rename (off for caches, which a crash may only lose).
    public static func write(_ data: Data, to url: URL, within boundaries: [URL], permissions: Int? = nil, shown: String? = nil,
                             synced: Bool = true) throws {
        let name = shown ?? url.path
        try ensureInside(url, boundaries: boundaries, shown: name)
        let directory = url.deletingLastPathComponent()
        try createDirectory(directory, boundaries: boundaries, shown: name)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).evident-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8)).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(permissions ?? 0o644))
        guard descriptor >= 0 else { throw WriteError.cannotWrite(path: name, reason: WriteError.reason(errno)) }
        var failure: Int32 = 0
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count, let base = raw.baseAddress {
                let written = Glibc.write(descriptor, base + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if failure == 0, synced, fsync(descriptor) != 0, errno != EINVAL { failure = errno }
        if close(descriptor) != 0, failure == 0 { failure = errno }
        if failure == 0, let permissions { _ = chmod(temporary.path, mode_t(permissions)) }
        if failure == 0, rename(temporary.path, url.path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary.path)
            throw WriteError.cannotWrite(path: name, reason: WriteError.reason(failure))
        }
    }

    /// Writes a cache file (under `.git/evident/`) in its own folder, not synced; a failure is
    /// ignored: a cache is an optimisation, rebuilt by the next run.
    public static func writeCache(_ data: Data, to path: String) {
        let url = URL(fileURLWithPath: path)
        try? write(data, to: url, within: [url.deletingLastPathComponent()], synced: false)
    }

    public static func writeCache(_ text: String, to path: String) { writeCache(Data(text.utf8), to: path) }

    /// Refuses `url` when, resolved, it is outside every boundary.
    public static func ensureInside(_ url: URL, boundaries: [URL], shown: String) throws {
        guard !ContainedPath.isInside(url.path, anyOf: boundaries.map(\.path)) else { return }
        throw WriteError.outside(path: shown, resolved: ContainedPath.resolve(url.path),
                                 boundary: boundaries.first.map { ContainedPath.resolve($0.path) } ?? "/")
    }

    /// Creates a folder and its parents inside the boundaries, with the reason in plain words on failure.
    public static func createDirectory(_ directory: URL, boundaries: [URL], shown: String) throws {
        try ensureInside(directory, boundaries: boundaries, shown: shown)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue { return }
        // One level at a time, so the failing folder and errno are known.
        var missing: [URL] = []
        var folder = directory
        while !FileManager.default.fileExists(atPath: folder.path), folder.path != "/" {
            missing.append(folder)
            folder = folder.deletingLastPathComponent()
        }
        for folder in missing.reversed() where mkdir(folder.path, 0o755) != 0 && errno != EEXIST {
            throw WriteError.cannotWrite(path: shown, reason: "cannot create the folder \(folder.path): \(WriteError.reason(errno))")
        }
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw WriteError.cannotWrite(path: shown, reason: "\(directory.path) is not a folder")
        }
    }
}
