import Foundation

/// Where a path really leads, symlinks followed, and whether that stays inside a folder: every
/// file evident writes (records, configuration, schemas, hooks, caches) is resolved through this
/// before it is written, so neither `../`, an absolute path nor a symlink can carry a write out of
/// the repository.
public enum ContainedPath {
    /// `path` resolved as the kernel would on a write: each existing component is followed through
    /// symlinks (a dangling symlink to its target), `..` goes to the parent of what was reached,
    /// and the components that do not exist yet are appended as written.
    public static func resolve(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var current = "/"
        var pending = absolute.split(separator: "/").map(String.init)
        var hops = 0
        var exists = true
        while !pending.isEmpty {
            let component = pending.removeFirst()
            if component.isEmpty || component == "." { continue }
            if component == ".." {
                current = (current as NSString).deletingLastPathComponent
                if current.isEmpty { current = "/" }
                continue
            }
            let candidate = current == "/" ? "/" + component : current + "/" + component
            guard exists else { current = candidate; continue }
            var info = stat()
            if lstat(candidate, &info) != 0 {
                exists = false
                current = candidate
                continue
            }
            if info.st_mode & S_IFMT == S_IFLNK, hops < 64, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: candidate) {
                hops += 1
                // The link's target replaces the component: absolute from /, relative from its folder.
                if target.hasPrefix("/") { current = "/" }
                pending = target.split(separator: "/").map(String.init) + pending
                continue
            }
            current = candidate
        }
        return current
    }

    /// Whether `path`, resolved, is `folder` (resolved) or lies below it.
    public static func isInside(_ path: String, folder: String) -> Bool {
        let resolvedFolder = resolve(folder)
        let resolvedPath = resolve(path)
        if resolvedPath == resolvedFolder { return true }
        let prefix = resolvedFolder.hasSuffix("/") ? resolvedFolder : resolvedFolder + "/"
        return resolvedPath.hasPrefix(prefix)
    }

    /// Whether `path`, resolved, lies inside any of `folders`.
    public static func isInside(_ path: String, anyOf folders: [String]) -> Bool {
        folders.contains { isInside(path, folder: $0) }
    }
}
